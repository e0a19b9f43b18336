from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemocracyConfig(AppConfig):
    name = "onboarding.democracy"
    label = "democracy"
    verbose_name = _("Student democracy")
    default_auto_field = "django.db.models.BigAutoField"
