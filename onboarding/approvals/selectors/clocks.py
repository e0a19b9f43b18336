"""The two clocks of a case, read from its recorded steps.

*First response*: from submission until the adviser's side first answers
(decides a line, asks a question, asks the host institution, comments or
decides the case), against the unit's promised first-response days.
*Decision*: from submission until every line is decided, against the
promised decision days. Both count only the time the case waited for the
adviser (``clock.py``); a question to the student pauses them until the
answer comes.

``case_clocks`` reads many cases with one query for all their steps, so a
queue of any length costs the same number of queries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone

from ..clock import ClockReading, Span, read, spans_from_changes
from ..models import CaseStep, PreApprovalCase

# The promise a case is read against when it was submitted before its unit set one.
DEFAULT_FIRST_RESPONSE_DAYS = 5
DEFAULT_DECISION_DAYS = 15


@dataclass(frozen=True)
class CaseClocks:
    """The clocks of one case at ``now``; both None for a case not submitted yet."""

    case_id: int
    first_response: ClockReading | None
    decision: ClockReading | None
    spans: tuple[Span, ...]

    @property
    def current(self) -> ClockReading | None:
        """The clock that matters now: the first response until it came, then the decision."""
        if self.first_response is not None and not self.first_response.stopped:
            return self.first_response
        return self.decision

    @property
    def late(self) -> bool:
        return any(
            reading is not None and reading.late for reading in (self.first_response, self.decision)
        )


def case_spans(case: PreApprovalCase, steps: Sequence[CaseStep]) -> list[Span]:
    """The spans of ``case`` from its steps (from submission; ended when decided or withdrawn)."""
    changes = [
        (step.at, step.waiting_for)
        for step in steps
        if case.submitted_at is not None and step.at >= case.submitted_at
    ]
    end = case.decided_at
    if end is None and case.status == "withdrawn":
        end = max((step.at for step in steps), default=None)
    return spans_from_changes(changes, until=end)


def clocks_for(
    case: PreApprovalCase, steps: Sequence[CaseStep], *, now: datetime.datetime | None = None
) -> CaseClocks:
    """The clocks of ``case`` given its steps (in time order)."""
    if case.submitted_at is None:
        return CaseClocks(case.pk, None, None, ())
    moment = now or timezone.now()
    spans = case_spans(case, steps)
    stopped = case.decided_at
    if stopped is None and case.status == "withdrawn":
        stopped = spans[-1].end if spans else case.submitted_at
    first = read(
        spans,
        promised=case.first_response_days or DEFAULT_FIRST_RESPONSE_DAYS,
        now=moment,
        stopped_at=case.first_response_at or stopped,
    )
    decision = read(
        spans,
        promised=case.decision_days or DEFAULT_DECISION_DAYS,
        now=moment,
        stopped_at=stopped,
    )
    return CaseClocks(case.pk, first, decision, tuple(spans))


def case_clocks(
    cases: Iterable[PreApprovalCase], *, now: datetime.datetime | None = None
) -> dict[int, CaseClocks]:
    """The clocks of each of ``cases`` by case id, with one query for all their steps."""
    cases = list(cases)
    by_case: dict[int, list[CaseStep]] = defaultdict(list)
    if cases:
        steps = (
            CaseStep.objects.filter(case__in=[case.pk for case in cases])
            .only("case_id", "at", "waiting_for", "kind")
            .order_by("at", "pk")
        )
        for step in steps:
            by_case[step.case_id].append(step)
    return {case.pk: clocks_for(case, by_case[case.pk], now=now) for case in cases}


def case_clock(case: PreApprovalCase, *, now: datetime.datetime | None = None) -> CaseClocks:
    """The clocks of one case."""
    return case_clocks([case], now=now)[case.pk]
