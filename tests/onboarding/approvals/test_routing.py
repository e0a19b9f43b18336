"""Routing of pre-approval cases by the responsibility matrix, and its gap-report finding."""

import pytest

from onboarding.approvals.errors import ApprovalError
from onboarding.approvals.models import CaseKind, CaseStatus, PreApprovalCase, UnitPromise
from onboarding.approvals.routing import case_route, programmes_without_case_unit
from onboarding.approvals.selectors.clocks import (
    DEFAULT_DECISION_DAYS,
    DEFAULT_FIRST_RESPONSE_DAYS,
)
from onboarding.approvals.services.cases import case_create, case_submit, line_add
from onboarding.exchange.services import student_programme_set
from onboarding.responsibilities.models import Duty, ResponsibilityArea
from onboarding.responsibilities.selectors import gap_checks, responsibility_gaps
from onboarding.responsibilities.services import AssignmentSpec, area_assignments_replace
from onboarding.units.kinds import UnitKind

from .factories import case_make, foreign, home

pytestmark = pytest.mark.django_db


def _matrix(tree, *, department=True, faculty=True, department_a=None, section_r=True):
    """The guidance area's assignments: departments and faculties Responsible (when asked),
    Accountable at their own level (or ``department_a`` at department level), the section A."""
    specs = [AssignmentSpec("university", "A", unit=tree["section"])]
    if section_r:
        specs.append(AssignmentSpec("university", "R", unit=tree["section"]))
    if faculty:
        specs += [
            AssignmentSpec("faculty", "A", unit_kind=UnitKind.FACULTY),
            AssignmentSpec("faculty", "R", unit_kind=UnitKind.FACULTY),
        ]
    if department:
        accountable = (
            AssignmentSpec("department", "A", unit=department_a)
            if department_a is not None
            else AssignmentSpec("department", "A", unit_kind=UnitKind.DEPARTMENT)
        )
        specs += [accountable, AssignmentSpec("department", "R", unit_kind=UnitKind.DEPARTMENT)]
    area_assignments_replace(area=tree["area"], assignments=specs)


def test_the_department_holding_responsible_answers_and_its_faculty_is_accountable(tree):
    route = case_route(programme=tree["cs_programme"])
    assert route.unit == tree["cs"]
    # The department holds A at its own level itself: the nearest unit above that holds A.
    assert route.accountable_unit == tree["it"]


def test_without_departments_the_faculty_answers_and_the_section_is_accountable(tree):
    _matrix(tree, department=False)
    route = case_route(programme=tree["cs_programme"])
    assert route.unit == tree["it"]
    assert route.accountable_unit == tree["section"]


def test_a_faculty_programme_goes_to_the_faculty(tree):
    route = case_route(programme=tree["health_programme"])
    assert route.unit == tree["health"]
    assert route.accountable_unit == tree["section"]


def test_a_unit_named_accountable_at_the_departments_level_is_where_late_cases_go(tree):
    _matrix(tree, department_a=tree["section"])
    route = case_route(programme=tree["cs_programme"])
    assert route.unit == tree["cs"]
    assert route.accountable_unit == tree["section"]


def test_no_unit_responsible_means_no_route(tree):
    _matrix(tree, department=False, faculty=False)
    with pytest.raises(ApprovalError) as error:
        case_route(programme=tree["cs_programme"])
    assert error.value.code == "no_unit"
    assert "Computer Science" in str(error.value)


def test_no_area_with_the_duty_means_no_route(tree):
    ResponsibilityArea.objects.filter(pk=tree["area"].pk).update(duty=Duty.NONE)
    with pytest.raises(ApprovalError) as error:
        case_route(programme=tree["cs_programme"])
    assert error.value.code == "no_unit"


def test_the_gap_report_names_each_programme_without_a_unit(tree):
    assert programmes_without_case_unit in gap_checks()
    assert [gap for gap in responsibility_gaps() if gap.code.startswith("approvals_")] == []
    _matrix(tree, department=False, faculty=False)
    gaps = [gap for gap in responsibility_gaps() if gap.code == "approvals_no_unit"]
    assert {gap.subject for gap in gaps} == {tree["cs_programme"], tree["health_programme"]}
    cs_gap = next(gap for gap in gaps if gap.subject == tree["cs_programme"])
    assert cs_gap.message == 'No unit answers pre-approval cases for programme "Computer Science".'
    assert cs_gap.area == tree["area"]


def test_the_gap_report_says_once_when_no_area_has_the_duty(tree):
    ResponsibilityArea.objects.filter(pk=tree["area"].pk).update(duty=Duty.NONE)
    codes = [gap.code for gap in responsibility_gaps() if gap.code.startswith("approvals_")]
    assert codes == ["approvals_no_area"]


def _submitted(tree, student):
    student_programme_set(user=student, programme=tree["cs_programme"])
    case = case_create(student=student, agreement=tree["tum_agreement"], year=2027, season="autumn")
    line_add(case=case, user=student, foreign=[foreign()], home=[home()])
    return case_submit(case=case, user=student)


def test_a_change_in_the_matrix_moves_new_cases_not_old_ones(tree):
    first = _submitted(tree, tree["student"])
    assert (first.unit, first.accountable_unit) == (tree["cs"], tree["it"])

    _matrix(tree, department=False)
    second = _submitted(tree, tree["other_student"])

    first.refresh_from_db()
    assert (first.unit, first.accountable_unit) == (tree["cs"], tree["it"])
    assert (second.unit, second.accountable_unit) == (tree["it"], tree["section"])


def test_the_units_promise_is_copied_at_submission_and_defaults_without_one(tree):
    without = _submitted(tree, tree["student"])
    assert (without.first_response_days, without.decision_days) == (
        DEFAULT_FIRST_RESPONSE_DAYS,
        DEFAULT_DECISION_DAYS,
    )
    promise = UnitPromise.objects.create(unit=tree["cs"], first_response_days=3, decision_days=10)
    promised = _submitted(tree, tree["other_student"])
    assert (promised.first_response_days, promised.decision_days) == (3, 10)
    # A later change of the promise leaves submitted cases as they were.
    promise.first_response_days = 8
    promise.save()
    promised.refresh_from_db()
    assert promised.first_response_days == 3


def test_a_change_goes_to_the_unit_of_the_case_it_amends(tree):
    original = case_make(
        student=tree["student"],
        agreement=tree["tum_agreement"],
        unit=tree["cs"],
        accountable_unit=tree["it"],
        programme=tree["cs_programme"],
        status=CaseStatus.DECIDED,
        decisions=["approved"],
    )
    _matrix(tree, department=False)
    change = PreApprovalCase.objects.create(
        kind=CaseKind.CHANGE,
        amends=original,
        student=tree["student"],
        agreement=tree["tum_agreement"],
        programme=tree["cs_programme"],
        year=2027,
        season="autumn",
    )
    line_add(case=change, user=tree["student"], foreign=[foreign()], home=[home()])
    case_submit(case=change, user=tree["student"])
    change.refresh_from_db()
    assert change.unit == tree["cs"]
    assert change.status == CaseStatus.OPEN
