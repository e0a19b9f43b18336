"""The buddy programme, mounted under the translated "buddies/" path (/nb/faddere/...)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

import onboarding.http  # noqa: F401  (registers the <id:...> path converter)

from . import views

app_name = "buddies"

urlpatterns = [
    path("", views.index, name="index"),
    path(_("new-round/"), views.round_new, name="round_new"),
    path(_("<id:round_id>/volunteer/"), views.volunteer, name="volunteer"),
    path(_("<id:round_id>/ask/"), views.ask, name="ask"),
    path(_("<id:round_id>/leave/"), views.withdraw, name="withdraw"),
    path(_("<id:round_id>/my-match/"), views.mine, name="mine"),
    path(_("<id:round_id>/organise/"), views.organise, name="organise"),
    path(_("<id:round_id>/organise/run/"), views.run, name="run"),
    path(_("<id:round_id>/organise/publish/"), views.publish, name="publish"),
    path(_("<id:round_id>/organise/rules/"), views.rule_add, name="rule_add"),
    path(
        _("<id:round_id>/organise/rules/<id:rule_id>/remove/"),
        views.rule_clear,
        name="rule_clear",
    ),
    path(_("<id:round_id>/forecast/"), views.forecast, name="forecast"),
]
