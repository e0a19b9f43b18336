from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "onboarding.activities"
    label = "activities"
    verbose_name = _("Events")

    def ready(self):
        from wagtail.signals import page_published

        from . import signal_handlers
        from .models import EventPage

        page_published.connect(
            signal_handlers.event_published,
            sender=EventPage,
            dispatch_uid="activities_event_published",
        )
