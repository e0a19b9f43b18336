"""The student profile page, mounted inside the language prefix."""

from django.urls import path

from . import profile_views

urlpatterns = [
    path("", profile_views.profile_edit, name="profile_edit"),
]
