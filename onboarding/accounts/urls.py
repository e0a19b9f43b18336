"""Account URLs: our preferences page next to allauth's pages (mounted under a translated prefix)."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

urlpatterns = [
    path(_("preferences/"), views.preferences, name="account_preferences"),
    path("", include("allauth.urls")),
]
