"""Signal handlers of the events app: they only call services."""


def event_published(sender, instance, **kwargs):
    """After an event is published: fill freed places, announce changes, tell followers."""
    from .services import event_publication_followup

    changes = instance.__dict__.pop("_published_changes", None) or []
    first = (
        instance.first_published_at is not None
        and instance.first_published_at == instance.last_published_at
    )
    event_publication_followup(event=instance, changes=changes, first_publication=first)
