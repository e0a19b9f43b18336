from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResponsibilitiesConfig(AppConfig):
    name = "onboarding.responsibilities"
    label = "responsibilities"
    verbose_name = _("Responsibilities")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Assignment, ResponsibilityArea
        from .signal_handlers import matrix_changed

        for model in (ResponsibilityArea, Assignment):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(
                    matrix_changed,
                    sender=model,
                    dispatch_uid=f"responsibilities.matrix_changed.{model.__name__}.{name}",
                )
