"""The page tree is the organisation chart: where each kind of unit may sit."""

import pytest
from django.core.exceptions import ValidationError

from onboarding.units.kinds import UnitKind
from onboarding.units.models import UnitPage, placement_errors
from tests.factories import StaffFactory
from tests.onboarding.units.factories import unit_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("parent", "kind"),
    [
        ("directory", UnitKind.FACULTY),
        ("faculty_a", UnitKind.DEPARTMENT),
        ("faculty_b", UnitKind.STUDENT_COUNCIL),
        ("faculty_a", UnitKind.LINE_ASSOCIATION),
        ("department_a", UnitKind.LINE_ASSOCIATION),
        ("volunteer_index", UnitKind.VOLUNTEER_GROUP),
    ],
)
def test_unit_is_created_where_a_university_has_it(tree, parent, kind):
    unit = unit_create(tree[parent], kind=kind)
    assert unit.get_parent().pk == tree[parent].pk


@pytest.mark.parametrize(
    ("parent", "kind", "message"),
    [
        ("directory", UnitKind.DEPARTMENT, "A department belongs under a faculty."),
        ("department_a", UnitKind.DEPARTMENT, "A department belongs under a faculty."),
        ("faculty_a", UnitKind.FACULTY, "A faculty belongs directly under the unit directory."),
        ("department_a", UnitKind.STUDENT_COUNCIL, "A student council belongs under a faculty."),
        (
            "volunteer_index",
            UnitKind.LINE_ASSOCIATION,
            "A line association belongs under a department or a faculty.",
        ),
        (
            "faculty_a",
            UnitKind.VOLUNTEER_GROUP,
            "A volunteer group belongs under the volunteer groups index.",
        ),
        (
            "faculty_a",
            UnitKind.LANGUAGE_CENTRE,
            "The language centre belongs under the International Section.",
        ),
        (
            "section",
            UnitKind.FACULTY,
            "A faculty belongs directly under the unit directory.",
        ),
    ],
)
def test_unit_is_refused_under_the_wrong_parent(tree, parent, kind, message):
    count = UnitPage.objects.count()
    with pytest.raises(ValidationError) as refused:
        unit_create(tree[parent], kind=kind, publish=False)
    assert message in refused.value.message_dict["kind"]
    assert UnitPage.objects.count() == count


@pytest.mark.parametrize(
    ("parent", "kind", "message"),
    [
        ("directory", UnitKind.INTERNATIONAL_SECTION, "There is already an International Section"),
        ("directory", UnitKind.STUDENT_PARLIAMENT, "There is already a student parliament"),
        ("section", UnitKind.LANGUAGE_CENTRE, "There is already a language centre"),
        ("faculty_a", UnitKind.STUDENT_COUNCIL, "This faculty already has a student council"),
    ],
)
def test_second_unit_of_a_one_off_kind_is_refused(tree, parent, kind, message):
    errors = placement_errors(kind=kind, parent=tree[parent])
    assert any(str(error).startswith(message) for error in errors)


def test_unit_under_the_wrong_parent_is_not_offered_as_a_subpage(tree):
    # A language centre takes no units under it; the International Section has its one.
    assert not UnitPage.can_create_at(tree["language_centre"])
    assert not UnitPage.can_create_at(tree["section"])
    assert UnitPage.can_create_at(tree["faculty_a"])
    assert UnitPage.can_create_at(tree["volunteer_index"])


def test_department_may_move_to_another_faculty_only(tree):
    department = tree["department_a"]
    assert department.can_move_to(tree["faculty_b"])
    assert not department.can_move_to(tree["directory"])
    assert not department.can_move_to(tree["department_b"])


def test_changing_a_kind_that_would_strand_its_children_is_refused(tree):
    faculty = UnitPage.objects.get(pk=tree["faculty_a"].pk)
    faculty.kind = UnitKind.LINE_ASSOCIATION
    with pytest.raises(ValidationError) as refused:
        faculty.full_clean()
    assert any("cannot sit under" in message for message in refused.value.message_dict["kind"])


def _admin_form(parent, *, user, instance=None):
    form_class = UnitPage.get_edit_handler().get_form_class()
    return form_class(instance=instance or UnitPage(), parent_page=parent, for_user=user)


def test_admin_form_offers_only_the_kinds_that_fit_the_parent(tree):
    admin = StaffFactory(is_superuser=True)
    form = _admin_form(tree["faculty_a"], user=admin)
    offered = [value for value, _label in form.fields["kind"].choices if value]
    # faculty_a has its student council already.
    assert offered == [UnitKind.DEPARTMENT, UnitKind.LINE_ASSOCIATION]


def test_admin_form_locks_the_kind_of_an_existing_unit_for_its_editors(tree):
    from onboarding.units.services import unit_editor_add

    editor = StaffFactory()
    unit_editor_add(unit=tree["faculty_a"], user=editor)
    unit = UnitPage.objects.get(pk=tree["department_a"].pk)
    form = _admin_form(tree["faculty_a"], user=editor, instance=unit)
    assert form.fields["kind"].disabled


def test_admin_form_lets_structure_staff_change_a_kind(tree):
    admin = StaffFactory(is_superuser=True)
    unit = UnitPage.objects.get(pk=tree["department_a"].pk)
    form = _admin_form(tree["faculty_a"], user=admin, instance=unit)
    assert not form.fields["kind"].disabled
