from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The International Section's staff: declare and close crises, see every stay and board.
STAFF_PERMISSION = "stays.manage_crises"


class StaysConfig(AppConfig):
    name = "onboarding.stays"
    label = "stays"
    verbose_name = _("Stays abroad")
    default_auto_field = "django.db.models.BigAutoField"
