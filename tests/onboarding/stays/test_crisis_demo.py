"""The demo's crises, seeded over stays made here (the registry's demo stays stand in)."""

import datetime

import pytest

from onboarding.live.models import Notification
from onboarding.stays.demo_crisis import seed_crises
from onboarding.stays.models import Crisis, SafetyCheck
from onboarding.units.services import international_staff_add
from tests.factories import UserFactory

from .factories import stay_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def stays(tree):
    staff = UserFactory(email="staff@velkommen.test")
    international_staff_add(user=staff)
    for index in range(10):
        stay_make(
            UserFactory(email=f"japan{index:02}@example.test"),
            city=("Tokyo", "Kyoto")[index % 2],
            country="JP",
            starts_on=datetime.date(2025, 8, 15),
            ends_on=datetime.date(2025, 12, 20),
        )
    for index in range(14):
        stay_make(
            UserFactory(email=f"valencia{index:02}@example.test"), city="Valencia", country="ES"
        )
    stay_make(UserFactory(email="madrid@example.test"), city="Madrid", country="ES")
    return staff


def counts(crisis):
    checks = SafetyCheck.objects.filter(crisis=crisis)
    return {answer: checks.filter(answer=answer).count() for answer in ("safe", "help", "pending")}


def test_the_demo_has_a_closed_crisis_in_japan_and_an_open_one_in_valencia(stays):
    japan, valencia = seed_crises()

    assert japan.title_en == "Earthquake in Japan" and japan.title_nb == "Jordskjelv i Japan"
    assert japan.declared_at.date() == datetime.date(2025, 10, 10)
    assert japan.closed_at.date() == datetime.date(2025, 10, 14)
    assert counts(japan) == {"safe": 8, "help": 1, "pending": 1}
    assert {key: japan.summary[key] for key in ("checks", "safe", "help", "pending")} == {
        "checks": 10,
        "safe": 8,
        "help": 1,
        "pending": 1,
    }
    assert SafetyCheck.objects.filter(crisis=japan, acknowledged_at__isnull=False).count() == 1
    # The past crisis told no one now.
    assert not Notification.objects.filter(context__crisis__number=japan.pk).exists()

    assert valencia.is_open and valencia.title_en == "Flooding in Valencia"
    assert counts(valencia) == {"safe": 6, "help": 2, "pending": 6}
    helpers = SafetyCheck.objects.filter(crisis=valencia, answer="help")
    assert sorted(check.acknowledged_at is None for check in helpers) == [False, True]
    assert not SafetyCheck.objects.filter(
        crisis=valencia, student__email="madrid@example.test"
    ).exists()
    # The open crisis told its students and the duty officer, on the site only.
    told = Notification.objects.filter(kind="safety_check", context__crisis__number=valencia.pk)
    assert told.count() == 14 and set(told.values_list("delivery", flat=True)) == {"site"}
    assert Notification.objects.filter(kind="crisis_help_asked", recipient=stays).count() == 2


def test_seeding_again_adds_nothing(stays):
    seed_crises()
    before = (Crisis.objects.count(), SafetyCheck.objects.count(), Notification.objects.count())

    seed_crises()

    assert (
        Crisis.objects.count(),
        SafetyCheck.objects.count(),
        Notification.objects.count(),
    ) == before
