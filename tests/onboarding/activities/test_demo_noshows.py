"""The demo shows the no-show rule: an event that uses it, and a demo student who missed two."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from onboarding.activities.demo import DATA
from onboarding.activities.models import EventPage, Signup
from onboarding.bookings.models import BookingStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_event_with_the_rule_and_a_student_who_missed_two(demo_site):
    event = EventPage.objects.get(noshow_rule=True)
    assert event.capacity and event.waitlist_enabled
    assert event.start_at > timezone.now()
    student = get_user_model().objects.get(email=DATA["student"])
    missed = Signup.objects.filter(
        person=student,
        status=BookingStatus.CONFIRMED,
        checked_in_at__isnull=True,
        event__end_at__lte=timezone.now(),
    )
    assert missed.count() == 2
    assert not Signup.objects.filter(event=event, person=student).exists()
