"""The demo organisation chart and matrix: realistic, complete, idempotent."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from onboarding.activities.models import EventPage
from onboarding.responsibilities.demo import seed_responsibilities
from onboarding.responsibilities.models import Assignment
from onboarding.responsibilities.selectors import responsibility_gaps
from onboarding.units.demo import DATA, demo_units, seed_units, unit_specs
from onboarding.units.kinds import UnitKind
from onboarding.units.models import (
    Follow,
    RightsAction,
    UnitEditorsGroup,
    UnitPage,
    UnitRightsChange,
)
from onboarding.units.selectors import (
    unit_faculty,
    unit_invitations_pending,
    unit_may_manage_people,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_site, db):
    """The demo units by key, on the module's copy of the seeded demo."""
    return demo_units()


def _count(kind):
    return UnitPage.objects.live().filter(kind=kind).count()


def test_demo_has_a_realistic_university(demo):
    for kind in UnitKind:
        assert _count(kind) == sum(spec["kind"] == kind for spec in DATA["unit"]), kind
    assert _count(UnitKind.INTERNATIONAL_SECTION) == 1
    assert _count(UnitKind.FACULTY) >= 5
    assert _count(UnitKind.STUDENT_COUNCIL) == _count(UnitKind.FACULTY)
    assert _count(UnitKind.STUDENT_PARLIAMENT) == 1
    assert _count(UnitKind.LANGUAGE_CENTRE) == 1
    assert _count(UnitKind.LINE_ASSOCIATION) >= 10
    assert _count(UnitKind.VOLUNTEER_GROUP) >= 6
    for faculty in UnitPage.objects.filter(kind=UnitKind.FACULTY):
        departments = UnitPage.objects.child_of(faculty).filter(kind=UnitKind.DEPARTMENT)
        assert 2 <= departments.count() <= 4
        assert UnitPage.objects.child_of(faculty).filter(kind=UnitKind.STUDENT_COUNCIL).count() == 1


def test_demo_units_are_filled_in_both_languages(demo):
    for unit in UnitPage.objects.all():
        assert unit.missing_translations() == {}, unit.title


def test_demo_matrix_is_complete(demo):
    assert Assignment.objects.count() > 40
    assert responsibility_gaps() == []


def test_demo_seed_is_idempotent(demo):
    units, assignments, groups = (
        UnitPage.objects.count(),
        Assignment.objects.count(),
        UnitEditorsGroup.objects.count(),
    )
    seed_units()
    seed_responsibilities()
    assert UnitPage.objects.count() == units
    assert Assignment.objects.count() == assignments
    assert UnitEditorsGroup.objects.count() == groups == units


def test_seeding_again_puts_back_what_the_data_says_and_leaves_the_rest(demo):
    spec = next(spec for spec in unit_specs() if spec["key"] == "buddy")
    changed, untouched = demo["buddy"], demo["isn"]
    UnitPage.objects.filter(pk=changed.pk).update(intro_en="Changed in the admin")
    revisions = untouched.revisions.count()

    seed_units()

    changed.refresh_from_db()
    assert changed.intro_en == spec["intro"]["en"]
    assert untouched.revisions.count() == revisions


def _editable(user):
    return {
        unit.pk for unit in UnitPage.objects.all() if unit.permissions_for_user(user).can_edit()
    }


def _branches(units):
    """Every unit at or under ``units``."""
    pks = set()
    for unit in units:
        pks |= set(UnitPage.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
    return pks


@pytest.mark.parametrize("email", sorted(DATA["people"]["editors"]))
def test_each_demo_editor_edits_the_branches_of_their_units_only(demo, email):
    editor = get_user_model().objects.get(email=email)
    units = [demo[key] for key in DATA["people"]["editors"][email]]

    assert _editable(editor) == _branches(units)


def test_the_demo_coordinator_edits_a_faculty_branch_with_its_line_associations(demo):
    faculties = [
        (email, demo[key])
        for email, keys in DATA["people"]["editors"].items()
        for key in keys
        if demo[key].kind == UnitKind.FACULTY
    ]
    assert faculties
    for email, faculty in faculties:
        branch = UnitPage.objects.filter(
            pk__in=_editable(get_user_model().objects.get(email=email))
        )
        assert branch.filter(kind=UnitKind.LINE_ASSOCIATION).exists()
        assert all(unit_faculty(unit) == faculty for unit in branch)


def test_demo_staff_edit_every_unit(demo):
    for email in DATA["people"]["staff"]:
        staff = get_user_model().objects.get(email=email)
        assert all(unit.permissions_for_user(staff).can_edit() for unit in UnitPage.objects.all())


def test_demo_has_one_possibly_inactive_group(demo):
    stale = [unit for unit in UnitPage.objects.live() if unit.is_stale]
    unconfirmed = [spec["key"] for spec in DATA["unit"] if "confirmed_days_ago" in spec]

    assert len(unconfirmed) == 1
    assert [unit.pk for unit in stale] == [demo[unconfirmed[0]].pk]


def test_the_demo_student_follows_units_with_upcoming_events(demo):
    for email, keys in DATA["people"]["follows"].items():
        student = get_user_model().objects.get(email=email)
        followed = set(Follow.objects.filter(user=student).values_list("unit_id", flat=True))

        assert {demo[key].pk for key in keys} <= followed
        upcoming = EventPage.objects.live().filter(start_at__gte=timezone.now())
        assert any(upcoming.filter(path__startswith=demo[key].path).exists() for key in keys)


def test_the_demo_editor_has_a_pending_invitation_and_a_log_and_seeding_again_adds_none(demo):
    editor = get_user_model().objects.get(email="editor@velkommen.test")
    buddy = demo["buddy"]
    pending = unit_invitations_pending(unit=buddy).filter(invited_by=editor)
    assert pending.count() == 1
    assert UnitRightsChange.objects.filter(
        unit=buddy, action=RightsAction.INVITED, by=editor
    ).exists()
    assert unit_may_manage_people(unit=buddy, user=editor)
    seed_units()
    assert pending.count() == 1
