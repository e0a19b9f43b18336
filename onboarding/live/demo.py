"""Demo notifications for the demo student, so the notification centre is not empty."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation

from .models import Notification
from .services import notification_mark_read, notify

DEMO_RECIPIENT = "student@velkommen.test"


@transaction.atomic
def seed_notifications():
    """A few notifications of different kinds for the demo student; does nothing if they exist."""
    student = get_user_model().objects.filter(email=DEMO_RECIPIENT).first()
    if student is None or Notification.objects.filter(recipient=student).exists():
        return []
    soon = timezone.now() + timedelta(days=3)
    with translation.override("nb"):
        created = []
        created += notify(
            recipients=[student],
            kind="checklist_items_due",
            context={
                "checklist_title": {
                    "nb": "Sjekkliste for mottak",
                    "en": "Onboarding checklist",
                },
                "count": 2,
                "due_date": (timezone.localdate() + timedelta(days=5)).isoformat(),
                "items": [
                    {"nb": "Betal semesteravgiften", "en": "Pay the semester fee"},
                    {
                        "nb": "Bestill time hos politiet",
                        "en": "Book an appointment with the police",
                    },
                ],
            },
            email=False,
        )
        created += notify(
            recipients=[student],
            kind="unit_new_event",
            context={
                "unit_name": {"nb": "Internasjonal seksjon", "en": "International Section"},
                "event_title": {"nb": "Velkomstmøte", "en": "Welcome meeting"},
                "starts_at": soon.isoformat(),
            },
            email=False,
        )
        created += notify(
            recipients=[student],
            kind="organiser_message",
            context={
                "sender": {"nb": "Fadderuka", "en": "Buddy week"},
                "event_title": {"nb": "Byvandring", "en": "City walk"},
                "message": {
                    "nb": "Vi møtes ved hovedinngangen klokka 10. Ta med gode sko!",
                    "en": "We meet at the main entrance at 10. Bring good shoes!",
                },
            },
            email=False,
        )
        created += notify(
            recipients=[student],
            kind="waitlist_place_given",
            context={
                "event_title": {
                    "nb": "Norskkurs for nybegynnere",
                    "en": "Norwegian course for beginners",
                },
                "starts_at": (soon + timedelta(days=4)).isoformat(),
                "location": "Auditorium 1",
            },
            email=False,
        )
    # The oldest one has been read, so the centre shows both states.
    notification_mark_read(user=student, notification=created[0])
    return created
