"""The matrix rules: exactly one Accountable and at least one Responsible per area and level."""

import pytest
from django.utils import translation

from onboarding.responsibilities.errors import ResponsibilityError
from onboarding.responsibilities.levels import Level, Role
from onboarding.responsibilities.models import Assignment
from onboarding.responsibilities.services import (
    AssignmentSpec,
    area_assignments_replace,
    area_create,
    assignment_create,
    assignment_delete,
)
from onboarding.units.kinds import UnitKind

pytestmark = pytest.mark.django_db


def _refused(call):
    """The error ``call`` raises, in English; nothing may have changed."""
    count = Assignment.objects.count()
    with translation.override("en"), pytest.raises(ResponsibilityError) as refused:
        call()
    assert Assignment.objects.count() == count
    return refused.value


def test_a_level_is_set_up_in_one_go(area):
    levels = set(Assignment.objects.filter(area=area).values_list("level", flat=True))
    assert levels == {Level.UNIVERSITY, Level.FACULTY}


def test_a_second_accountable_is_refused_naming_area_and_level(area, tree):
    error = _refused(
        lambda: assignment_create(
            area=area,
            spec=AssignmentSpec(Level.UNIVERSITY, Role.ACCOUNTABLE, unit=tree["parliament"]),
        )
    )
    assert error.code == "several_accountable"
    assert error.level == Level.UNIVERSITY
    assert (
        error.message
        == '2 Accountable for "Arrival and housing" at university level: give exactly one.'
    )


def test_removing_the_only_accountable_is_refused(area):
    accountable = Assignment.objects.get(area=area, level=Level.UNIVERSITY, role=Role.ACCOUNTABLE)
    error = _refused(lambda: assignment_delete(assignment=accountable))
    assert error.code == "no_accountable"
    assert (
        error.message
        == 'No Accountable for "Arrival and housing" at university level: give exactly one.'
    )


def test_removing_the_only_responsible_is_refused(area):
    responsible = Assignment.objects.get(area=area, level=Level.UNIVERSITY, role=Role.RESPONSIBLE)
    error = _refused(lambda: assignment_delete(assignment=responsible))
    assert error.code == "no_responsible"
    assert (
        error.message
        == 'No Responsible for "Arrival and housing" at university level: give at least one.'
    )


def test_a_new_level_without_accountable_is_refused(area):
    error = _refused(
        lambda: assignment_create(
            area=area,
            spec=AssignmentSpec(Level.DEPARTMENT, Role.RESPONSIBLE, unit_kind=UnitKind.DEPARTMENT),
        )
    )
    assert error.code == "no_accountable"
    assert error.level == Level.DEPARTMENT
    assert "department level" in error.message


def test_a_level_without_responsible_is_refused_in_a_replacement(area, tree):
    error = _refused(
        lambda: area_assignments_replace(
            area=area,
            assignments=[AssignmentSpec(Level.UNIVERSITY, Role.ACCOUNTABLE, unit=tree["section"])],
        )
    )
    assert error.code == "no_responsible"
    assert Assignment.objects.filter(area=area).count() == 6


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            'Buddy Programme is Responsible twice for "Arrival and housing" at university level.',
        ),
        (
            "nb",
            "Fadderordningen står som Ansvarlig to ganger for «Ankomst og bolig» "
            "på universitetsnivå.",
        ),
    ],
)
def test_the_same_role_twice_for_one_party_is_refused(area, tree, language, message):
    count = Assignment.objects.count()
    with translation.override(language), pytest.raises(ResponsibilityError) as refused:
        assignment_create(
            area=area, spec=AssignmentSpec(Level.UNIVERSITY, Role.RESPONSIBLE, unit=tree["buddies"])
        )
    assert Assignment.objects.count() == count
    assert refused.value.code == "duplicate"
    assert refused.value.message == message


def test_one_party_may_be_accountable_and_responsible(tree):
    area = area_create(name_nb="Krisestøtte", name_en="Crisis support")
    area_assignments_replace(
        area=area,
        assignments=[
            AssignmentSpec(Level.UNIVERSITY, Role.ACCOUNTABLE, unit=tree["section"]),
            AssignmentSpec(Level.UNIVERSITY, Role.RESPONSIBLE, unit=tree["section"]),
        ],
    )
    assert Assignment.objects.filter(area=area).count() == 2


def test_a_consulted_party_is_added_to_a_level_in_order(area, tree):
    assignment = assignment_create(
        area=area,
        spec=AssignmentSpec(Level.UNIVERSITY, Role.CONSULTED, unit=tree["language_centre"]),
    )
    assert assignment.unit_name == "Språksenteret"


@pytest.mark.parametrize(
    ("spec", "code"),
    [
        (lambda t: AssignmentSpec(Level.UNIVERSITY, Role.CONSULTED), "invalid_party"),
        (
            lambda t: AssignmentSpec(
                Level.UNIVERSITY, Role.CONSULTED, unit=t["choir"], unit_kind=UnitKind.FACULTY
            ),
            "invalid_party",
        ),
        (lambda t: AssignmentSpec("galaxy", Role.CONSULTED, unit=t["choir"]), "invalid_level"),
        (lambda t: AssignmentSpec(Level.UNIVERSITY, "X", unit=t["choir"]), "invalid_role"),
        (
            lambda t: AssignmentSpec(
                Level.UNIVERSITY, Role.CONSULTED, unit_kind=UnitKind.INTERNATIONAL_SECTION
            ),
            "invalid_party",
        ),
    ],
)
def test_a_malformed_assignment_is_refused(area, tree, spec, code):
    error = _refused(lambda: assignment_create(area=area, spec=spec(tree)))
    assert error.code == code


def test_an_area_needs_its_name_in_both_languages(tree):
    with pytest.raises(ResponsibilityError) as refused:
        area_create(name_nb="Norsk språk", name_en=" ")
    assert refused.value.code == "missing_name"
