"""A unit's response times over the last 12 months, read from the cases' recorded steps.

Two times are measured for each case the unit handled:

- *first response*: from submission to the first step by the adviser's side
  (``RESPONSE_STEPS``: a line decided, a question, the host institution asked,
  a comment, the case decided);
- *decision*: from submission to the ``DECIDED`` step.

Both count working days in Norway while the case waited for the adviser only
(``clock.days_waiting`` over the spans of ``selectors.clocks.case_spans``):
the days a question waited for the student, or the host institution's answer,
do not count, exactly as on the case's own clock.

A case counts in a month's figures for a time when that time *ended* in the
month: its first response (or its decision) came then. The window is the
current month and the 11 before it (``months``), from the first of the
earliest month to now. The median and the 90th percentile come from
``statistics.median`` and ``statistics.quantiles(n=10, method="inclusive")``
(the data taken as the whole population: the 90th percentile lies between the
fastest and the slowest case, and one case is its own percentile). A case is
*within the promise* when its time is at most the days promised when it was
submitted (kept on the case).

Any number of units costs three queries: the cases, their steps, the promises.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef
from django.utils import timezone

from onboarding.units.kinds import UnitKind
from onboarding.units.models import UnitPage

from ..clock import TIME_ZONE, days_waiting
from ..models import RESPONSE_STEPS, CaseStatus, CaseStep, PreApprovalCase, StepKind, UnitPromise
from .clocks import DEFAULT_DECISION_DAYS, DEFAULT_FIRST_RESPONSE_DAYS, case_spans

if TYPE_CHECKING:
    from wagtail.query import PageQuerySet

# The units that answer pre-approval cases and keep a promise.
ADVISING_KINDS = (UnitKind.INTERNATIONAL_SECTION, UnitKind.FACULTY, UnitKind.DEPARTMENT)
WINDOW_MONTHS = 12
TENTH = Decimal("0.1")


def _round(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Measure:
    """One of the two times over some cases: how many, their median and 90th percentile (in
    working days), and how many came within the promise."""

    count: int = 0
    median: Decimal | None = None
    p90: Decimal | None = None
    within: int = 0

    @classmethod
    def of(cls, days: Sequence[Decimal], *, within: int) -> Measure:
        if not days:
            return cls()
        ordered = sorted(days)
        if len(ordered) == 1:
            p90 = ordered[0]
        else:
            p90 = statistics.quantiles(ordered, n=10, method="inclusive")[8]
        return cls(
            count=len(ordered), median=statistics.median(ordered), p90=Decimal(p90), within=within
        )

    @property
    def median_display(self) -> Decimal | None:
        """The median to one decimal, as pages show it."""
        return _round(self.median)

    @property
    def p90_display(self) -> Decimal | None:
        return _round(self.p90)

    @property
    def share_within(self) -> Decimal | None:
        """The share of the cases within the promise (0 to 1), None without cases."""
        return Decimal(self.within) / Decimal(self.count) if self.count else None

    @property
    def percent_within(self) -> int | None:
        """The share within the promise as a whole percentage."""
        share = self.share_within
        if share is None:
            return None
        return int((share * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Month:
    """The figures of the cases whose first response, or decision, came in one calendar month."""

    start: datetime.date
    first_response: Measure
    decision: Measure


@dataclass(frozen=True)
class CaseTimes:
    """One case's two times in working days (None when it did not end inside the window)."""

    case_id: int
    first_response: Decimal | None
    first_response_at: datetime.datetime | None
    first_response_promised: int
    decision: Decimal | None
    decided_at: datetime.datetime | None
    decision_promised: int


@dataclass(frozen=True)
class Stats:
    """A unit's response times over the window ``since`` to ``until``, and its promise now."""

    unit: UnitPage
    since: datetime.datetime
    until: datetime.datetime
    first_response_days: int
    decision_days: int
    promise_set: bool
    cases: int
    first_response: Measure
    decision: Measure
    months: tuple[Month, ...] = field(default_factory=tuple)

    @property
    def has_figures(self) -> bool:
        return self.cases > 0


def window_start(now: datetime.datetime, months: int = WINDOW_MONTHS) -> datetime.datetime:
    """The first moment of the month ``months - 1`` months before the month of ``now`` (Oslo)."""
    local = now.astimezone(TIME_ZONE)
    index = local.year * 12 + (local.month - 1) - (months - 1)
    return datetime.datetime(index // 12, index % 12 + 1, 1, tzinfo=TIME_ZONE)


def _month_starts(since: datetime.datetime, months: int) -> list[datetime.date]:
    index = since.year * 12 + since.month - 1
    return [
        datetime.date((index + step) // 12, (index + step) % 12 + 1, 1) for step in range(months)
    ]


def _month_of(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(TIME_ZONE).date().replace(day=1)


def case_times(
    case: PreApprovalCase,
    steps: Sequence[CaseStep],
    *,
    since: datetime.datetime,
    until: datetime.datetime,
) -> CaseTimes:
    """The two times of ``case`` from its ``steps`` (in time order), each if it ended in the window."""
    submitted = case.submitted_at
    first_step = decided_step = None
    if submitted is not None:
        after = [step for step in steps if step.at >= submitted]
        first_step = next((step for step in after if step.kind in RESPONSE_STEPS), None)
        decided_step = next((step for step in after if step.kind == StepKind.DECIDED), None)
    spans = case_spans(case, steps)

    def measured(step: CaseStep | None) -> tuple[Decimal | None, datetime.datetime | None]:
        if step is None or not since <= step.at <= until:
            return None, None
        return days_waiting(spans, now=step.at), step.at

    first, first_at = measured(first_step)
    decision, decided_at = measured(decided_step)
    return CaseTimes(
        case_id=case.pk,
        first_response=first,
        first_response_at=first_at,
        first_response_promised=case.first_response_days or DEFAULT_FIRST_RESPONSE_DAYS,
        decision=decision,
        decided_at=decided_at,
        decision_promised=case.decision_days or DEFAULT_DECISION_DAYS,
    )


def _measure(times: Iterable[CaseTimes], *, decision: bool) -> Measure:
    days: list[Decimal] = []
    within = 0
    for time in times:
        value = time.decision if decision else time.first_response
        if value is None:
            continue
        days.append(value)
        promised = time.decision_promised if decision else time.first_response_promised
        within += value <= promised
    return Measure.of(days, within=within)


def _stats(
    unit: UnitPage,
    times: Sequence[CaseTimes],
    promise: UnitPromise | None,
    *,
    since: datetime.datetime,
    until: datetime.datetime,
    months: int,
) -> Stats:
    by_month: dict[datetime.date, list[CaseTimes]] = defaultdict(list)
    decided_by_month: dict[datetime.date, list[CaseTimes]] = defaultdict(list)
    for time in times:
        if time.first_response_at is not None:
            by_month[_month_of(time.first_response_at)].append(time)
        if time.decided_at is not None:
            decided_by_month[_month_of(time.decided_at)].append(time)
    return Stats(
        unit=unit,
        since=since,
        until=until,
        first_response_days=promise.first_response_days if promise else DEFAULT_FIRST_RESPONSE_DAYS,
        decision_days=promise.decision_days if promise else DEFAULT_DECISION_DAYS,
        promise_set=promise is not None,
        cases=sum(
            1 for time in times if time.first_response is not None or time.decision is not None
        ),
        first_response=_measure(times, decision=False),
        decision=_measure(times, decision=True),
        months=tuple(
            Month(
                start=start,
                first_response=_measure(by_month.get(start, ()), decision=False),
                decision=_measure(decided_by_month.get(start, ()), decision=True),
            )
            for start in _month_starts(since, months)
        ),
    )


def response_times_list(
    *,
    units: Iterable[UnitPage],
    now: datetime.datetime | None = None,
    months: int = WINDOW_MONTHS,
) -> list[Stats]:
    """The response times of each of ``units`` (in the order given), with three queries in all."""
    units = list(units)
    until = now or timezone.now()
    since = window_start(until, months)
    if not units:
        return []
    unit_ids = [unit.pk for unit in units]
    answered = CaseStep.objects.filter(
        case=OuterRef("pk"), kind__in=RESPONSE_STEPS, at__gte=since, at__lte=until
    )
    cases = list(
        PreApprovalCase.objects.filter(unit__in=unit_ids, submitted_at__isnull=False)
        .filter(Exists(answered))
        .exclude(status=CaseStatus.DRAFT)
        .only(
            "pk",
            "unit_id",
            "status",
            "submitted_at",
            "decided_at",
            "first_response_days",
            "decision_days",
        )
    )
    steps: dict[int, list[CaseStep]] = defaultdict(list)
    if cases:
        for step in (
            CaseStep.objects.filter(case__in=[case.pk for case in cases], at__lte=until)
            .only("case_id", "at", "waiting_for", "kind")
            .order_by("at", "pk")
        ):
            steps[step.case_id].append(step)
    promises = {
        promise.unit_id: promise for promise in UnitPromise.objects.filter(unit__in=unit_ids)
    }
    times: dict[int, list[CaseTimes]] = defaultdict(list)
    for case in cases:
        assert case.unit_id is not None  # filtered on the unit
        times[case.unit_id].append(case_times(case, steps[case.pk], since=since, until=until))
    return [
        _stats(
            unit,
            times[unit.pk],
            promises.get(unit.pk),
            since=since,
            until=until,
            months=months,
        )
        for unit in units
    ]


def response_times(
    *, unit: UnitPage, now: datetime.datetime | None = None, months: int = WINDOW_MONTHS
) -> Stats:
    """The response times of ``unit`` over the current month and the ``months - 1`` before it."""
    return response_times_list(units=[unit], now=now, months=months)[0]


def units_with_cases() -> PageQuerySet:
    """The published faculties, departments and International Section that have had
    pre-approval cases submitted to them, in tree order."""
    return (
        UnitPage.objects.live()
        .filter(kind__in=ADVISING_KINDS)
        .filter(pk__in=PreApprovalCase.objects.filter(submitted_at__isnull=False).values("unit_id"))
        .order_by("path")
    )
