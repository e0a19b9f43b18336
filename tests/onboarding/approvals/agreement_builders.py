"""Builders for learning-agreement and recognition tests: decided cases with the lines given
(combinations too), changes in any state, and grade tables.

Cases and changes are written straight to the tables, as ``factories.case_make`` does, so a
test starts from an agreement as it stands after its decisions; the services under test
(changes, drops, the transcript, recognition) are then called for real.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from onboarding.approvals.clock import WaitingFor
from onboarding.approvals.models import (
    CaseKind,
    CaseLine,
    CaseStatus,
    CaseStep,
    GradeConversion,
    GradeScale,
    LearningAgreement,
    LineAction,
    LineDecision,
    LineForeignCourse,
    LineHomeCourse,
    PreApprovalCase,
    StepKind,
)


def course(code, title, ects):
    """A course abroad: (code, title, ECTS)."""
    return {"code": code, "title": title, "ects": Decimal(ects)}


def ours(code, title_nb, title_en, ects):
    """One of our courses: (code, Norwegian title, English title, ECTS)."""
    return {
        "kind": "course",
        "code": code,
        "title_nb": title_nb,
        "title_en": title_en,
        "ects": Decimal(ects),
    }


def elective(level, field, ects):
    return {
        "kind": "elective",
        "elective_level": level,
        "elective_field_id": field,
        "ects": Decimal(ects),
    }


def spec(foreign, home, decision=LineDecision.APPROVED, comment=""):
    """A line: foreign courses (a combination when several) and home courses, with its decision."""
    return {"foreign": foreign, "home": home, "decision": decision, "comment": comment}


def _lines(case, specs, *, start=0, decided_at=None):
    made = []
    for index, line_spec in enumerate(specs, start=start):
        decision = line_spec["decision"]
        line = CaseLine.objects.create(
            case=case,
            sort_order=index,
            decision=decision,
            comment=line_spec.get("comment", ""),
            decided_at=decided_at if decision != LineDecision.PENDING else None,
        )
        for order, values in enumerate(line_spec["foreign"]):
            LineForeignCourse.objects.create(line=line, sort_order=order, **values)
        for order, values in enumerate(line_spec["home"]):
            LineHomeCourse.objects.create(line=line, sort_order=order, **values)
        made.append(line)
    return made


def decided_case(
    *,
    student,
    agreement,
    unit,
    lines,
    adviser=None,
    programme=None,
    year=2026,
    season="autumn",
    decided_at=None,
    status=CaseStatus.DECIDED,
    with_agreement=True,
):
    """A pre-approval case decided with ``lines`` (``spec``s); returns (case, its lines)."""
    decided_at = decided_at or timezone.now() - datetime.timedelta(days=120)
    submitted_at = decided_at - datetime.timedelta(days=10)
    decided = status == CaseStatus.DECIDED
    case = PreApprovalCase.objects.create(
        kind=CaseKind.PREAPPROVAL,
        student=student,
        agreement=agreement,
        programme=programme,
        year=year,
        season=season,
        unit=unit,
        adviser=adviser,
        status=status,
        first_response_days=5,
        decision_days=15,
        submitted_at=submitted_at,
        first_response_at=decided_at if decided else None,
        decided_at=decided_at if decided else None,
        waiting_for=WaitingFor.NOBODY if decided else WaitingFor.ADVISER,
    )
    CaseStep.objects.create(
        case=case, at=submitted_at, kind=StepKind.SUBMITTED, waiting_for=WaitingFor.ADVISER
    )
    if decided:
        CaseStep.objects.create(
            case=case, at=decided_at, kind=StepKind.DECIDED, waiting_for=WaitingFor.NOBODY
        )
    made = _lines(case, lines, decided_at=decided_at if decided else None)
    if decided and with_agreement:
        LearningAgreement.objects.create(case=case, language="de", cefr="B2")
    return case, made


def change_make(
    case,
    *,
    reason="A course was cancelled.",
    status=CaseStatus.DECIDED,
    adds=(),
    drops=(),
    drop_decision=None,
    submitted_at=None,
    decided_at=None,
    unit=None,
):
    """A change to ``case``: ``adds`` (``spec``s) and ``drops`` (lines of the agreement).

    Decided by default (its lines with their decisions; drops approved unless
    ``drop_decision`` says otherwise); open or draft when ``status`` says so.
    Returns (change, add lines, drop lines).
    """
    now = timezone.now()
    decided = status == CaseStatus.DECIDED
    if status != CaseStatus.DRAFT:
        submitted_at = submitted_at or now - datetime.timedelta(days=20)
    if decided:
        decided_at = decided_at or now - datetime.timedelta(days=5)
    change = PreApprovalCase.objects.create(
        kind=CaseKind.CHANGE,
        amends=case,
        student=case.student,
        agreement=case.agreement,
        programme=case.programme,
        year=case.year,
        season=case.season,
        status=status,
        reason=reason,
        unit=unit or case.unit,
        submitted_at=submitted_at,
        decided_at=decided_at,
        first_response_days=5 if submitted_at else None,
        decision_days=15 if submitted_at else None,
        waiting_for=WaitingFor.ADVISER if status == CaseStatus.OPEN else WaitingFor.NOBODY,
    )
    CaseStep.objects.create(
        case=change,
        at=submitted_at or now,
        kind=StepKind.SUBMITTED if submitted_at else StepKind.CREATED,
        waiting_for=WaitingFor.ADVISER if submitted_at else WaitingFor.NOBODY,
    )
    if decided:
        CaseStep.objects.create(
            case=change, at=decided_at, kind=StepKind.DECIDED, waiting_for=WaitingFor.NOBODY
        )
    if not decided:
        adds = [{**line_spec, "decision": LineDecision.PENDING} for line_spec in adds]
    added = _lines(change, adds, decided_at=decided_at)
    dropped = [
        CaseLine.objects.create(
            case=change,
            action=LineAction.DROP,
            drops=line,
            sort_order=len(added) + index,
            decision=(drop_decision or LineDecision.APPROVED) if decided else LineDecision.PENDING,
            decided_at=decided_at,
        )
        for index, line in enumerate(drops)
    ]
    return change, added, dropped


def scale_make(*, rows, institution=None, country=""):
    """A grade table for ``institution`` or ``country`` with (their grade, our grade) rows."""
    scale = GradeScale.objects.create(institution=institution, country=country)
    GradeConversion.objects.bulk_create(
        GradeConversion(scale=scale, foreign_grade=theirs, home_grade=mine, sort_order=index)
        for index, (theirs, mine) in enumerate(rows)
    )
    return scale


# The German scale as Norwegian universities commonly convert it (1,0 best, 4,0 the lowest pass).
GERMAN_ROWS = [
    ("1,0", "A"),
    ("1,3", "A"),
    ("1,7", "B"),
    ("2,0", "B"),
    ("2,3", "C"),
    ("2,7", "C"),
    ("3,0", "D"),
    ("3,3", "D"),
    ("3,7", "E"),
    ("4,0", "E"),
    ("5,0", "F"),
    ("bestanden", "passed"),
    ("nicht bestanden", "failed"),
]
