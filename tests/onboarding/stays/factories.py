"""Builders of stays abroad for the tests: a stay with sensible defaults, written directly."""

import datetime

from onboarding.stays.models import StayAbroad


def stay_make(student, *, city="Munich", country="DE", starts_on=None, ends_on=None, **fields):
    """A stay of ``student`` in ``city``, ``country`` from ``starts_on`` to ``ends_on``
    (by default from a month ago to four months ahead)."""
    today = datetime.date.today()
    values = {
        "local_address": "Leopoldstraße 1",
        "local_phone": "+49 89 123456",
        "emergency_name": "Kari Nordmann",
        "emergency_relation": "mother",
        "emergency_phone": "+47 900 00 000",
        "emergency_email": "kari@example.test",
        "consented_at": datetime.datetime.now(datetime.UTC),
        **fields,
    }
    return StayAbroad.objects.create(
        student=student,
        city=city,
        country=country,
        starts_on=starts_on or today - datetime.timedelta(days=30),
        ends_on=ends_on or today + datetime.timedelta(days=120),
        **values,
    )
