"""The demo seed gives the demo student a few notifications, once."""

import pytest
from django.core import mail

from onboarding.live.demo import DATA, DEMO_RECIPIENT, seed_notifications
from onboarding.live.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def student(db):
    return UserFactory(email=DEMO_RECIPIENT, language="en")


def test_the_demo_student_gets_read_and_unread_notifications_without_email(student):
    seed_notifications()

    notifications = Notification.objects.filter(recipient=student)
    assert notifications.count() == len(DATA["notification"]) >= 2
    assert notifications.filter(read_at__isnull=True).count() == notifications.count() - 1
    assert {n.language for n in notifications} == {"en"}
    assert mail.outbox == []


def test_seeding_again_adds_nothing(student):
    seed_notifications()

    assert seed_notifications() == []
    assert Notification.objects.count() == len(DATA["notification"])


def test_without_the_demo_student_nothing_is_seeded(db):
    assert seed_notifications() == []
    assert not Notification.objects.exists()
