"""Dates in the university's calendar: terms, Norwegian working days, and EU/EEA countries.

The terms are shared with the Norwegian courses (``onboarding.courses.semesters``
imports ``Term`` from here), so a semester's start date kept as data
(``AcademicSemester``) serves checklists and courses alike.

Working days are Monday to Friday except Norwegian public holidays, as the
``holidays`` package knows them (Easter, Ascension and Whit Monday move
each year; 17 May and Christmas do not).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays
from django.db import models
from django.utils.translation import gettext_lazy as _


class Term(models.TextChoices):
    SPRING = "spring", _("Spring")
    AUTUMN = "autumn", _("Autumn")


# The first month of each term.
TERM_START_MONTH = {Term.SPRING: 1, Term.AUTUMN: 7}

# The EU's member states, the other EEA states (Iceland, Liechtenstein, Norway) and
# Switzerland, whose citizens use the same registration scheme in Norway.
EU_EEA_COUNTRIES = frozenset(
    {
        # EU
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
        # EEA outside the EU, and Switzerland
        "IS", "LI", "NO", "CH",
    }
)  # fmt: skip


def is_eu_eea(country_code: str) -> bool:
    """Whether a country (ISO 3166 alpha-2) is in the EU/EEA or is Switzerland."""
    return country_code.upper() in EU_EEA_COUNTRIES


def term_of(day: date) -> tuple[int, str]:
    """(year, term) of the term ``day`` falls in by calendar: spring January–June."""
    return day.year, (Term.SPRING if day.month < TERM_START_MONTH[Term.AUTUMN] else Term.AUTUMN)


@cache
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NO", years=year).keys())


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a Norwegian public holiday."""
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: date, count: int) -> date:
    """The ``count``-th working day after ``start`` (before it when negative).

    With 0, ``start`` itself when it is a working day, else the next working
    day: a deadline never falls on a weekend or a holiday.
    """
    step = 1 if count >= 0 else -1
    day = start
    if count == 0:
        while not is_working_day(day):
            day += timedelta(days=1)
        return day
    remaining = abs(count)
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day
