"""Reserved places and offers under a crowd, on PostgreSQL: no pool overbooked, each pool's
queue in arrival order, each offered place settled exactly once.

As in ``test_concurrency.py``, every signup, claim and settle runs in its own thread with
its own connection, all released together by a barrier, so that they really contend for
the event's row lock. Times are given (``now``), so what is decided does not depend on
the clock or on who wins the lock, only the order does; the checks hold for every order.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from onboarding.accounts.models import StudentProfile
from onboarding.activities.errors import SignupError
from onboarding.activities.models import EventPage, Signup
from onboarding.activities.services import (
    events_offers_settle,
    signup_cancel,
    signup_create,
    signup_offer_claim,
)
from onboarding.bookings.models import HOLDING_STATUSES, BookingStatus
from onboarding.bookings.pools import OPEN
from onboarding.live.models import Notification
from tests.onboarding.activities.conftest import lean_tree
from tests.onboarding.activities.factories import event_create
from tests.onboarding.activities.test_pools_offers import faculty_pool, status_pool
from tests.onboarding.bookings.test_concurrency import _in_threads

pytestmark = [
    pytest.mark.stack,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def tree(site_tree):
    """Built per test: this module has transactional tests, which see only committed data."""
    return lean_tree(site_tree["home"])


@pytest.fixture(autouse=True)
def _patient_lock(settings):
    # Every one waits its turn (see test_concurrency.py).
    settings.BOOKING_LOCK_TIMEOUT_MS = 120_000


def _crowd(prefix, profiles):
    """People with the given ``(status, faculty)`` profiles, in that order."""
    user_model = get_user_model()
    user_model.objects.bulk_create(
        user_model(email=f"{prefix}{number:04}@example.org", first_name=f"P{number}")
        for number in range(len(profiles))
    )
    people = list(user_model.objects.filter(email__startswith=prefix).order_by("email"))
    StudentProfile.objects.bulk_create(
        StudentProfile(user=user, status=status, faculty=faculty)
        for user, (status, faculty) in zip(people, profiles, strict=True)
    )
    return people


# --- (a) 300 signups, two pools, one of them released during the burst -----------------------

PEOPLE = 300
CAPACITY = 90
DEGREE_PLACES = 30
SCIENCE_PLACES = 20


def test_300_signups_with_two_pools_and_a_release_keep_every_pool_and_its_order(tree):
    # The degree pool releases its unused places at ``release``; half the crowd books
    # before it (their ``now``), half after, all at once, so the lock mixes them.
    release = (timezone.now() + timedelta(days=1)).replace(microsecond=0)
    event = event_create(
        tree["buddies"],
        capacity=CAPACITY,
        waitlist_enabled=True,
        pools=[
            status_pool("degree", DEGREE_PLACES, "international_degree", release_at=release),
            faculty_pool("science", SCIENCE_PLACES, tree["faculty_a"]),
        ],
    )
    # 60 degree students, 45 phd of faculty A, 195 others (faculty B): far more than fit.
    profiles = (
        [("international_degree", tree["faculty_b"])] * 60
        + [("phd", tree["faculty_a"])] * 45
        + [("phd", tree["faculty_b"])] * 195
    )
    people = _crowd("pool", profiles)
    pools = ["degree"] * 60 + ["science"] * 45 + [OPEN] * 195
    own = {p.pk: key for p, key in zip(people, pools, strict=True)}
    before, after = release - timedelta(hours=1), release + timedelta(seconds=1)
    moment = {p.pk: (before if index % 2 else after) for index, p in enumerate(people)}

    def sign_up(person):
        # Each thread its own copy of the page: Wagtail caches on the instance.
        signup_create(event=EventPage.objects.get(pk=event.pk), user=person, now=moment[person.pk])

    assert _in_threads(sign_up, people) == []

    signups = list(Signup.objects.filter(event=event).order_by("sequence"))
    assert [s.sequence for s in signups] == list(range(1, PEOPLE + 1))
    _check_pools(signups, own=own, release=release)

    # The settle step then gives nobody anything more: every released place that someone
    # waiting may take was given already, and running it again changes nothing.
    events_offers_settle(now=after)
    settled = list(Signup.objects.filter(event=event).order_by("sequence"))
    _check_pools(settled, own=own, release=release)
    free_for = _free_places(settled)
    waiting = [s for s in settled if s.status == BookingStatus.WAITLISTED]
    assert not any(free_for[key] for s in waiting for key in _may_take(own[s.person_id], True))
    rows = [(s.pk, s.status, s.pool) for s in settled]
    events_offers_settle(now=after)
    again = Signup.objects.filter(event=event).order_by("sequence")
    assert [(s.pk, s.status, s.pool) for s in again] == rows


LIMITS = {OPEN: CAPACITY - DEGREE_PLACES - SCIENCE_PLACES, "degree": DEGREE_PLACES}
LIMITS["science"] = SCIENCE_PLACES


def _may_take(own, released):
    """The pools a person of pool ``own`` may take a place in (``released``: after the
    release of the degree pool)."""
    keys = {OPEN, own}
    if released:
        keys.add("degree")
    return keys


def _free_places(signups):
    held = dict.fromkeys(LIMITS, 0)
    for s in signups:
        if s.status in HOLDING_STATUSES:
            held[s.pool] += 1
    return {key: LIMITS[key] - held[key] for key in LIMITS}


def _check_pools(signups, *, own, release):
    holding = [s for s in signups if s.status in HOLDING_STATUSES]
    # No pool overbooked, nobody in a pool they may not be in.
    held = {key: sum(1 for s in holding if s.pool == key) for key in LIMITS}
    assert all(held[key] <= LIMITS[key] for key in LIMITS), held
    assert len(holding) <= CAPACITY
    # A place is given at ``confirmed_at``: the booking's own time, or the time of the change
    # that moved it up from the waitlist.
    for s in holding:
        assert s.pool in _may_take(own[s.person_id], s.confirmed_at >= release), s.sequence
    # Arrival order in each pool: nobody still waiting could have taken, when it was given,
    # a place given to someone who came after them.
    waiting = [s for s in signups if s.status == BookingStatus.WAITLISTED]
    for h in holding:
        given_released = h.confirmed_at >= release
        for w in waiting:
            if w.sequence < h.sequence:
                assert h.pool not in _may_take(own[w.person_id], given_released), (
                    f"#{w.sequence} ({own[w.person_id] or 'open'}) waits while "
                    f"#{h.sequence} got a place in {h.pool or 'open'}"
                )


# --- (b) Offers expiring while their people claim them -----------------------------------------

OFFER_CAPACITY = 40
WAITING = 100
SETTLERS = 4


def test_claims_racing_the_expiry_settle_each_offered_place_exactly_once(tree):
    start = timezone.now() + timedelta(days=5)
    event = event_create(
        tree["buddies"],
        capacity=OFFER_CAPACITY,
        waitlist_enabled=True,
        waitlist_offers=True,
        offer_hours=12,
        start_at=start,
        end_at=start + timedelta(hours=2),
    )
    people = _crowd("offer", [("phd", None)] * (OFFER_CAPACITY + WAITING))
    holders = [signup_create(event=event, user=p) for p in people[:OFFER_CAPACITY]]
    waiting = [signup_create(event=event, user=p) for p in people[OFFER_CAPACITY:]]
    for signup in holders:
        signup_cancel(signup=signup, user=signup.person)
    offered = waiting[:OFFER_CAPACITY]
    assert {Signup.objects.get(pk=s.pk).status for s in offered} == {BookingStatus.OFFERED}
    # Every offer runs out at the same moment ``expires``: a claim just before it wins if it
    # gets the lock before a settle run at ``expires``; else the offer lapses.
    expires = timezone.now() + timedelta(hours=6)
    Signup.objects.filter(pk__in=[s.pk for s in offered]).update(offer_expires_at=expires)

    claim_errors = []

    def work(item):
        kind, signup = item
        if kind == "settle":
            events_offers_settle(now=expires)
            return
        try:
            signup_offer_claim(
                signup=Signup.objects.get(pk=signup.pk),
                user=signup.person,
                now=expires - timedelta(microseconds=1),
            )
        except SignupError as error:
            claim_errors.append((signup.pk, error.code))

    items = [("claim", s) for s in offered]
    # The settlers join the crowd in the middle, among the claims.
    items[len(items) // 2 : len(items) // 2] = [("settle", None)] * SETTLERS
    assert _in_threads(work, items) == []

    after = {s.pk: s for s in Signup.objects.filter(event=event)}
    claimed = {pk for pk in (s.pk for s in offered) if after[pk].status == BookingStatus.CONFIRMED}
    lapsed = {pk for pk in (s.pk for s in offered) if after[pk].status == BookingStatus.CANCELLED}
    # Each offer settled once: claimed or lapsed, never both, never still open.
    assert claimed | lapsed == {s.pk for s in offered}
    assert not claimed & lapsed
    # Every claim refused is an offer that lapsed, and said so.
    assert {pk for pk, _code in claim_errors} == lapsed
    assert {code for _pk, code in claim_errors} <= {"offer_lapsed"}
    # No place lost and none given twice: every place is held, each lapsed place offered
    # to the next in line, in arrival order.
    holding = [s for s in after.values() if s.status in HOLDING_STATUSES]
    assert len(holding) == OFFER_CAPACITY
    rest = sorted(waiting[OFFER_CAPACITY:], key=lambda s: s.sequence)
    next_offers = [s.pk for s in rest if after[s.pk].status == BookingStatus.OFFERED]
    assert next_offers == [s.pk for s in rest[: len(lapsed)]]
    assert all(after[s.pk].offer_expires_at > expires for s in rest[: len(lapsed)])
    # Told once each: the lapsed ones that their offer went, the next ones of their offer.
    told_lapsed = Notification.objects.filter(kind="waitlist_offer_lapsed")
    assert sorted(n.recipient_id for n in told_lapsed) == sorted(
        after[pk].person_id for pk in lapsed
    )
    told_offer = Notification.objects.filter(
        kind="waitlist_place_offered", recipient_id__in=[s.person_id for s in rest]
    )
    assert sorted(n.recipient_id for n in told_offer) == sorted(
        s.person_id for s in rest[: len(lapsed)]
    )
