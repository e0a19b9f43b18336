"""The demo's requests to come home early: Emma Larsen's waits for a decision, another was
decided, and seeding again adds nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from onboarding.approvals.clock import WaitingFor
from onboarding.stays.demo_returns import DATA, seed_returns
from onboarding.stays.models import (
    AgreementOutcome,
    EarlyReturnRequest,
    EarlyReturnStep,
    PlanBCourse,
    ReturnReason,
    ReturnStatus,
    StayAbroad,
)
from onboarding.stays.selectors.returns import open_crises, return_queue
from onboarding.units.kinds import UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_site, db):
    """The module's copy of the seeded demo."""


def test_emma_s_request_from_valencia_waits_for_her_faculty(demo):
    spec = DATA["waiting"]
    request = EarlyReturnRequest.objects.select_related("stay", "unit", "student").get(
        student__email=spec["student"]
    )

    # Her stay there today, as the stays' demo registers it: one stay, not a second one.
    assert (request.stay.city, request.stay.country.code) == ("Valencia", "ES")
    assert request.stay.starts_on <= timezone.localdate() <= request.stay.ends_on
    assert request.student.stays_abroad.filter(city="Valencia").count() == 1
    assert (request.status, request.waiting_for) == (ReturnStatus.SUBMITTED, WaitingFor.ADVISER)
    assert request.unit.kind == UnitKind.FACULTY
    expected = ReturnReason.CRISIS if open_crises(user=request.student) else ReturnReason.HEALTH
    assert request.reason == expected
    assert request.plan_b_courses.count() >= 2
    assert request.stay.starts_on <= request.return_on < request.stay.ends_on
    # The International Section's staff see it in their queue.
    staff = get_user_model().objects.get(email="staff@velkommen.test")
    assert request.pk in [row.request.pk for row in return_queue(user=staff)]


def test_a_decided_request_for_the_history(demo):
    spec = DATA["decided"]
    request = EarlyReturnRequest.objects.get(student__email=spec["student"])

    assert (request.status, request.agreement_outcome) == (
        ReturnStatus.APPROVED,
        AgreementOutcome.REPLACED,
    )
    assert request.decided_by is not None and request.decision_note
    assert [step.kind for step in request.steps.all()] == ["submitted", "decided"]


def test_seeding_again_adds_nothing(demo):
    def counts():
        return [
            model.objects.count()
            for model in (StayAbroad, EarlyReturnRequest, EarlyReturnStep, PlanBCourse)
        ]

    before = counts()

    assert seed_returns() == 2
    assert counts() == before
