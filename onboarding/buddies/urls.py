"""The buddy programme, mounted under the translated "buddies/" path (/nb/faddere/...)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "buddies"

urlpatterns = [
    path("", views.index, name="index"),
    path(_("new-round/"), views.round_new, name="round_new"),
    path(_("<int:round_id>/volunteer/"), views.volunteer, name="volunteer"),
    path(_("<int:round_id>/ask/"), views.ask, name="ask"),
    path(_("<int:round_id>/leave/"), views.withdraw, name="withdraw"),
    path(_("<int:round_id>/my-match/"), views.mine, name="mine"),
    path(_("<int:round_id>/organise/"), views.organise, name="organise"),
    path(_("<int:round_id>/organise/run/"), views.run, name="run"),
    path(_("<int:round_id>/organise/publish/"), views.publish, name="publish"),
    path(_("<int:round_id>/organise/rules/"), views.rule_add, name="rule_add"),
    path(
        _("<int:round_id>/organise/rules/<int:rule_id>/remove/"),
        views.rule_clear,
        name="rule_clear",
    ),
    path(_("<int:round_id>/forecast/"), views.forecast, name="forecast"),
]
