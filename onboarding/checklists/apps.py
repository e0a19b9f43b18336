from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecklistsConfig(AppConfig):
    name = "onboarding.checklists"
    label = "checklists"
    verbose_name = _("Checklists")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from onboarding.responsibilities.models import ResponsibilityArea

        from . import signal_handlers
        from .models import AcademicSemester, ChecklistItem, ItemSubmission

        post_delete.connect(
            signal_handlers.submission_deleted,
            sender=ItemSubmission,
            dispatch_uid="checklists_submission_deleted",
        )
        # The arrival plan's cached structure (selectors.plan_checklists) follows its sources.
        for model in (ChecklistItem, AcademicSemester, ResponsibilityArea):
            for signal in (post_save, post_delete):
                signal.connect(
                    signal_handlers.plan_structure_changed,
                    sender=model,
                    dispatch_uid=f"checklists_plan_structure_{model.__name__}_{signal is post_save}",
                )
