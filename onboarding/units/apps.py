from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "onboarding.units"
    label = "units"
    verbose_name = _("Units")

    def ready(self):
        from wagtail.signals import page_published

        from . import completeness_models, signal_handlers  # noqa: F401  (a model of the app)
        from .models import UnitEditorsGroup, UnitPage

        page_published.connect(
            signal_handlers.unit_published, sender=UnitPage, dispatch_uid="units_unit_published"
        )
        post_delete.connect(
            signal_handlers.editors_link_deleted,
            sender=UnitEditorsGroup,
            dispatch_uid="units_editors_link_deleted",
        )
        post_migrate.connect(
            signal_handlers.staff_group_after_migrate,
            sender=self,
            dispatch_uid="units_staff_group_after_migrate",
        )
