"""On PostgreSQL nobody waits on a holder's lock for longer than BOOKING_LOCK_TIMEOUT_MS: past
that the booking is refused as ``busy``, with a message to try again in the person's language."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import translation

from onboarding.activities.errors import SignupError
from onboarding.activities.models import Signup
from onboarding.activities.services import signup_create
from onboarding.bookings import services
from onboarding.bookings.errors import BookingError
from tests.onboarding.activities.conftest import lean_tree
from tests.onboarding.activities.factories import event_create

pytestmark = [
    pytest.mark.stack,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TIMEOUT_MS = 300


@pytest.fixture
def tree(site_tree):
    """Built per test: this module has transactional tests, which see only committed data."""
    return lean_tree(site_tree["home"])


@pytest.fixture
def held(settings):
    """``hold(event)`` keeps the event's row locked in another transaction until the test ends."""
    settings.BOOKING_LOCK_TIMEOUT_MS = TIMEOUT_MS
    locked, release = threading.Event(), threading.Event()
    threads = []

    def keep(event_id):
        try:
            with transaction.atomic():
                services.holder_lock(booking_model=Signup, holder_id=event_id)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    def hold(event):
        thread = threading.Thread(target=keep, args=(event.pk,))
        thread.start()
        threads.append(thread)
        assert locked.wait(timeout=10)

    yield hold
    release.set()
    for thread in threads:
        thread.join(timeout=30)


def test_the_engine_refuses_as_busy_within_the_timeout(unit, student, held):
    event = event_create(unit, capacity=5)
    held(event)

    started = time.monotonic()
    with pytest.raises(BookingError) as caught:
        services.booking_create(booking_model=Signup, holder_id=event.pk, person=student)
    waited = time.monotonic() - started

    assert caught.value.code == "busy"
    assert TIMEOUT_MS / 1000 * 0.9 <= waited < TIMEOUT_MS / 1000 + 2
    assert not Signup.objects.filter(event=event).exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nb", "Mange melder seg på akkurat nå. Prøv igjen."),
        ("en", "Many people are signing up right now. Please try again."),
    ],
)
def test_a_signup_waiting_too_long_is_told_to_try_again(unit, student, held, language, message):
    event = event_create(unit, capacity=5)
    held(event)

    with translation.override(language), pytest.raises(SignupError) as caught:
        signup_create(event=event, user=student)

    assert caught.value.code == "busy"
    assert caught.value.message == message


def test_once_the_lock_is_free_the_signup_goes_through(unit, student, settings):
    settings.BOOKING_LOCK_TIMEOUT_MS = TIMEOUT_MS
    event = event_create(unit, capacity=5)

    signup = signup_create(event=event, user=student)

    assert signup.status == "confirmed"
