from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecklistsConfig(AppConfig):
    name = "onboarding.checklists"
    label = "checklists"
    verbose_name = _("Checklists")

    def ready(self):
        from onboarding.responsibilities.selectors import register_gap_check

        from .gaps import checklist_items_without_role

        register_gap_check(checklist_items_without_role)
