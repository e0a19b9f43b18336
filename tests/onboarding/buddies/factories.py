"""Builders of buddy rounds and profiles for tests."""

import datetime

from onboarding.buddies.models import BuddyProfile, BuddyRound, Role
from tests.factories import UserFactory

SEMESTER_START = datetime.date(2026, 8, 17)


def round_create(unit, *, closes_on=None, starts=SEMESTER_START):
    return BuddyRound.objects.create(
        unit=unit,
        name_nb="Fadderordningen høsten 2026",
        name_en="Buddy programme autumn 2026",
        semester_starts_on=starts,
        closes_on=closes_on or datetime.date(2099, 1, 1),
    )


def buddy_create(round, *, capacity=1, languages=("nb", "en"), user=None, **fields):
    fields.setdefault("available_on", datetime.date(2026, 8, 1))
    return BuddyProfile.objects.create(
        round=round,
        user=user or UserFactory(language="nb"),
        role=Role.BUDDY,
        capacity=capacity,
        languages=list(languages),
        **fields,
    )


def student_create(round, *, languages=("en",), user=None, **fields):
    fields.setdefault("available_on", datetime.date(2026, 8, 10))
    fields.setdefault("student_status", "incoming_exchange")
    return BuddyProfile.objects.create(
        round=round,
        user=user or UserFactory(language="en"),
        role=Role.STUDENT,
        languages=list(languages),
        **fields,
    )
