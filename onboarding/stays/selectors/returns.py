"""Reads of requests to come home early: who may see and decide them, where they go, their
clock, the faculty's queue, and what a student may ask with (their stays, open crises, the
courses of their programme's semester).

A request is its student's own: they see it and nobody else's. It is decided by the unit it
was sent to (the faculty of the student's programme, or the International Section): that
unit's editors handle it, and the International Section's staff (``stays.manage_crises``)
handle every request.

The decision clock is the pre-approval cases' clock (``onboarding.approvals.clock``): the
request's steps say whom it waited for from when, only the time it waited for the faculty
counts against the promised working days, and a question to the student pauses it until
the answer comes. ``request_clocks`` reads the clocks of many requests with one query for
all their steps, so a queue of any length costs the same number of queries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q
from django.utils import timezone

from onboarding.approvals.clock import ClockReading, Light, Span, read, spans_from_changes
from onboarding.approvals.models import LearningAgreement
from onboarding.approvals.selectors.agreements import AgreementTables, agreement_tables
from onboarding.exchange.models import Season, StudentProgramme
from onboarding.responsibilities.levels import Level, Role
from onboarding.responsibilities.models import Assignment, Duty
from onboarding.responsibilities.selectors import area_for_duty
from onboarding.units.kinds import UnitKind
from onboarding.units.models import UnitPage
from onboarding.units.selectors import unit_faculty, units_edited_by

from ..apps import STAFF_PERMISSION
from ..models import (
    Crisis,
    EarlyReturnRequest,
    EarlyReturnStep,
    PlanBCourse,
    ProgrammeCourse,
    ReturnStatus,
    StayAbroad,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User

# A student may ask from a stay that has begun and not ended, or that starts within this many days.
RETURN_AHEAD_DAYS = 14
# The units whose editors have a queue of requests: those requests are sent to.
QUEUE_KINDS = (UnitKind.INTERNATIONAL_SECTION, UnitKind.FACULTY)
# The queue's status filter: the requests waiting for a decision, or every request.
QUEUE_OPEN = "open"
QUEUE_ALL = "all"
DECIDED = (ReturnStatus.APPROVED, ReturnStatus.REFUSED)


# --- Who may do what ---------------------------------------------------------------------------


def is_returns_staff(user: User | AnonymousUser) -> bool:
    """The International Section's staff (and superusers) handle every unit's requests."""
    return bool(user.is_authenticated and user.is_active and user.has_perm(STAFF_PERMISSION))


def _edited(user: User | AnonymousUser) -> list[tuple[str, str]]:
    """(path, kind) of the units ``user`` edits, kept on the user for the request."""
    if not user.is_authenticated or not user.is_active:
        return []
    cache: list[tuple[str, str]] | None = getattr(user, "_stays_returns_edited", None)
    if cache is None:
        cache = list(units_edited_by(user=user).values_list("path", "kind"))
        setattr(user, "_stays_returns_edited", cache)  # noqa: B010
    return cache


def may_use_return_queue(user: User | AnonymousUser) -> bool:
    """Staff, and the editors of a faculty or of the International Section."""
    return is_returns_staff(user) or any(kind in QUEUE_KINDS for _path, kind in _edited(user))


def may_handle_request(*, user: User | AnonymousUser, request: EarlyReturnRequest) -> bool:
    """Whether ``user`` may ask, comment on and decide ``request``: staff, and the editors of
    the unit it was sent to (or of a unit above it); never its own student."""
    if not user.is_authenticated or request.student_id == user.pk:
        return False
    if is_returns_staff(user):
        return True
    path = request.unit.path
    return any(path.startswith(edited) for edited, _kind in _edited(user))


def handled_requests_q(user: User | AnonymousUser) -> Q:
    """A filter for the requests ``user`` handles: every one for staff, none for others."""
    if is_returns_staff(user):
        return Q()
    condition = Q(pk__in=[])
    for path, _kind in _edited(user):
        condition |= Q(unit__path__startswith=path)
    return condition


# --- Where a request goes ----------------------------------------------------------------------


def _university_unit() -> UnitPage | None:
    """The unit that answers for crises at university level in the responsibility matrix
    (Accountable, then Responsible; named, or the first live unit of a named kind)."""
    area = area_for_duty(Duty.CRISIS_SUPPORT)
    if area is None:
        return None
    for role in (Role.ACCOUNTABLE, Role.RESPONSIBLE):
        for assignment in Assignment.objects.filter(
            area=area, level=Level.UNIVERSITY, role=role
        ).order_by("pk"):
            units = UnitPage.objects.filter(live=True)
            if assignment.unit_id:
                unit = units.filter(pk=assignment.unit_id).first()
            else:
                unit = units.filter(kind=assignment.unit_kind).order_by("path").first()
            if unit is not None:
                return unit
    return None


def section_unit() -> UnitPage | None:
    """The International Section: the unit holding the crisis duty at university level in the
    responsibility matrix, else the live unit of the International Section's kind."""
    return (
        _university_unit()
        or UnitPage.objects.filter(kind=UnitKind.INTERNATIONAL_SECTION, live=True)
        .order_by("path")
        .first()
    )


def return_unit(*, student: User) -> UnitPage | None:
    """The unit that decides ``student``'s requests: the live faculty of their study programme
    (its owner unit, or the faculty above it), else the International Section; None when
    neither exists."""
    mine = (
        StudentProgramme.objects.select_related("programme__owner_unit")
        .filter(user=student)
        .first()
    )
    if mine is not None:
        faculty = unit_faculty(mine.programme.owner_unit)
        if faculty is not None and faculty.live:
            return faculty
    return section_unit()


# --- The clock ---------------------------------------------------------------------------------


def _stopped_at(
    request: EarlyReturnRequest, steps: Sequence[EarlyReturnStep]
) -> datetime.datetime | None:
    """When the clock stopped: at the decision, or at the withdrawal (its last step)."""
    if request.decided_at is not None:
        return request.decided_at
    if request.status == ReturnStatus.WITHDRAWN:
        return max((step.at for step in steps), default=request.submitted_at)
    return None


def request_spans(request: EarlyReturnRequest, steps: Sequence[EarlyReturnStep]) -> list[Span]:
    """The spans of ``request`` from its steps: whom it waited for, from submission on."""
    changes = [(step.at, step.waiting_for) for step in steps if step.at >= request.submitted_at]
    return spans_from_changes(changes, until=_stopped_at(request, steps))


def request_clock(
    request: EarlyReturnRequest,
    steps: Sequence[EarlyReturnStep],
    *,
    now: datetime.datetime | None = None,
) -> ClockReading:
    """The decision clock of ``request`` given its steps, against its promised working days."""
    return read(
        request_spans(request, steps),
        promised=request.decision_days,
        now=now or timezone.now(),
        stopped_at=_stopped_at(request, steps),
    )


def request_clocks(
    requests: Iterable[EarlyReturnRequest], *, now: datetime.datetime | None = None
) -> dict[int, ClockReading]:
    """The clock of each of ``requests`` by id, with one query for all their steps."""
    requests = list(requests)
    by_request: dict[int, list[EarlyReturnStep]] = defaultdict(list)
    if requests:
        steps = (
            EarlyReturnStep.objects.filter(request__in=[request.pk for request in requests])
            .only("request_id", "at", "waiting_for")
            .order_by("at", "pk")
        )
        for step in steps:
            by_request[step.request_id].append(step)
    moment = now or timezone.now()
    return {
        request.pk: request_clock(request, by_request[request.pk], now=moment)
        for request in requests
    }


# --- Lists -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnRow:
    """One request with its clock, as the lists show it."""

    request: EarlyReturnRequest
    clock: ClockReading

    @property
    def light(self) -> str:
        return self.clock.light

    @property
    def light_label(self) -> str:
        return str(Light(self.clock.light).label)

    @property
    def late(self) -> bool:
        return self.clock.late

    @property
    def late_by(self) -> Decimal:
        """Working days past the promise, to one decimal (0 when not late)."""
        return -self.clock.remaining_display if self.clock.late else Decimal(0)

    @property
    def open(self) -> bool:
        return self.request.status == ReturnStatus.SUBMITTED


def _queue_key(row: ReturnRow) -> tuple[Any, ...]:
    # Open requests first; among them the late, then the least time left; then the oldest.
    return (
        not row.open,
        not row.late,
        row.clock.remaining,
        row.request.submitted_at,
        row.request.pk,
    )


def return_queue(
    *, user: User | AnonymousUser, status: str = QUEUE_OPEN, now: datetime.datetime | None = None
) -> list[ReturnRow]:
    """The requests ``user`` handles (``QUEUE_OPEN``: those waiting for a decision; ``QUEUE_ALL``:
    every one), late first, then the least time left. Two queries, however many requests."""
    requests = EarlyReturnRequest.objects.filter(handled_requests_q(user)).select_related(
        "student", "stay", "unit", "crisis"
    )
    if status != QUEUE_ALL:
        requests = requests.filter(status=ReturnStatus.SUBMITTED)
    listed = list(requests)
    clocks = request_clocks(listed, now=now)
    rows = [ReturnRow(request, clocks[request.pk]) for request in listed]
    rows.sort(key=_queue_key)
    return rows


def student_requests(
    *, user: User | AnonymousUser, now: datetime.datetime | None = None
) -> list[ReturnRow]:
    """The student's own requests, newest first, with their clocks."""
    if not user.is_authenticated:
        return []
    listed = list(
        EarlyReturnRequest.objects.filter(student=user).select_related("stay", "unit", "crisis")
    )
    clocks = request_clocks(listed, now=now)
    return [ReturnRow(request, clocks[request.pk]) for request in listed]


def stay_may_return(stay: StayAbroad, *, today: datetime.date) -> bool:
    """Whether a request may be made from ``stay`` on ``today``: it has begun (or begins within
    ``RETURN_AHEAD_DAYS``) and has not ended."""
    return stay.starts_on <= today + datetime.timedelta(days=RETURN_AHEAD_DAYS) and (
        stay.ends_on >= today
    )


def stays_for_return(
    *, user: User | AnonymousUser, today: datetime.date | None = None
) -> list[StayAbroad]:
    """The student's stays they may ask to come home from now, soonest first."""
    if not user.is_authenticated:
        return []
    day = today or timezone.localdate()
    return list(
        StayAbroad.objects.filter(
            student=user,
            starts_on__lte=day + datetime.timedelta(days=RETURN_AHEAD_DAYS),
            ends_on__gte=day,
        )
        .select_related("agreement__institution")
        .order_by("starts_on", "pk")
    )


def own_stay(*, user: User | AnonymousUser, stay_id: int) -> StayAbroad | None:
    """The stay ``stay_id`` when it is ``user``'s own, else None."""
    if not user.is_authenticated:
        return None
    return (
        StayAbroad.objects.select_related("agreement__institution")
        .filter(pk=stay_id, student=user)
        .first()
    )


def open_crises(*, user: User | AnonymousUser) -> list[Crisis]:
    """The open crises in which ``user`` has a safety check, newest first."""
    if not user.is_authenticated:
        return []
    return list(
        Crisis.objects.filter(checks__student=user, closed_at__isnull=True)
        .distinct()
        .order_by("-declared_at", "-pk")
    )


def stay_season(stay: StayAbroad, *, today: datetime.date) -> str:
    """The semester (autumn or spring) the stay is in on ``today`` (its first or last day when
    ``today`` is outside it): July to December is autumn, January to June spring."""
    day = min(max(today, stay.starts_on), stay.ends_on)
    return Season.AUTUMN if day.month >= 7 else Season.SPRING


def plan_b_catalogue(
    *, user: User | AnonymousUser, stay: StayAbroad, today: datetime.date | None = None
) -> list[ProgrammeCourse]:
    """The courses of the student's study programme in the stay's semester (autumn semesters
    are the odd ones, counted from the programme's start), by semester and code; none without
    a programme."""
    if not user.is_authenticated:
        return []
    mine = StudentProgramme.objects.filter(user=user).first()
    if mine is None:
        return []
    season = stay_season(stay, today=today or timezone.localdate())
    semesters = range(1 if season == Season.AUTUMN else 2, 13, 2)
    return list(
        ProgrammeCourse.objects.filter(
            programme_id=mine.programme_id, semester__in=list(semesters), **{season: True}
        ).order_by("semester", "code")
    )


def stay_plan_b(stay: StayAbroad) -> list[PlanBCourse]:
    """The plan-B courses the student entered with the stay, in their order."""
    return list(PlanBCourse.objects.filter(stay=stay).select_related("course"))


# --- One request -------------------------------------------------------------------------------


def request_get(*, request_id: int) -> EarlyReturnRequest | None:
    """The request with its stay, people, plan-B courses and steps fetched, or None."""
    return (
        EarlyReturnRequest.objects.select_related(
            "stay__agreement__institution", "stay__case", "student", "unit", "crisis", "decided_by"
        )
        .prefetch_related(
            Prefetch("plan_b_courses", PlanBCourse.objects.order_by("sort_order", "pk")),
            Prefetch("steps", EarlyReturnStep.objects.select_related("actor").order_by("at", "pk")),
        )
        .filter(pk=request_id)
        .first()
    )


@dataclass(frozen=True)
class RequestDetail:
    """One request whole: its steps, clock, plan-B courses and the learning agreement of its stay."""

    request: EarlyReturnRequest
    steps: list[EarlyReturnStep]
    clock: ClockReading
    plan_b: list[PlanBCourse]
    agreement: AgreementTables | None

    @property
    def plan_b_ects(self) -> Decimal:
        return sum((course.ects for course in self.plan_b), Decimal(0))


def request_agreement(request: EarlyReturnRequest) -> AgreementTables | None:
    """The learning agreement of the stay's pre-approval case (tables A and B), if it has one."""
    case = request.stay.case
    if case is None or not LearningAgreement.objects.filter(case=case).exists():
        return None
    tables = agreement_tables(case=case)
    return tables if tables.exists else None


def request_detail(
    *, request: EarlyReturnRequest, now: datetime.datetime | None = None
) -> RequestDetail:
    """``request`` (as ``request_get`` reads it) with its clock and learning agreement."""
    steps = list(request.steps.all())
    return RequestDetail(
        request=request,
        steps=steps,
        clock=request_clock(request, steps, now=now),
        plan_b=list(request.plan_b_courses.all()),
        agreement=request_agreement(request),
    )
