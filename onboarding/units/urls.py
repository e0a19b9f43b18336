"""Personal endpoints of units, inside the language prefix: follows, "My connections" and
invitations to edit or organise for a unit."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

import onboarding.http  # noqa: F401  (registers the <id:...> path converter)

from . import views

urlpatterns = [
    path(_("my-connections/"), views.connections, name="unit_connections"),
    path(_("my-connections/follow/<id:unit_id>/"), views.unit_follow, name="unit_follow"),
    path(_("my-connections/unfollow/<id:unit_id>/"), views.unit_unfollow, name="unit_unfollow"),
    path(
        _("unit-invitation/<slug:invitation_token>/"),
        views.invitation,
        name="unit_invitation",
    ),
]
