"""Builders for course-approval tests: earlier decisions and cases in any state.

``precedent_make`` goes through the service. ``case_make`` writes a case, its
lines and its steps straight to the tables, so a test can start from a case
at any step (submitted a week ago, waiting for the student, late, decided)
without walking it there; tests of the steps themselves use the services.
"""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from onboarding.approvals.clock import WaitingFor
from onboarding.approvals.models import (
    CaseKind,
    CaseLine,
    CaseStatus,
    CaseStep,
    LineDecision,
    LineForeignCourse,
    LineHomeCourse,
    PreApprovalCase,
    StepKind,
)
from onboarding.approvals.services.precedents import precedent_create

_numbers = itertools.count(1)


def foreign(code=None, title=None, ects="7.5", **extra):
    number = next(_numbers)
    return {
        "code": code or f"IN{number:04d}",
        "title": title or f"Informatik {number}",
        "ects": Decimal(ects),
        **extra,
    }


def home(code=None, title_nb=None, title_en=None, ects="7.5", **extra):
    number = next(_numbers)
    return {
        "kind": "course",
        "code": code or f"DAT{number:03d}",
        "title_nb": title_nb or f"Datateknologi {number}",
        "title_en": title_en or f"Computer technology {number}",
        "ects": Decimal(ects),
        **extra,
    }


def precedent_make(*, institution, unit, decided_on=None, foreign_rows=None, home_rows=None, **kw):
    """One earlier decision (one course for one, unless rows are given) through the service."""
    return precedent_create(
        institution=institution,
        deciding_unit=unit,
        decided_on=decided_on or timezone.localdate() - datetime.timedelta(days=400),
        foreign=foreign_rows or [foreign()],
        home=home_rows or [home()],
        **kw,
    )


def case_make(
    *,
    student,
    agreement,
    unit=None,
    accountable_unit=None,
    programme=None,
    lines=1,
    steps=(),
    submitted_at=None,
    status=None,
    decisions=None,
    kind=CaseKind.PREAPPROVAL,
    amends=None,
    year=2027,
    season="autumn",
    first_response_days=5,
    decision_days=15,
    adviser=None,
):
    """A case with ``lines`` lines (one course each side) and the ``steps`` given.

    ``steps`` are (moment, kind, waiting_for) tuples after submission; with
    ``submitted_at`` the case is open (a SUBMITTED step at that moment) unless
    ``status`` says otherwise. ``decisions`` sets each line's decision in order.
    The case's ``waiting_for``, ``first_response_at`` and ``decided_at`` follow the steps.
    """
    case = PreApprovalCase.objects.create(
        kind=kind,
        amends=amends,
        student=student,
        agreement=agreement,
        programme=programme,
        year=year,
        season=season,
        unit=unit,
        accountable_unit=accountable_unit,
        adviser=adviser,
        first_response_days=first_response_days if submitted_at else None,
        decision_days=decision_days if submitted_at else None,
        submitted_at=submitted_at,
        status=status or (CaseStatus.OPEN if submitted_at else CaseStatus.DRAFT),
    )
    made = []
    for index in range(lines):
        line = CaseLine.objects.create(case=case, sort_order=index)
        LineForeignCourse.objects.create(line=line, **foreign(), sort_order=0)
        values = home()
        values.pop("kind")
        LineHomeCourse.objects.create(line=line, kind="course", **values, sort_order=0)
        made.append(line)
    if decisions:
        for line, decision in zip(made, decisions, strict=False):
            line.decision = decision
            if decision != LineDecision.PENDING:
                line.decided_at = submitted_at or timezone.now()
            line.save()
    waiting = WaitingFor.NOBODY
    if submitted_at:
        CaseStep.objects.create(
            case=case, at=submitted_at, kind=StepKind.SUBMITTED, waiting_for=WaitingFor.ADVISER
        )
        waiting = WaitingFor.ADVISER
    first_response = None
    decided = None
    for at, step_kind, waiting_for in steps:
        CaseStep.objects.create(case=case, at=at, kind=step_kind, waiting_for=waiting_for)
        waiting = waiting_for
        if step_kind in (
            StepKind.LINE_DECIDED,
            StepKind.QUESTION,
            StepKind.HOST_ASKED,
            StepKind.COMMENT,
            StepKind.DECIDED,
        ):
            first_response = first_response or at
        if step_kind == StepKind.DECIDED:
            decided = at
    case.waiting_for = waiting
    case.first_response_at = first_response
    case.decided_at = decided
    if decided and status is None:
        case.status = CaseStatus.DECIDED
    case.save()
    return case
