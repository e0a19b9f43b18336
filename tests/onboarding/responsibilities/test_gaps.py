"""The gap report: areas without an owner and assignments to units that are gone."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from wagtail import hooks

from onboarding.hooks import GAP_CHECKS
from onboarding.responsibilities.levels import Level, Role
from onboarding.responsibilities.models import Assignment
from onboarding.responsibilities.selectors import (
    Gap,
    responsibility_gaps,
    unit_area_roles,
)
from onboarding.responsibilities.services import (
    AssignmentSpec,
    area_assignments_replace,
    area_create,
)
from onboarding.units.kinds import UnitKind
from onboarding.units.models import UnitPage
from tests.onboarding.units.factories import unit_create

pytestmark = pytest.mark.django_db


def _codes():
    return [gap.code for gap in responsibility_gaps()]


def _area_owned_by(unit, *, name_en="Buddy programme"):
    area = area_create(name_nb="Fadderordning", name_en=name_en)
    area_assignments_replace(
        area=area,
        assignments=[
            AssignmentSpec(Level.UNIVERSITY, Role.ACCOUNTABLE, unit=unit),
            AssignmentSpec(Level.UNIVERSITY, Role.RESPONSIBLE, unit=unit),
        ],
    )
    return area


def test_a_complete_matrix_has_no_gaps(area):
    assert responsibility_gaps() == []


def test_an_area_without_assignments_has_no_owner(area):
    empty = area_create(name_nb="Norsk språk", name_en="Norwegian language")
    gaps = responsibility_gaps()
    assert [(gap.code, gap.area) for gap in gaps] == [("area_without_owner", empty)]


def test_an_assignment_to_a_deleted_unit_is_found(area, tree):
    group = unit_create(
        tree["volunteer_index"], kind=UnitKind.VOLUNTEER_GROUP, name_nb="Sjakkklubben"
    )
    owned = _area_owned_by(group)
    UnitPage.objects.get(pk=group.pk).delete()

    with translation.override("en"):
        gaps = [gap for gap in responsibility_gaps() if gap.area == owned]

    assert {gap.code for gap in gaps} == {"area_without_owner", "unit_missing"}
    missing = [gap for gap in gaps if gap.code == "unit_missing"]
    assert len(missing) == 2
    assert 'points at "Sjakkklubben", which no longer exists' in missing[0].message
    assert all(gap.level == Level.UNIVERSITY for gap in missing)
    assert Assignment.objects.filter(area=owned, unit__isnull=True).count() == 2


def test_a_level_whose_only_responsible_is_gone_is_found(area, tree):
    group = unit_create(tree["volunteer_index"], kind=UnitKind.VOLUNTEER_GROUP)
    area_assignments_replace(
        area=area,
        assignments=[
            AssignmentSpec(Level.UNIVERSITY, Role.ACCOUNTABLE, unit=tree["section"]),
            AssignmentSpec(Level.UNIVERSITY, Role.RESPONSIBLE, unit=group),
        ],
    )
    UnitPage.objects.get(pk=group.pk).delete()
    codes = _codes()
    assert "level_no_responsible" in codes
    assert "unit_missing" in codes
    assert "area_without_owner" not in codes


def test_an_assignment_to_an_unpublished_unit_is_found(area, tree):
    UnitPage.objects.get(pk=tree["buddies"].pk).unpublish()
    gaps = responsibility_gaps()
    assert "unit_not_live" in [gap.code for gap in gaps]
    assert any(gap.assignment and gap.assignment.unit_id == tree["buddies"].pk for gap in gaps)


def test_a_role_given_to_a_kind_with_no_published_unit_is_found(area, tree):
    area_assignments_replace(
        area=area,
        assignments=[
            AssignmentSpec(Level.UNIVERSITY, Role.ACCOUNTABLE, unit=tree["section"]),
            AssignmentSpec(Level.UNIVERSITY, Role.RESPONSIBLE, unit=tree["section"]),
            AssignmentSpec(Level.UNIVERSITY, Role.INFORMED, unit_kind=UnitKind.LINE_ASSOCIATION),
        ],
    )
    UnitPage.objects.get(pk=tree["line_a"].pk).unpublish()
    assert _codes() == ["kind_without_units"]


def test_another_app_adds_its_own_check(area):
    def items_without_owner():
        yield Gap(code="item_owner_has_no_role", message="Checklist item X", area=area)

    with hooks.register_temporarily(
        [(GAP_CHECKS, items_without_owner), (GAP_CHECKS, items_without_owner)]
    ):
        assert _codes() == ["item_owner_has_no_role"]
    assert _codes() == []


def test_two_apps_checks_both_report(area):
    def first():
        yield Gap(code="first_finding", message="First", area=area)

    def second():
        yield Gap(code="second_finding", message="Second", area=area)

    with hooks.register_temporarily([(GAP_CHECKS, first), (GAP_CHECKS, second)]):
        assert _codes() == ["first_finding", "second_finding"]


def test_unit_area_roles_count_roles_given_to_the_units_kind(area, tree):
    assert unit_area_roles(unit=tree["faculty_a"], area=area) == {"A", "R"}
    assert unit_area_roles(unit=tree["council_a"], area=area) == {"C"}
    assert unit_area_roles(unit=tree["section"], area=area, level=Level.FACULTY) == set()
    assert unit_area_roles(unit=tree["section"], area=area) == {"A"}


def test_command_lists_the_gaps(area):
    area_create(name_nb="Norsk språk", name_en="Norwegian language")
    out = io.StringIO()
    with translation.override("en"):
        call_command("responsibility_gaps", stdout=out)
    assert "1 gap(s)" in out.getvalue()
    assert "[area_without_owner]" in out.getvalue()


def test_command_in_strict_mode_fails_on_gaps(area):
    area_create(name_nb="Norsk språk", name_en="Norwegian language")
    with pytest.raises(CommandError):
        call_command("responsibility_gaps", "--strict", stdout=io.StringIO())


def test_command_says_when_there_are_no_gaps(area):
    out = io.StringIO()
    call_command("responsibility_gaps", "--strict", stdout=out)
    assert "No gaps" in out.getvalue()
