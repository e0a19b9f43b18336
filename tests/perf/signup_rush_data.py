"""Data of the signup-rush benchmark, run in its own process on the benchmark's database.

``python -m tests.perf.signup_rush_data setup OUT.json`` makes (again) the
events, people and logged-in sessions and writes what the clients need;
``python -m tests.perf.signup_rush_data verify OUT.json`` counts what the
rush left in the database: overbookings and waitlist order violations, on the
plain events and per pool of reserved places on the pooled ones;
``python -m tests.perf.signup_rush_data people OUT.json STATUS`` lists, per pooled
event with a waitlist, the people whose signup has that status (in arrival order);
``python -m tests.perf.signup_rush_data hot OUT.json CAPACITY`` adds one hot event (a
waitlist, places given straight to the next in line) to those of ``setup``, and
``python -m tests.perf.signup_rush_data promotions OUT.json`` counts, on it, the people
moved up from its waitlist and the notifications they were sent.

Half the events are *pooled*: they reserve places in two pools (international
degree students, and the students of one faculty) and offer freed places from the
waitlist for a while. A third of the people are degree students, a third study at
that faculty, a third at another.
"""

import json
import sys
from datetime import timedelta

# Of each event's places: reserved for international degree students, and for the faculty.
DEGREE_PLACES = 8
FACULTY_PLACES = 6


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
    from onboarding.accounts.models import StudentProfile
    from onboarding.activities.models import EventPage
    from onboarding.units.kinds import UnitKind
    from onboarding.units.models import UnitDirectoryPage, UnitPage, VolunteerGroupIndexPage
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
            # Another benchmark's data may have made the unit directory already (one per site).
            directory = UnitDirectoryPage.objects.first() or directory_create(home, publish=False)
            index = VolunteerGroupIndexPage.objects.child_of(
                directory
            ).first() or volunteer_index_create(directory, publish=False)
            unit = unit_create(
                index,
                kind=UnitKind.VOLUNTEER_GROUP,
                name_nb="Rush organisers",
                name_en="Rush organisers",
                publish=False,
            )
            unit.slug_nb = "rush-organisers"
            unit.save()
        faculties = []
        for name in ("Rush faculty A", "Rush faculty B"):
            faculty = UnitPage.objects.filter(title_nb=name).first()
            if faculty is None:
                faculty = unit_create(
                    unit.get_parent().get_parent(),
                    kind=UnitKind.FACULTY,
                    name_nb=name,
                    name_en=name,
                    publish=False,
                )
            faculties.append(faculty)
        start = timezone.now() + timedelta(days=7)
        created = []
        for number in range(events):
            # Half the events keep a waitlist; the others refuse with "full". Of each half,
            # half reserve places in pools and offer freed places (numbers 0, 1 of every 4).
            pooled = number % 4 < 2
            event = event_create(
                unit,
                publish=False,
                title_nb=f"Rush {number}",
                title_en=f"Rush {number}",
                capacity=capacity,
                waitlist_enabled=number % 2 == 0,
                start_at=start + timedelta(hours=number),
                end_at=start + timedelta(hours=number + 2),
                pools=_pools(faculties[0]) if pooled else [],
                waitlist_offers=pooled,
                offer_hours=12,
            )
            created.append(event)
        user_model.objects.bulk_create(
            user_model(email=f"person{n}@rush.example", first_name="Rush", last_name=str(n))
            for n in range(people)
        )
        StudentProfile.objects.bulk_create(
            StudentProfile(
                user=person,
                status="international_degree" if _index(person) % 3 == 0 else "phd",
                faculty=faculties[0] if _index(person) % 3 == 1 else faculties[1],
            )
            for person in user_model.objects.filter(email__endswith="@rush.example")
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
                    "pooled": bool(event.pools),
                }
                for event in created
            ],
            "sessions": sessions,
            "information_path": "/en/arrival-and-housing/",
        }
    with open(out_path, "w") as out:
        json.dump(data, out)


def event_with_waitlist(*, title, capacity, days=5):
    """An event of ``capacity`` with a waitlist and no offers, by the rush's organisers: freed
    places go to the next in line at once. Its slug is ``title`` slugified (made again)."""
    from django.utils import timezone, translation
    from django.utils.text import slugify

    from onboarding.activities.models import EventPage
    from onboarding.units.models import UnitPage
    from tests.onboarding.activities.factories import event_create

    with translation.override("nb"):
        EventPage.objects.filter(slug_nb=slugify(title)).delete()
        unit = UnitPage.objects.get(slug_nb="rush-organisers")
        start = timezone.now() + timedelta(days=days)
        return event_create(
            unit,
            publish=False,
            title_nb=title,
            title_en=title,
            capacity=capacity,
            waitlist_enabled=True,
            start_at=start,
            end_at=start + timedelta(hours=2),
        )


def hot_event(out_path, *, capacity):
    """The hot event everyone wants (see :func:`event_with_waitlist`); writes its id."""
    event = event_with_waitlist(title="Rush hot", capacity=capacity)
    with open(out_path, "w") as out:
        json.dump({"id": event.pk, "capacity": capacity}, out)


def promotions(out_path):
    """On the rush's events with a waitlist: the people moved up from it (confirmed after they
    booked) and whether each was sent exactly one "place given" notification since; and the
    notifications sent to people waiting or confirmed at once since they last booked.

    People may book, give up and book again: only their latest booking counts, and only the
    notifications sent since it.
    """
    from django.db.models import F

    from onboarding.activities.models import Signup
    from onboarding.live.models import Notification

    signups = Signup.objects.filter(
        event__slug_nb__startswith="rush-", event__waitlist_enabled=True
    ).select_related("event")
    sent: dict[tuple[int, str], list] = {}
    for recipient, title, created in Notification.objects.filter(
        kind="waitlist_place_given", recipient__email__endswith="@rush.example"
    ).values_list("recipient_id", "context__event_title__en", "created_at"):
        sent.setdefault((recipient, title), []).append(created)
    found = dict.fromkeys(
        ("promoted", "notified_once", "not_notified", "notified_twice_or_more"), 0
    )
    found["notified_not_promoted"] = 0
    for signup in signups.filter(confirmed_at__gt=F("booked_at")):
        since = [
            t
            for t in sent.get((signup.person_id, signup.event.title_en), [])
            if t >= signup.confirmed_at
        ]
        found["promoted"] += 1
        found["notified_once"] += len(since) == 1
        found["not_notified"] += not since
        found["notified_twice_or_more"] += len(since) > 1
    for signup in signups.exclude(confirmed_at__gt=F("booked_at")):
        found["notified_not_promoted"] += any(
            t >= signup.booked_at for t in sent.get((signup.person_id, signup.event.title_en), [])
        )
    with open(out_path, "w") as out:
        json.dump(found, out)


def _pools(faculty):
    return [
        {
            "type": "pool",
            "id": "degree",
            "value": {
                "rule": "status",
                "statuses": ["international_degree"],
                "faculties": [],
                "places": DEGREE_PLACES,
                "release_at": None,
            },
        },
        {
            "type": "pool",
            "id": "faculty",
            "value": {
                "rule": "faculty",
                "statuses": [],
                "faculties": [faculty.pk],
                "places": FACULTY_PLACES,
                "release_at": None,
            },
        },
    ]


def _index(person):
    """The person's number (``person<n>@rush.example``): their index in the clients' list."""
    return int(person.email.removeprefix("person").split("@", 1)[0])


def people_with(out_path, status):
    """Per pooled event with a waitlist, the people whose signup has ``status``, in order."""
    from onboarding.activities.models import EventPage, Signup

    found = {}
    for event in EventPage.objects.filter(slug_nb__startswith="rush-", waitlist_enabled=True):
        if not event.booking_pools():
            continue
        signups = (
            Signup.objects.filter(event=event, status=status)
            .select_related("person")
            .order_by("sequence")
        )
        found[event.pk] = [_index(signup.person) for signup in signups]
    with open(out_path, "w") as out:
        json.dump(found, out)


def _pool_violations(event, signups):
    """Overbookings and order violations per pool of a pooled event (no pool releases here).

    A person may take a place in their own pool or an open one (key ""); waiting, their
    ``pool`` is their own. Nobody may wait who arrived before someone given a place they
    could have taken, nor while such a place is free.
    """
    from onboarding.bookings.models import HOLDING_STATUSES, BookingStatus
    from onboarding.bookings.pools import OPEN, open_places

    pools = event.booking_pools()
    limits = {pool.key: pool.places for pool in pools}
    limits[OPEN] = open_places(event.capacity, pools)
    holding = [s for s in signups if s.status in HOLDING_STATUSES]
    waiting = [s for s in signups if s.status == BookingStatus.WAITLISTED]
    held = {key: sum(1 for s in holding if s.pool == key) for key in limits}
    overbooked = sum(max(held[key] - limits[key], 0) for key in limits)
    violations = 0
    for w in waiting:
        may = {OPEN, w.pool}
        passed_over = any(h.pool in may and h.sequence > w.sequence for h in holding)
        place_free = any(held[key] < limits[key] for key in may if key in limits)
        violations += passed_over or place_free
    return overbooked, violations


def verify(out_path):
    """Overbookings and waitlist order violations per the database, and the final counts."""
    from django.db.models import Count, Max, Min, Q

    from onboarding.activities.models import EventPage, Signup

    events = EventPage.objects.filter(slug_nb__startswith="rush-").annotate(
        confirmed=Count("signups", filter=Q(signups__status="confirmed")),
        waitlisted=Count("signups", filter=Q(signups__status="waitlisted")),
        offered=Count("signups", filter=Q(signups__status="offered")),
        last_confirmed=Max("signups__sequence", filter=Q(signups__status="confirmed")),
        first_waitlisted=Min("signups__sequence", filter=Q(signups__status="waitlisted")),
        rows=Count("signups"),
        top=Max("signups__sequence"),
    )
    overbooked = order_violations = sequence_gaps = 0
    pool_overbooked = pool_order_violations = 0
    confirmed = waitlisted = offered = 0
    for event in events:
        confirmed += event.confirmed
        waitlisted += event.waitlisted
        offered += event.offered
        overbooked += max(event.confirmed + event.offered - event.capacity, 0)
        if event.rows and event.top != event.rows:
            sequence_gaps += 1
        if event.booking_pools():
            signups = list(Signup.objects.filter(event=event).order_by("sequence"))
            over, violations = _pool_violations(event, signups)
            pool_overbooked += over
            pool_order_violations += violations
            continue
        if event.first_waitlisted is not None and event.last_confirmed is not None:
            # Nobody may wait who arrived before someone who got a place.
            order_violations += Signup.objects.filter(
                event=event, status="waitlisted", sequence__lt=event.last_confirmed
            ).count()
        if event.confirmed < event.capacity and event.waitlisted:
            order_violations += event.waitlisted  # people waiting while places were free
    with open(out_path, "w") as out:
        json.dump(
            {
                "overbooked": overbooked,
                "order_violations": order_violations,
                "pool_overbooked": pool_overbooked,
                "pool_order_violations": pool_order_violations,
                "offered": offered,
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
    elif command == "people":
        people_with(path, sys.argv[3])
    elif command == "hot":
        hot_event(path, capacity=int(sys.argv[3]))
    elif command == "promotions":
        promotions(path)
    else:
        raise SystemExit(f"unknown command {command}")
