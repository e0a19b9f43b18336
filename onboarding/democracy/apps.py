from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemocracyConfig(AppConfig):
    name = "onboarding.democracy"
    label = "democracy"
    verbose_name = _("Student democracy")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        from . import signal_handlers
        from .models import ElectionPage

        page_published.connect(
            signal_handlers.election_published,
            sender=ElectionPage,
            dispatch_uid="democracy_election_published",
        )
