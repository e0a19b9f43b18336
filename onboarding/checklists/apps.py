from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecklistsConfig(AppConfig):
    name = "onboarding.checklists"
    label = "checklists"
    verbose_name = _("Checklists")

    def ready(self):
        from django.db.models.signals import post_delete

        from . import signal_handlers
        from .models import ItemSubmission

        post_delete.connect(
            signal_handlers.submission_deleted,
            sender=ItemSubmission,
            dispatch_uid="checklists_submission_deleted",
        )
