"""Builders for the crisis tests: a crisis declared through the service, a moment in Oslo."""

import datetime
from zoneinfo import ZoneInfo

from onboarding.stays.models import Severity
from onboarding.stays.services.crisis import AreaInput, crisis_declare

OSLO = ZoneInfo("Europe/Oslo")
# The dates of a stay around the crises the tests declare on 1 October 2026.
AUTUMN = {"starts_on": datetime.date(2026, 8, 15), "ends_on": datetime.date(2026, 12, 20)}
TEXTS = {
    "title_nb": "Flom i Valencia",
    "title_en": "Flooding in Valencia",
    "message_nb": "Hold deg innendørs og følg rådene fra lokale myndigheter.",
    "message_en": "Stay indoors and follow the advice of the local authorities.",
}


def at(year, month, day, hour=12, minute=0):
    """A moment in Oslo."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=OSLO)


def declare(staff, *, areas=(("ES", "Valencia"),), duty_officer=None, **changes):
    """A crisis declared by ``staff`` for ``areas`` ((country, city) pairs); returns Declared."""
    values = {
        "user": staff,
        **TEXTS,
        "severity": Severity.SERIOUS,
        "areas": [AreaInput(country=country, city=city) for country, city in areas],
        "duty_officer": duty_officer or staff,
        "reminder_hours": 6,
        "acknowledge_minutes": 60,
    }
    values.update(changes)
    return crisis_declare(**values)


def crisis_world(*, student, staff):
    """The security tests' crisis (``tests/security/conftest.py``): the student's stay in
    Valencia, a crisis there declared by ``staff`` (its duty officer), the student's check and
    an answer link's token for it."""
    from onboarding.stays.models import SafetyCheck
    from onboarding.stays.tokens import answer_token_make

    from .factories import stay_make

    stay_make(student, city="Valencia", country="ES")
    crisis = declare(staff).crisis
    check = SafetyCheck.objects.get(crisis=crisis, student=student)
    token = answer_token_make(check_id=check.pk, student_id=student.pk, answer="help")
    return {"crisis": crisis, "safety_check": check, "answer_token": token}
