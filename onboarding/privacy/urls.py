"""The person's privacy pages, mounted under the translated "privacy/" path."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.notice, name="notice"),
    path(_("my-data/"), views.my_data, name="my_data"),
    path(_("my-data.json"), views.my_data_json, name="my_data_json"),
    path(_("my-data.zip"), views.my_data_zip, name="my_data_zip"),
    path(_("delete-account/"), views.account_delete, name="account_delete"),
]
