"""Builders for the tests of requests to come home early (no tests here).

``ask`` goes through the service; ``request_make`` writes a request and its steps straight to
the tables, so a queue or clock test can start from a request at any step (sent a week ago,
waiting for the student, decided) without walking it there.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from onboarding.approvals.clock import WaitingFor
from onboarding.stays.models import (
    Crisis,
    CrisisArea,
    EarlyReturnRequest,
    EarlyReturnStep,
    PlanBCourse,
    ProgrammeCourse,
    ReturnReason,
    ReturnStatus,
    ReturnStepKind,
    SafetyCheck,
)
from onboarding.stays.services.returns import PlanBInput, request_create


def today():
    return timezone.localdate()


def ago(**kw):
    return timezone.now() - datetime.timedelta(**kw)


def course(code="INF1000", title="Introduction to programming", ects="7.5", course_id=None):
    return PlanBInput(code=code, title=title, ects=Decimal(ects), course_id=course_id)


def stay_plan_b(stay, *codes):
    """Plan-B courses entered with ``stay``, one per code."""
    return [
        PlanBCourse.objects.create(
            stay=stay, code=code, title=f"Course {code}", ects=Decimal("7.5"), sort_order=order
        )
        for order, code in enumerate(codes)
    ]


def programme_course(programme, code, *, semester=5, autumn=True, spring=True, ects="7.5"):
    return ProgrammeCourse.objects.create(
        programme=programme,
        semester=semester,
        code=code,
        title_nb=f"Emne {code}",
        title_en=f"Course {code}",
        ects=Decimal(ects),
        autumn=autumn,
        spring=spring,
    )


def ask(student, stay, **kw):
    """A request through the service: health, home in ten days, one plan-B course."""
    values = {
        "reason": ReturnReason.HEALTH,
        "return_on": max(stay.starts_on, today() + datetime.timedelta(days=10)),
        "explanation": "I need treatment at home.",
        "courses": [course()],
    }
    return request_create(student=student, stay=stay, **{**values, **kw})


def crisis_with_check(student, stay, *, duty_officer, closed=False):
    """A crisis in the stay's city with a safety check for ``student``."""
    crisis = Crisis.objects.create(
        title_nb="Flom",
        title_en="Flood",
        message_nb="Hold deg trygg.",
        message_en="Stay safe.",
        duty_officer=duty_officer,
        closed_at=timezone.now() if closed else None,
    )
    CrisisArea.objects.create(crisis=crisis, country=stay.country, city=stay.city)
    SafetyCheck.objects.create(crisis=crisis, student=student, stay=stay)
    return crisis


def request_make(
    *,
    stay,
    unit,
    submitted_at=None,
    steps=(),
    decision_days=5,
    status=ReturnStatus.SUBMITTED,
    reason=ReturnReason.HEALTH,
):
    """A request written straight to the tables with its SUBMITTED step and ``steps``
    ((at, kind, waiting_for) triples); a DECIDED or WITHDRAWN step ends it."""
    submitted_at = submitted_at or ago(days=1)
    request = EarlyReturnRequest.objects.create(
        stay=stay,
        student=stay.student,
        reason=reason,
        return_on=max(stay.starts_on, today()),
        unit=unit,
        decision_days=decision_days,
        submitted_at=submitted_at,
        waiting_for=WaitingFor.ADVISER,
    )
    EarlyReturnStep.objects.create(
        request=request,
        at=submitted_at,
        actor=stay.student,
        kind=ReturnStepKind.SUBMITTED,
        waiting_for=WaitingFor.ADVISER,
    )
    waiting = WaitingFor.ADVISER
    for at, kind, waiting in steps:
        EarlyReturnStep.objects.create(request=request, at=at, kind=kind, waiting_for=waiting)
        if kind == ReturnStepKind.DECIDED:
            request.decided_at = at
            request.status = (
                status
                if status in (ReturnStatus.APPROVED, ReturnStatus.REFUSED)
                else ReturnStatus.APPROVED
            )
        elif kind == ReturnStepKind.WITHDRAWN:
            request.status = ReturnStatus.WITHDRAWN
    request.waiting_for = waiting
    request.save()
    return request
