"""Builders for the stay registry's tests: what a student sends, and programme courses."""

import datetime
from decimal import Decimal

from onboarding.stays.models import ProgrammeCourse
from onboarding.stays.services.registry import PlanBInput, StayInput


def stay_input(**changes):
    """A valid stay outside the agreements: Valencia, from a month ago to four months ahead."""
    today = datetime.date.today()
    values = {
        "host_name": "Universitat de València",
        "city": "Valencia",
        "country": "ES",
        "starts_on": today - datetime.timedelta(days=30),
        "ends_on": today + datetime.timedelta(days=120),
        "local_address": "Carrer de Colón 1, 46004 València",
        "local_phone": "+34 612 345 678",
        "emergency_name": "Kari Nordmann",
        "emergency_relation": "mother",
        "emergency_phone": "+47 900 00 000",
        "emergency_email": "kari@example.test",
        "consent": True,
    }
    values.update(changes)
    return StayInput(**values)


def typed_course(code="SYK2001", title="Sykepleie og helse", ects="7.5"):
    return PlanBInput(code=code, title=title, ects=Decimal(ects))


def course_make(programme, *, semester=5, code="DAT300", title_nb=None, title_en=None, ects="7.5"):
    course = ProgrammeCourse(programme=programme, semester=semester, code=code, ects=Decimal(ects))
    course.title_en = title_en or f"Course {code}"
    course.title_nb = title_nb or f"Emne {code}"
    course.__dict__["title"] = course.title_en
    course.save()
    return course
