"""The advisers' queue services: giving cases to an adviser, one or many, and a unit's promise."""

import datetime

import pytest
from django.utils import timezone

from onboarding.approvals.clock import WaitingFor
from onboarding.approvals.errors import ApprovalError
from onboarding.approvals.models import (
    CaseStatus,
    CaseStep,
    PreApprovalCase,
    StepKind,
    UnitPromise,
)
from onboarding.approvals.selectors.clocks import case_clock
from onboarding.approvals.services.queue import case_assign, cases_reassign, promise_set
from onboarding.live.models import Notification
from tests.factories import UserFactory
from tests.onboarding.approvals.factories import case_make

KIND = "approval_case_assigned"


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def cs_case(tree, **kw):
    """A case the Computer Science department handles, submitted a week ago."""
    values = {
        "student": tree["student"],
        "agreement": tree["tum_agreement"],
        "unit": tree["cs"],
        "accountable_unit": tree["it"],
        "programme": tree["cs_programme"],
        "submitted_at": days_ago(7),
    }
    return case_make(**{**values, **kw})


def health_case(tree, **kw):
    values = {
        "student": tree["other_student"],
        "agreement": tree["ku_agreement"],
        "unit": tree["health"],
        "accountable_unit": tree["health"],
        "programme": tree["health_programme"],
        "submitted_at": days_ago(7),
    }
    return case_make(**{**values, **kw})


def state(*cases):
    """What assigning may change: each case's adviser, the steps, the notifications."""
    return (
        list(
            PreApprovalCase.objects.filter(pk__in=[c.pk for c in cases])
            .order_by("pk")
            .values_list("pk", "adviser_id", "waiting_for")
        ),
        CaseStep.objects.filter(kind=StepKind.ASSIGNED).count(),
        Notification.objects.filter(kind=KIND).count(),
    )


# --- One case ------------------------------------------------------------------------------


def test_the_department_s_adviser_gives_a_case_to_the_faculty_s_editor(tree):
    case = cs_case(tree)
    adviser = tree["it_editor"]

    assigned = case_assign(case=case, user=tree["cs_adviser"], adviser=adviser)

    assert assigned.adviser == adviser
    assert PreApprovalCase.objects.get(pk=case.pk).adviser == adviser
    step = CaseStep.objects.get(case=case, kind=StepKind.ASSIGNED)
    assert step.actor == tree["cs_adviser"]
    assert step.text == adviser.display_name
    assert step.waiting_for == WaitingFor.ADVISER


def test_assigning_leaves_whom_the_case_waits_for_and_its_clock_as_they_were(tree):
    submitted = days_ago(10)
    case = cs_case(
        tree,
        submitted_at=submitted,
        steps=[(submitted + datetime.timedelta(days=2), StepKind.QUESTION, WaitingFor.STUDENT)],
    )
    now = timezone.now()
    before = case_clock(case, now=now)

    case_assign(case=case, user=tree["staff"], adviser=tree["cs_adviser"])

    case.refresh_from_db()
    assert case.waiting_for == WaitingFor.STUDENT
    assert CaseStep.objects.get(case=case, kind=StepKind.ASSIGNED).waiting_for == WaitingFor.STUDENT
    after = case_clock(case, now=now)
    assert (after.first_response, after.decision) == (before.first_response, before.decision)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_new_adviser_is_told_once_in_their_language(tree, language):
    adviser = tree["it_editor"]
    adviser.language = language
    adviser.save(update_fields=["language"])
    case = cs_case(tree)

    case_assign(case=case, user=tree["cs_adviser"], adviser=adviser)

    [notification] = Notification.objects.filter(kind=KIND)
    assert notification.recipient == adviser
    assert notification.language == language
    expected = {"nb": "er gitt til deg", "en": "has been given to you"}
    assert expected[language] in notification.subject
    assert str(case.pk) in notification.subject
    assert "Technische Universität München" in notification.body
    other = "en" if language == "nb" else "nb"
    assert expected[other] not in notification.subject
    assert notification.url.startswith("/")


def test_whoever_takes_a_case_themselves_is_not_told(tree):
    case = cs_case(tree)

    case_assign(case=case, user=tree["cs_adviser"], adviser=tree["cs_adviser"])

    assert PreApprovalCase.objects.get(pk=case.pk).adviser == tree["cs_adviser"]
    assert not Notification.objects.filter(kind=KIND).exists()


@pytest.mark.parametrize("actor", ["health_editor", "student", "other_student"])
def test_only_those_who_handle_the_case_may_assign_it(tree, actor):
    case = cs_case(tree)
    before = state(case)

    with pytest.raises(ApprovalError) as refused:
        case_assign(case=case, user=tree[actor], adviser=tree["cs_adviser"])

    assert refused.value.code == "forbidden"
    assert state(case) == before


def test_the_adviser_must_handle_the_case_too(tree):
    case = cs_case(tree)
    inactive = UserFactory(email="gone@example.test", is_active=False)
    before = state(case)

    for adviser in (tree["health_editor"], tree["student"], inactive, None):
        with pytest.raises(ApprovalError) as refused:
            case_assign(case=case, user=tree["staff"], adviser=adviser)
        assert refused.value.code == "not_adviser"
        assert refused.value.field == "adviser"

    assert state(case) == before


def test_staff_may_be_given_any_unit_s_case(tree):
    case = health_case(tree)

    case_assign(case=case, user=tree["health_editor"], adviser=tree["staff"])

    assert PreApprovalCase.objects.get(pk=case.pk).adviser == tree["staff"]


@pytest.mark.parametrize("status", [CaseStatus.DECIDED, CaseStatus.WITHDRAWN])
def test_only_a_case_being_handled_can_be_assigned(tree, status):
    case = cs_case(tree, status=status)
    before = state(case)

    with pytest.raises(ApprovalError) as refused:
        case_assign(case=case, user=tree["staff"], adviser=tree["cs_adviser"])

    assert refused.value.code == "closed"
    assert state(case) == before


def test_a_draft_cannot_be_assigned(tree):
    case = case_make(student=tree["student"], agreement=tree["tum_agreement"], unit=tree["cs"])

    with pytest.raises(ApprovalError) as refused:
        case_assign(case=case, user=tree["staff"], adviser=tree["cs_adviser"])

    assert refused.value.code == "closed"


def test_giving_a_case_to_its_own_adviser_is_refused(tree):
    case = cs_case(tree, adviser=tree["cs_adviser"])
    before = state(case)

    with pytest.raises(ApprovalError) as refused:
        case_assign(case=case, user=tree["staff"], adviser=tree["cs_adviser"])

    assert refused.value.code == "already_assigned"
    assert state(case) == before


def test_an_escalated_case_may_be_assigned_by_the_accountable_unit(tree):
    case = cs_case(tree, accountable_unit=tree["health"])
    with pytest.raises(ApprovalError):
        case_assign(case=case, user=tree["health_editor"], adviser=tree["cs_adviser"])
    PreApprovalCase.objects.filter(pk=case.pk).update(escalated_at=timezone.now())

    case_assign(case=case, user=tree["health_editor"], adviser=tree["cs_adviser"])

    assert PreApprovalCase.objects.get(pk=case.pk).adviser == tree["cs_adviser"]


# --- Many cases at once ----------------------------------------------------------------------


def test_reassigning_gives_every_case_and_tells_the_adviser_once(tree):
    cases = [cs_case(tree, adviser=tree["cs_adviser"]) for _ in range(3)]
    adviser = tree["it_editor"]
    adviser.language = "nb"
    adviser.save(update_fields=["language"])

    moved = cases_reassign(cases=cases, user=tree["cs_adviser"], adviser=adviser)

    assert moved == 3
    assert set(PreApprovalCase.objects.values_list("adviser_id", flat=True)) == {adviser.pk}
    assert CaseStep.objects.filter(kind=StepKind.ASSIGNED, actor=tree["cs_adviser"]).count() == 3
    [notification] = Notification.objects.filter(kind=KIND)
    assert notification.recipient == adviser and notification.language == "nb"
    assert "3" in notification.subject
    for case in cases:
        assert f"{case.pk}:" in notification.body


def test_reassigning_takes_ids_and_skips_the_adviser_s_own_cases(tree):
    own = cs_case(tree, adviser=tree["it_editor"])
    other = cs_case(tree)

    moved = cases_reassign(
        cases=[own.pk, other.pk, other.pk], user=tree["staff"], adviser=tree["it_editor"]
    )

    assert moved == 1
    assert CaseStep.objects.filter(kind=StepKind.ASSIGNED).count() == 1
    assert CaseStep.objects.get(kind=StepKind.ASSIGNED).case_id == other.pk


def test_one_case_the_adviser_does_not_handle_refuses_them_all(tree):
    cases = [cs_case(tree), cs_case(tree), health_case(tree)]
    before = state(*cases)

    with pytest.raises(ApprovalError) as refused:
        cases_reassign(cases=cases, user=tree["staff"], adviser=tree["cs_adviser"])

    assert refused.value.code == "not_adviser"
    assert str(cases[2].pk) in str(refused.value.message)
    assert state(*cases) == before


def test_one_case_the_user_does_not_handle_refuses_them_all(tree):
    cases = [cs_case(tree), health_case(tree)]
    before = state(*cases)

    with pytest.raises(ApprovalError) as refused:
        cases_reassign(cases=cases, user=tree["cs_adviser"], adviser=tree["staff"])

    assert refused.value.code == "forbidden"
    assert state(*cases) == before


def test_one_decided_case_refuses_them_all(tree):
    cases = [cs_case(tree), cs_case(tree, status=CaseStatus.DECIDED)]
    before = state(*cases)

    with pytest.raises(ApprovalError) as refused:
        cases_reassign(cases=cases, user=tree["staff"], adviser=tree["cs_adviser"])

    assert refused.value.code == "closed"
    assert state(*cases) == before


def test_reassigning_nothing_or_a_case_that_is_gone_is_refused(tree):
    case = cs_case(tree)
    with pytest.raises(ApprovalError) as refused:
        cases_reassign(cases=[], user=tree["staff"], adviser=tree["cs_adviser"])
    assert refused.value.code == "no_cases"

    before = state(case)
    with pytest.raises(ApprovalError) as refused:
        cases_reassign(cases=[case.pk, 987654321], user=tree["staff"], adviser=tree["cs_adviser"])
    assert refused.value.code == "not_found"
    assert state(case) == before


# --- Promised times ----------------------------------------------------------------------------


def test_the_unit_s_editor_sets_its_promise(tree):
    promise = promise_set(
        unit=tree["cs"], user=tree["cs_adviser"], first_response_days=3, decision_days=10
    )

    assert (promise.first_response_days, promise.decision_days) == (3, 10)
    promise_set(unit=tree["cs"], user=tree["staff"], first_response_days=4, decision_days=4)
    stored = UnitPromise.objects.get(unit=tree["cs"])
    assert (stored.first_response_days, stored.decision_days) == (4, 4)
    assert UnitPromise.objects.count() == 1


def test_the_editor_of_the_faculty_above_may_set_the_department_s_promise(tree):
    promise_set(unit=tree["cs"], user=tree["it_editor"], first_response_days=2, decision_days=8)

    assert UnitPromise.objects.get(unit=tree["cs"]).decision_days == 8


@pytest.mark.parametrize("actor", ["health_editor", "student"])
def test_others_may_not_set_a_unit_s_promise(tree, actor):
    with pytest.raises(ApprovalError) as refused:
        promise_set(unit=tree["cs"], user=tree[actor], first_response_days=2, decision_days=8)

    assert refused.value.code == "forbidden"
    assert not UnitPromise.objects.exists()


@pytest.mark.parametrize(
    ("first", "decision", "code", "field"),
    [
        (0, 10, "invalid_days", "first_response_days"),
        (121, 200, "invalid_days", "first_response_days"),
        (5, 0, "invalid_days", "decision_days"),
        (5, 251, "invalid_days", "decision_days"),
        (True, 10, "invalid_days", "first_response_days"),
        ("5", 10, "invalid_days", "first_response_days"),
        (10, 9, "decision_before_response", "decision_days"),
    ],
)
def test_a_promise_out_of_bounds_is_refused(tree, first, decision, code, field):
    promise_set(unit=tree["cs"], user=tree["staff"], first_response_days=5, decision_days=15)

    with pytest.raises(ApprovalError) as refused:
        promise_set(
            unit=tree["cs"], user=tree["staff"], first_response_days=first, decision_days=decision
        )

    assert (refused.value.code, refused.value.field) == (code, field)
    stored = UnitPromise.objects.get(unit=tree["cs"])
    assert (stored.first_response_days, stored.decision_days) == (5, 15)


def test_the_bounds_themselves_are_allowed(tree):
    promise_set(unit=tree["cs"], user=tree["staff"], first_response_days=1, decision_days=1)
    promise_set(unit=tree["cs"], user=tree["staff"], first_response_days=120, decision_days=250)

    stored = UnitPromise.objects.get(unit=tree["cs"])
    assert (stored.first_response_days, stored.decision_days) == (120, 250)
