from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The International Section's staff see every unit's queue and decide any case.
STAFF_PERMISSION = "approvals.decide_any_case"


class ApprovalsConfig(AppConfig):
    name = "onboarding.approvals"
    label = "approvals"
    verbose_name = _("Course approval")
    default_auto_field = "django.db.models.BigAutoField"
