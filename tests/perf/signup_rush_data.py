"""Data of the signup-rush benchmark, run in its own process on the benchmark's database.

``python -m tests.perf.signup_rush_data setup OUT.json`` makes (again) the
events, people and logged-in sessions and writes what the clients need;
``python -m tests.perf.signup_rush_data verify OUT.json`` counts what the
rush left in the database: overbookings and waitlist order violations.
"""

import json
import sys
from datetime import timedelta


def _setup_django():
    import django

    django.setup()


def setup(out_path, *, events, capacity, people):
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.utils import timezone, translation

    from cms.demo import seed_site
    from onboarding.activities.models import EventPage
    from onboarding.units.kinds import UnitKind
    from onboarding.units.models import UnitPage
    from tests.onboarding.activities.factories import event_create
    from tests.onboarding.units.factories import (
        directory_create,
        unit_create,
        volunteer_index_create,
    )

    user_model = get_user_model()
    with transaction.atomic(), translation.override("nb"):
        home = seed_site()
        # A clean slate from an earlier run: its events (and their signups), people, sessions.
        EventPage.objects.filter(slug_nb__startswith="rush-").delete()
        user_model.objects.filter(email__endswith="@rush.example").delete()
        Session.objects.all().delete()
        unit = UnitPage.objects.filter(slug_nb="rush-organisers").first()
        if unit is None:
            directory = directory_create(home, publish=False)
            index = volunteer_index_create(directory, publish=False)
            unit = unit_create(
                index,
                kind=UnitKind.VOLUNTEER_GROUP,
                name_nb="Rush organisers",
                name_en="Rush organisers",
                publish=False,
            )
            unit.slug_nb = "rush-organisers"
            unit.save()
        start = timezone.now() + timedelta(days=7)
        created = []
        for number in range(events):
            event = event_create(
                unit,
                publish=False,
                title_nb=f"Rush {number}",
                title_en=f"Rush {number}",
                capacity=capacity,
                # Half the events keep a waitlist; the others refuse with "full".
                waitlist_enabled=number % 2 == 0,
                start_at=start + timedelta(hours=number),
                end_at=start + timedelta(hours=number + 2),
            )
            created.append(event)
        user_model.objects.bulk_create(
            user_model(email=f"person{n}@rush.example", first_name="Rush", last_name=str(n))
            for n in range(people)
        )
        sessions = []
        for person in user_model.objects.filter(email__endswith="@rush.example").order_by("pk"):
            session = SessionStore()
            session[SESSION_KEY] = str(person.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = person.get_session_auth_hash()
            session.create()
            sessions.append(session.session_key)
    with translation.override("en"):
        data = {
            "events": [
                {
                    "id": event.pk,
                    "path": EventPage.objects.get(pk=event.pk).get_url(),
                    "waitlist": event.waitlist_enabled,
                }
                for event in created
            ],
            "sessions": sessions,
            "information_path": "/en/arrival-and-housing/",
        }
    with open(out_path, "w") as out:
        json.dump(data, out)


def verify(out_path):
    """Overbookings and waitlist order violations per the database, and the final counts."""
    from django.db.models import Count, Max, Min, Q

    from onboarding.activities.models import EventPage, Signup

    events = EventPage.objects.filter(slug_nb__startswith="rush-").annotate(
        confirmed=Count("signups", filter=Q(signups__status="confirmed")),
        waitlisted=Count("signups", filter=Q(signups__status="waitlisted")),
        last_confirmed=Max("signups__sequence", filter=Q(signups__status="confirmed")),
        first_waitlisted=Min("signups__sequence", filter=Q(signups__status="waitlisted")),
        rows=Count("signups"),
        top=Max("signups__sequence"),
    )
    overbooked = order_violations = sequence_gaps = 0
    confirmed = waitlisted = 0
    for event in events:
        confirmed += event.confirmed
        waitlisted += event.waitlisted
        overbooked += max(event.confirmed - event.capacity, 0)
        if event.first_waitlisted is not None and event.last_confirmed is not None:
            # Nobody may wait who arrived before someone who got a place.
            order_violations += Signup.objects.filter(
                event=event, status="waitlisted", sequence__lt=event.last_confirmed
            ).count()
        if event.confirmed < event.capacity and event.waitlisted:
            order_violations += event.waitlisted  # people waiting while places were free
        if event.rows and event.top != event.rows:
            sequence_gaps += 1
    with open(out_path, "w") as out:
        json.dump(
            {
                "overbooked": overbooked,
                "order_violations": order_violations,
                "sequence_gaps": sequence_gaps,
                "confirmed": confirmed,
                "waitlisted": waitlisted,
            },
            out,
        )


if __name__ == "__main__":
    _setup_django()
    command, path = sys.argv[1], sys.argv[2]
    if command == "setup":
        setup(path, events=int(sys.argv[3]), capacity=int(sys.argv[4]), people=int(sys.argv[5]))
    elif command == "verify":
        verify(path)
    else:
        raise SystemExit(f"unknown command {command}")
