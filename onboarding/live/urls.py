"""The notification centre, mounted under the translated "notifications/" path."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

import onboarding.http  # noqa: F401  (registers the <id:...> path converter)

from . import views

app_name = "live"

urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("unread.json", views.unread_count, name="unread_count"),
    path(_("preferences/"), views.preferences, name="preferences"),
    path("read-all/", views.notification_read_all, name="notification_read_all"),
    path("<id:pk>/", views.notification_open, name="notification_open"),
    path("<id:pk>/read/", views.notification_read, name="notification_read"),
]
