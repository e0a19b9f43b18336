"""The glossary, under /nb/ordliste/ and /en/glossary/."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "glossary"

urlpatterns = [
    path("", views.index, name="index"),
    path(_("fields/"), views.field_list, name="field_list"),
    path(_("fields/<str:code>/"), views.field_detail, name="field_detail"),
    path(_("propose/"), views.propose, name="propose"),
    path("<slug:slug>/", views.term_detail, name="term"),
]
