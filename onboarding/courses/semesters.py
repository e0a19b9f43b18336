"""Semesters: spring (January to June) and autumn (July to December) of a year.

A course belongs to one semester. "This semester" is the one today falls
in; the coverage report and the arrival plan look at this semester and the
next, the courses a student can still be offered.
"""

import re
from dataclasses import dataclass

from django.utils import timezone

# The terms and their first months are the checklists' (semester start dates are data there).
from onboarding.checklists.calendar import TERM_START_MONTH, Term

CODE_RE = re.compile(r"^(?P<year>\d{4})-(?P<term>spring|autumn)$")


@dataclass(frozen=True, order=True)
class Semester:
    """One semester; ordered by time. ``code`` (e.g. ``2026-autumn``) is what URLs carry."""

    year: int
    # "spring" sorts before "autumn" through the order key, not the name.
    order: int
    term: str

    @classmethod
    def of(cls, year, term):
        return cls(year=int(year), order=0 if term == Term.SPRING else 1, term=str(term))

    @classmethod
    def from_code(cls, code):
        """The semester a code names, or None for anything else."""
        match = CODE_RE.match(code or "")
        if match is None:
            return None
        return cls.of(match["year"], match["term"])

    @classmethod
    def containing(cls, day):
        """The semester ``day`` (a date) falls in."""
        return cls.of(
            day.year, Term.SPRING if day.month < TERM_START_MONTH[Term.AUTUMN] else Term.AUTUMN
        )

    @classmethod
    def current(cls, today=None):
        return cls.containing(today or timezone.localdate())

    @property
    def code(self):
        return f"{self.year}-{self.term}"

    @property
    def label(self):
        """ "Autumn 2026" / "Høst 2026" in the active language."""
        return f"{Term(self.term).label} {self.year}"

    def next(self):
        if self.term == Term.SPRING:
            return Semester.of(self.year, Term.AUTUMN)
        return Semester.of(self.year + 1, Term.SPRING)

    def __str__(self):
        return str(self.label)


def offer_semesters(today=None):
    """This semester and the next: the semesters whose courses count as an offer."""
    current = Semester.current(today)
    return [current, current.next()]
