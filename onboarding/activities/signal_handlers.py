"""Signal handlers of the events app: they only call services."""

from typing import Any

from .models import EventPage


def event_published(sender: type[EventPage], instance: EventPage, **kwargs: Any) -> None:
    """After an event is published: fill freed places, announce changes, tell followers."""
    from .services import event_publication_followup

    first = (
        instance.first_published_at is not None
        and instance.first_published_at == instance.last_published_at
    )
    event_publication_followup(
        event=instance, changes=instance.published_changes(), first_publication=first
    )
