"""Reads of pre-approval cases: a student's cases, one case whole, the advisers' queue.

Every read costs a fixed number of queries, whatever the number of cases,
lines, courses and steps: one case with 2 lines or 20 reads the same way, and
the queue reads the clocks of all its cases with one query for their steps
(``clocks.case_clocks``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from onboarding.exchange.models import Agreement, Season, StudyLevel
from onboarding.exchange.selectors import agreements_current

from ..models import (
    CaseLine,
    CaseStatus,
    CaseStep,
    CourseApproval,
    ForeignCourse,
    HomeCourse,
    LineHomeCourse,
    PreApprovalCase,
)
from ..permissions import handled_cases_q, may_view_case
from .clocks import CaseClocks, case_clocks, clocks_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User
    from onboarding.exchange.models import Institution, Programme
    from onboarding.units.models import UnitPage

# The in-page search of earlier decisions shows at most this many.
PRECEDENT_RESULTS = 20
# And looks for at most this many words.
PRECEDENT_WORDS = 8
TOPIC_PREFIX = "approval_case"

_LEVEL_COLUMN = {
    StudyLevel.BACHELOR: "level_bachelor",
    StudyLevel.MASTER: "level_master",
    StudyLevel.PHD: "level_phd",
}


def case_topic(case: PreApprovalCase | int) -> str:
    """The live topic of one case, which its open pages follow."""
    return f"{TOPIC_PREFIX}:{case if isinstance(case, int) else case.pk}"


@dataclass(frozen=True)
class QueueRow:
    """One case with its clocks, as lists show it."""

    case: PreApprovalCase
    clocks: CaseClocks

    @property
    def time_left(self) -> Decimal | None:
        """Working days left on the clock that matters now; None when it has stopped."""
        current = self.clocks.current
        if current is None or current.stopped:
            return None
        return current.remaining


@dataclass
class CaseDetail:
    """One case whole: its lines with their courses, its steps and its clocks."""

    case: PreApprovalCase
    lines: list[CaseLine]
    steps: list[CaseStep]
    clocks: CaseClocks
    version: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def _case_base() -> QuerySet[PreApprovalCase]:
    return PreApprovalCase.objects.select_related(
        "agreement__institution", "unit", "accountable_unit", "adviser", "student", "programme"
    )


def _lines_queryset() -> QuerySet[CaseLine]:
    homes = LineHomeCourse.objects.select_related("elective_field")
    return CaseLine.objects.select_related(
        "precedent", "recorded_as", "decided_by"
    ).prefetch_related(
        "foreign_courses",
        Prefetch("home_courses", queryset=homes),
        Prefetch("drops", queryset=CaseLine.objects.prefetch_related("foreign_courses")),
    )


def case_get(*, case_id: int) -> PreApprovalCase | None:
    """The case with its lines, courses and steps fetched, or None (a fixed number of queries)."""
    steps = CaseStep.objects.select_related("actor").order_by("at", "pk")
    return (
        _case_base()
        .prefetch_related(
            Prefetch("lines", queryset=_lines_queryset()),
            Prefetch("steps", queryset=steps),
        )
        .filter(pk=case_id)
        .first()
    )


def case_detail(*, case: PreApprovalCase, now: datetime.datetime | None = None) -> CaseDetail:
    """What a case page shows of ``case`` (read with ``case_get``): no further queries."""
    lines = list(case.lines.all())
    steps = list(case.steps.all())
    # Each step's line is the line read with its courses (a removed line is None already).
    by_id = {line.pk: line for line in lines}
    for step in steps:
        if step.line_id in by_id:
            step.line = by_id[step.line_id]
    counts: dict[str, int] = defaultdict(int)
    for line in lines:
        counts[line.decision] += 1
    return CaseDetail(
        case=case,
        lines=lines,
        steps=steps,
        clocks=clocks_for(case, steps, now=now),
        version=max((step.pk for step in steps), default=0),
        counts=dict(counts),
    )


def case_topic_allowed(user: User | AnonymousUser, key: str) -> bool:
    """Whether ``user`` may follow the live topic of case ``key`` (as they may see the case)."""
    if not key.isdigit():
        return False
    case = PreApprovalCase.objects.select_related("unit", "accountable_unit").filter(pk=int(key))
    found = case.first()
    return found is not None and may_view_case(user=user, case=found)


def student_cases(
    *, user: User | AnonymousUser, now: datetime.datetime | None = None
) -> list[QueueRow]:
    """The student's own cases, newest first, each with its clocks."""
    if not user.is_authenticated:
        return []
    cases = list(
        _case_base()
        .filter(student=user)
        .annotate(line_count=Count("lines"))
        .order_by("-created_at", "-pk")
    )
    clocks = case_clocks(cases, now=now)
    return [QueueRow(case, clocks[case.pk]) for case in cases]


def _time_left_key(row: QueueRow) -> tuple[int, Decimal, datetime.datetime]:
    left = row.time_left
    submitted = row.case.submitted_at or row.case.created_at
    if left is None:
        return (1, Decimal(0), submitted)
    return (0, left, submitted)


def queue_for(
    *,
    user: User | AnonymousUser,
    unit: UnitPage | None = None,
    status: str | None = None,
    waiting_for: str | None = None,
    now: datetime.datetime | None = None,
) -> list[QueueRow]:
    """The cases ``user`` may handle, least time left first (late cases first, stopped last).

    ``status`` defaults to open cases (``CaseStatus``; drafts are never in a
    queue); ``unit`` keeps the cases of that unit and the units below it;
    ``waiting_for`` keeps the cases waiting for that party. Each row has the
    case (with student, destination, unit and adviser) and its clocks at ``now``.
    Three queries, whatever the number of cases.
    """
    cases = _case_base().filter(handled_cases_q(user)).exclude(status=CaseStatus.DRAFT)
    cases = cases.filter(status=status or CaseStatus.OPEN)
    if unit is not None:
        cases = cases.filter(unit__path__startswith=unit.path)
    if waiting_for:
        cases = cases.filter(waiting_for=waiting_for)
    rows = list(cases.annotate(line_count=Count("lines")))
    clocks = case_clocks(rows, now=now)
    return sorted((QueueRow(case, clocks[case.pk]) for case in rows), key=_time_left_key)


# --- Destinations a student may ask about -----------------------------------------------------


def case_destinations_q(programme: Programme) -> Q:
    """Agreements open to ``programme``'s students: its level and its subject (ISCED-F field)."""
    column = _LEVEL_COLUMN.get(programme.level)  # type: ignore[call-overload]
    level = Q(**{column: True}) if column else Q(pk__in=[])
    subject = Q(
        pk__in=Agreement.subject_areas.through.objects.filter(
            iscedfield__code__startswith=programme.isced_id
        ).values("agreement_id")
    )
    return level & subject


def case_destinations(
    *, programme: Programme, today: datetime.date | None = None
) -> QuerySet[Agreement]:
    """Current agreements open to ``programme``'s students, by partner."""
    return (
        agreements_current(today=today)
        .filter(case_destinations_q(programme))
        .select_related("institution", "owner_unit")
        .order_by("institution__name", "reference")
    )


def semester_dates(*, year: int, season: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a semester (autumn: August to December; spring: January to June)."""
    if season == Season.AUTUMN:
        return datetime.date(year, 8, 1), datetime.date(year, 12, 31)
    return datetime.date(year, 1, 1), datetime.date(year, 6, 30)


# --- Earlier decisions at the case's partner ----------------------------------------------------


@dataclass(frozen=True)
class CourseHistory:
    """How often a foreign course (by code) was approved at a partner, and when last."""

    code: str
    times: int
    last_decided: datetime.date | None


@dataclass(frozen=True)
class PrecedentMatch:
    """One earlier decision found for a case, with the history of its foreign courses."""

    approval: CourseApproval
    foreign: list[ForeignCourse]
    home: list[HomeCourse]
    history: list[CourseHistory]
    expired: bool


def precedent_matches(
    *,
    institution: Institution,
    query: str = "",
    today: datetime.date | None = None,
    limit: int = PRECEDENT_RESULTS,
) -> list[PrecedentMatch]:
    """Earlier decisions at ``institution`` whose courses match every word of ``query``.

    Without words, the latest decisions there. Each match has its courses and,
    for each of its foreign courses, how many decisions at the partner approved
    a course of that code and when the last was made. Four queries.
    """
    today = today or timezone.localdate()
    words = [word for word in query.lower().split() if word][:PRECEDENT_WORDS]
    approvals = CourseApproval.objects.filter(institution=institution)
    for word in words:
        approvals = approvals.filter(search_text__contains=word)
    homes = HomeCourse.objects.select_related("elective_field")
    found = list(
        approvals.prefetch_related(
            "foreign_courses", Prefetch("home_courses", queryset=homes)
        ).order_by("-decided_on", "-pk")[:limit]
    )
    codes = {course.code for approval in found for course in approval.foreign_courses.all()}
    stats: dict[str, dict[str, Any]] = {}
    if codes:
        for row in (
            ForeignCourse.objects.filter(approval__institution=institution, code__in=codes)
            .values("code")
            .annotate(times=Count("approval", distinct=True), last=Max("approval__decided_on"))
        ):
            stats[row["code"]] = dict(row)
    matches = []
    for approval in found:
        foreign = list(approval.foreign_courses.all())
        matches.append(
            PrecedentMatch(
                approval=approval,
                foreign=foreign,
                home=list(approval.home_courses.all()),
                history=[
                    CourseHistory(
                        code=course.code,
                        times=stats.get(course.code, {}).get("times", 0),
                        last_decided=stats.get(course.code, {}).get("last"),
                    )
                    for course in foreign
                ],
                expired=approval.valid_until < today,
            )
        )
    return matches
