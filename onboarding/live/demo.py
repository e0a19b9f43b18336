"""Demo notifications (``demo.toml``) for the demo student, so the notification centre is not empty."""

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation

from cms.demo_data import load

from .models import Notification
from .services import notification_mark_read, notify

DATA = load(__file__)
DEMO_RECIPIENT: str = DATA["recipient"]


def _value(value: Any) -> Any:
    """A context value; ``{in_days = N}`` is the date (``time = true``: the moment) N days on."""
    if isinstance(value, dict) and "in_days" in value:
        if value.get("time"):
            return (timezone.now() + timedelta(days=value["in_days"])).isoformat()
        return (timezone.localdate() + timedelta(days=value["in_days"])).isoformat()
    return value


@transaction.atomic
def seed_notifications() -> list[Notification]:
    """A few notifications of different kinds for the demo student; does nothing if they exist."""
    student = get_user_model().objects.filter(email=DEMO_RECIPIENT).first()
    if student is None or Notification.objects.filter(recipient=student).exists():
        return []
    created: list[Notification] = []
    with translation.override("nb"):
        for spec in DATA["notification"]:
            context = {key: _value(value) for key, value in spec["context"].items()}
            created += notify(recipients=[student], kind=spec["kind"], context=context, email=False)
    # The oldest one has been read, so the centre shows both states.
    notification_mark_read(user=student, notification=created[0])
    return created
