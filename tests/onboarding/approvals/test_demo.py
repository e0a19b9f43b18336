"""The demo's course approval: earlier decisions, cases at every step, a returned student."""

import pytest

from onboarding.approvals.clock import Light, WaitingFor
from onboarding.approvals.demo import DATA
from onboarding.approvals.models import (
    CaseKind,
    CaseStatus,
    CourseApproval,
    LineDecision,
    PreApprovalCase,
    UnitPromise,
)
from onboarding.approvals.selectors.clocks import case_clocks
from onboarding.approvals.selectors.recognition import recognition_draft
from onboarding.approvals.selectors.stats import response_times

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_site, db):
    """The module's copy of the seeded demo."""


def test_several_hundred_earlier_decisions_across_the_partners(demo):
    decisions = CourseApproval.objects.all()
    assert decisions.count() >= 300
    assert decisions.values("institution").distinct().count() >= 30
    # Combinations, electives and expired decisions are all there to be found.
    assert decisions.filter(foreign_courses__sort_order=1).exists()
    assert decisions.filter(home_courses__kind="elective").exists()
    assert any(decision.is_expired() for decision in decisions.order_by("decided_on")[:50])


def test_cases_at_every_step(demo):
    cases = PreApprovalCase.objects.filter(student__email__in=[c["student"] for c in DATA["case"]])
    clocks = case_clocks(cases)
    kinds = {(c.kind, c.status, c.waiting_for) for c in cases}
    assert (CaseKind.PREAPPROVAL, CaseStatus.DRAFT, WaitingFor.NOBODY) in kinds
    for waiting in (WaitingFor.ADVISER, WaitingFor.STUDENT, WaitingFor.HOST):
        assert (CaseKind.PREAPPROVAL, CaseStatus.OPEN, waiting) in kinds
    assert (CaseKind.CHANGE, CaseStatus.OPEN, WaitingFor.ADVISER) in kinds
    lights = {clocks[c.pk].current.light for c in cases if c.status == CaseStatus.OPEN}
    assert lights == {Light.GREEN, Light.AMBER, Light.RED}
    late = [c for c in cases if clocks[c.pk].late and c.status == CaseStatus.OPEN]
    assert late and all(c.escalated_at for c in late)
    assert cases.filter(lines__decision=LineDecision.REFUSED).exists()


def test_the_returned_student_s_transcript_matches_with_a_gap_and_an_extra(demo):
    spec = DATA["returned"]
    case = (
        PreApprovalCase.objects.select_related("agreement__institution")
        .filter(student__email=spec["student"], transcript_lines__isnull=False)
        .distinct()
        .get()
    )
    draft = recognition_draft(case=case)
    assert len(draft.recognised) == spec["lines"] - spec["missing"]
    assert len(draft.missing) == spec["missing"]
    assert [line.transcript.code for line in draft.extra] == [spec["extra"]["code"]]
    # The partner is Swedish and the demo keeps a table for Sweden: no grade is guessed.
    assert draft.scale is not None


def test_the_units_have_promises_and_a_year_of_figures(demo):
    assert UnitPromise.objects.count() == len(DATA["promises"])
    nursing = UnitPromise.objects.get(first_response_days=5, decision_days=15).unit
    stats = response_times(unit=nursing)
    assert stats.first_response.count >= 10
    assert stats.first_response.median is not None


def test_the_soon_due_case_has_waited_the_same_working_time_whatever_the_day_or_hour():
    from decimal import Decimal

    from django.utils import timezone

    from onboarding.approvals.clock import working_days_between
    from onboarding.approvals.demo import AMBER_USED, _working_time_ago

    submitted = _working_time_ago(AMBER_USED)

    used = working_days_between(submitted, timezone.now())
    assert abs(used - AMBER_USED) < Decimal("0.001")
    assert Decimal("0.75") <= AMBER_USED / 5  # amber against the demo units' five days
