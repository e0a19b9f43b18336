from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def event_topic_allowed(user, key):
    """Anyone logged in may follow the places of a live, public event (``event:<id>``)."""
    if not key.isdigit():
        return False
    from .selectors import event_get

    return event_get(event_id=int(key)) is not None


def upcoming_events_of_unit(*, unit, limit):
    from .selectors import unit_upcoming_events

    return unit_upcoming_events(unit=unit, limit=limit)


def upcoming_events_of_units(*, units, user, limit):
    from .selectors import units_upcoming_events

    return units_upcoming_events(units=units, user=user, limit=limit)


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
