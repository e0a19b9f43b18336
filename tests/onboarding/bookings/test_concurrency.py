"""Hundreds of people clicking at once, on PostgreSQL: no overbooking, the waitlist in arrival order.

Each signup and cancellation runs in its own thread with its own database
connection, all released together by a barrier, so that they really contend
for the event's row lock.
"""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from onboarding.activities.models import Signup
from onboarding.activities.services import signup_cancel, signup_create
from onboarding.live.models import Notification
from tests.onboarding.activities.conftest import lean_tree
from tests.onboarding.activities.factories import event_create

pytestmark = [
    pytest.mark.stack,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def tree(site_tree):
    """Built per test: this module has transactional tests, which see only committed data."""
    return lean_tree(site_tree["home"])


PEOPLE = 200
CAPACITY = 50
CANCELLATIONS = 20


def _in_threads(work, items):
    """Run ``work(item)`` for every item at once, one thread and connection each; return errors."""
    barrier = threading.Barrier(len(items))
    errors = []

    def run(item):
        try:
            barrier.wait(timeout=60)
            work(item)
        except Exception as error:  # collected and reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.fixture
def crowd(db):
    user_model = get_user_model()
    user_model.objects.bulk_create(
        user_model(email=f"rush{number}@example.org", first_name=f"R{number}")
        for number in range(PEOPLE)
    )
    return list(user_model.objects.filter(email__startswith="rush").order_by("pk"))


def test_200_concurrent_signups_then_20_cancellations_keep_capacity_and_order(
    unit, crowd, settings
):
    # Every one of the 200 waits its turn here (on a busy test machine that can take longer
    # than the lock timeout, which would refuse some as "busy": test_lock_timeout.py).
    settings.BOOKING_LOCK_TIMEOUT_MS = 120_000
    event = event_create(unit, capacity=CAPACITY, waitlist_enabled=True)

    errors = _in_threads(lambda person: signup_create(event=event, user=person), crowd)

    assert errors == []
    signups = list(Signup.objects.filter(event=event).order_by("sequence"))
    assert [s.sequence for s in signups] == list(range(1, PEOPLE + 1))
    assert [s.status for s in signups] == ["confirmed"] * CAPACITY + ["waitlisted"] * (
        PEOPLE - CAPACITY
    )
    # The arrival number follows the order in which the lock was obtained.
    booked = [s.booked_at for s in signups]
    assert booked == sorted(booked)

    leaving = signups[:CANCELLATIONS]
    errors = _in_threads(lambda s: signup_cancel(signup=s, user=s.person), leaving)

    assert errors == []
    confirmed = Signup.objects.filter(event=event, status="confirmed")
    assert confirmed.count() == CAPACITY
    promoted = [s.sequence for s in confirmed.filter(sequence__gt=CAPACITY).order_by("sequence")]
    assert promoted == list(range(CAPACITY + 1, CAPACITY + CANCELLATIONS + 1))
    assert Signup.objects.filter(event=event, status="waitlisted").count() == (
        PEOPLE - CAPACITY - CANCELLATIONS
    )
    told = Notification.objects.filter(kind="waitlist_place_given")
    assert told.count() == CANCELLATIONS
    assert {n.recipient_id for n in told} == {
        s.person_id for s in signups[CAPACITY : CAPACITY + CANCELLATIONS]
    }
