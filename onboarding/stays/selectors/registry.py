"""Reads of the stay registry: a student's own stays, the hosts to choose from, and the courses
of their programme to pick plan-B courses from.

A student only ever reads their own stays: ``stay_own`` answers None for
anyone else's, and the views turn that into 404.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from onboarding.exchange.models import Agreement, Programme, StudentProgramme
from onboarding.exchange.selectors import agreements_current, student_programme

from ..models import PlanBCourse, ProgrammeCourse, StayAbroad

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User

# The most semesters a programme has (ProgrammeCourse.semester's validators).
MAX_SEMESTER = 12


def _with_details(stays: QuerySet[StayAbroad]) -> QuerySet[StayAbroad]:
    return stays.select_related("agreement__institution", "agreement__owner_unit").prefetch_related(
        Prefetch("plan_b_courses", queryset=PlanBCourse.objects.order_by("sort_order", "pk"))
    )


def student_stays(*, user: User | AnonymousUser) -> QuerySet[StayAbroad]:
    """The student's own stays, latest start first, with their host and plan-B courses."""
    if not user.is_authenticated:
        return StayAbroad.objects.none()
    return _with_details(StayAbroad.objects.filter(student=user)).order_by("-starts_on", "-pk")


def stay_own(*, stay_id: int, user: User | AnonymousUser) -> StayAbroad | None:
    """The stay ``stay_id`` if it is ``user``'s own, else None (as if it did not exist)."""
    if not user.is_authenticated:
        return None
    return student_stays(user=user).filter(pk=stay_id).first()


def stay_agreements(*, include: Agreement | None = None) -> list[Agreement]:
    """The agreements a stay may name: those in force today or later, by country and partner
    (and ``include``, the stay's own agreement, even if it has ended since)."""
    agreements = agreements_current()
    if include is not None:
        agreements = agreements | Agreement.objects.filter(pk=include.pk)
    return list(
        agreements.select_related("institution", "owner_unit")
        .distinct()
        .order_by("institution__country", "institution__name", "reference")
    )


def _term(day: datetime.date) -> int:
    """A running number of terms: spring (January to June) then autumn of each year."""
    return day.year * 2 + (1 if day.month >= 7 else 0)


def stay_semester(
    *, mine: StudentProgramme, starts_on: datetime.date, today: datetime.date | None = None
) -> int:
    """The semester of their programme the student is in when a stay starts on ``starts_on``:
    their current semester, moved on by the terms between today and the start."""
    today = today or timezone.localdate()
    semester = mine.semester + _term(starts_on) - _term(today)
    return max(1, min(semester, mine.programme.semesters or MAX_SEMESTER, MAX_SEMESTER))


def plan_b_semesters(
    *,
    user: User | AnonymousUser,
    starts_on: datetime.date | None,
    today: datetime.date | None = None,
) -> tuple[StudentProgramme | None, list[int]]:
    """The student's programme and the semesters to offer plan-B courses from: the stay's
    semester when its start is known, else their current semester and the next."""
    mine = student_programme(user=user)
    if mine is None:
        return None, []
    if starts_on is not None:
        return mine, [stay_semester(mine=mine, starts_on=starts_on, today=today)]
    last = mine.programme.semesters or MAX_SEMESTER
    return mine, sorted({min(mine.semester, last), min(mine.semester + 1, last)})


def programme_courses(*, programme: Programme, semesters: Iterable[int]) -> list[ProgrammeCourse]:
    """The courses of ``programme`` in ``semesters``, by semester and code."""
    return list(
        ProgrammeCourse.objects.filter(programme=programme, semester__in=list(semesters)).order_by(
            "semester", "code"
        )
    )


def plan_b_catalogue(
    *,
    user: User | AnonymousUser,
    starts_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> list[ProgrammeCourse]:
    """The courses of the student's programme they may pick plan-B courses from (none without
    a programme): those of the stay's semester (``plan_b_semesters``)."""
    mine, semesters = plan_b_semesters(user=user, starts_on=starts_on, today=today)
    if mine is None:
        return []
    return programme_courses(programme=mine.programme, semesters=semesters)


def stay_catalogue_course(*, user: User | AnonymousUser, course_id: int) -> ProgrammeCourse | None:
    """One course of the student's own programme (any semester), or None."""
    mine = student_programme(user=user)
    if mine is None:
        return None
    return ProgrammeCourse.objects.filter(pk=course_id, programme_id=mine.programme_id).first()
