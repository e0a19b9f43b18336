"""Services of units: editor groups, confirmations and follows."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.utils import timezone
from wagtail import hooks
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    PageLogEntry,
)

from onboarding.hooks import INTERNATIONAL_STAFF_PERMISSIONS
from onboarding.units.errors import UnitError
from onboarding.units.kinds import UnitKind
from onboarding.units.models import Follow, UnitConfirmation, UnitEditorsGroup, UnitPage
from onboarding.units.selectors import unit_editors_group, unit_follower_count
from onboarding.units.services import (
    INTERNATIONAL_STAFF_GROUP,
    follow_create,
    follow_delete,
    international_staff_add,
    international_staff_group_ensure,
    international_staff_permissions,
    unit_confirm,
    unit_editor_add,
    unit_editors_group_ensure,
)
from tests.factories import StaffFactory, UserFactory
from tests.onboarding.units.factories import unit_create

pytestmark = pytest.mark.django_db


def _fresh(unit):
    return UnitPage.objects.get(pk=unit.pk)


# --- Editor groups ------------------------------------------------------------------------


def test_publishing_a_unit_makes_its_editors_group(tree):
    link = UnitEditorsGroup.objects.get(unit=tree["buddies"])
    codenames = set(
        GroupPagePermission.objects.filter(group=link.group).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {"add_page", "change_page", "publish_page", "lock_page"}
    assert set(
        GroupPagePermission.objects.filter(group=link.group).values_list("page", flat=True)
    ) == {tree["buddies"].pk}
    assert link.group.permissions.filter(codename="access_admin").exists()


def test_publishing_a_unit_makes_a_collection_for_its_media(tree):
    link = UnitEditorsGroup.objects.get(unit=tree["buddies"])
    assert link.collection.get_parent() == Collection.get_first_root_node()
    codenames = set(
        GroupCollectionPermission.objects.filter(
            group=link.group, collection=link.collection
        ).values_list("permission__codename", flat=True)
    )
    assert {"add_image", "choose_image", "add_document", "choose_document"} <= codenames


def test_editors_group_creation_is_idempotent(tree):
    unit = _fresh(tree["choir"])
    counts = (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        Collection.objects.count(),
    )
    first = unit_editors_group_ensure(unit=unit)
    second = unit_editors_group_ensure(unit=unit)
    unit.save_revision().publish()
    assert first.pk == second.pk
    assert counts == (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        Collection.objects.count(),
    )


def test_later_publishes_do_not_restore_permissions_an_administrator_removed(tree):
    unit = _fresh(tree["choir"])
    group = unit_editors_group(unit)
    GroupPagePermission.objects.filter(group=group, permission__codename="publish_page").delete()
    unit.save_revision().publish()
    assert not GroupPagePermission.objects.filter(
        group=group, permission__codename="publish_page"
    ).exists()


def test_renaming_a_unit_renames_its_group_and_collection(tree):
    unit = _fresh(tree["choir"])
    unit.title_nb = "Studentkoret Cantus"
    unit.save_revision().publish()
    link = UnitEditorsGroup.objects.select_related("group", "collection").get(unit=unit)
    assert link.group.name == "Editors: Studentkoret Cantus"
    assert link.collection.name == "Studentkoret Cantus"


def test_two_units_with_the_same_name_get_two_groups(tree):
    first = unit_create(tree["department_a"], kind=UnitKind.LINE_ASSOCIATION, name_nb="Omega")
    second = unit_create(tree["department_b"], kind=UnitKind.LINE_ASSOCIATION, name_nb="Omega")
    assert unit_editors_group(first) != unit_editors_group(second)
    assert unit_editors_group(second).name == f"Editors: Omega (#{second.pk})"


def test_moving_a_unit_moves_its_editors_rights_with_it(tree):
    department = _fresh(tree["department_a"])
    own_editor, old_faculty_editor, new_faculty_editor = (
        StaffFactory(),
        StaffFactory(),
        StaffFactory(),
    )
    unit_editor_add(unit=department, user=own_editor)
    unit_editor_add(unit=tree["faculty_a"], user=old_faculty_editor)
    unit_editor_add(unit=tree["faculty_b"], user=new_faculty_editor)

    department.move(tree["faculty_b"], pos="last-child")
    department = _fresh(department)

    assert department.permissions_for_user(own_editor).can_edit()
    assert department.permissions_for_user(new_faculty_editor).can_edit()
    assert not department.permissions_for_user(old_faculty_editor).can_edit()


def test_deleting_a_unit_deletes_its_editors_group(tree):
    unit = unit_create(tree["volunteer_index"], kind=UnitKind.VOLUNTEER_GROUP)
    group_id = unit_editors_group(unit).pk
    unit.delete()
    assert not Group.objects.filter(pk=group_id).exists()


def test_a_person_can_edit_several_units(tree):
    editor = StaffFactory()
    unit_editor_add(unit=tree["buddies"], user=editor)
    unit_editor_add(unit=tree["line_a"], user=editor)
    assert _fresh(tree["buddies"]).permissions_for_user(editor).can_edit()
    assert _fresh(tree["line_a"]).permissions_for_user(editor).can_edit()
    assert not _fresh(tree["choir"]).permissions_for_user(editor).can_edit()


def test_a_deactivated_account_cannot_be_made_an_editor(tree):
    with pytest.raises(UnitError) as refused:
        unit_editor_add(unit=tree["buddies"], user=StaffFactory(is_active=False))
    assert refused.value.code == "inactive_user"


def test_unit_editors_may_not_delete_or_move_their_own_unit(tree):
    editor = StaffFactory()
    unit_editor_add(unit=tree["choir"], user=editor)
    permissions = _fresh(tree["choir"]).permissions_for_user(editor)
    assert permissions.can_edit() and permissions.can_publish() and permissions.can_unpublish()
    assert not permissions.can_delete()
    assert not permissions.can_move()


def test_international_staff_group_is_made_once_with_the_whole_tree(tree):
    first = international_staff_group_ensure()
    permissions = GroupPagePermission.objects.count()
    second = international_staff_group_ensure()
    assert first.pk == second.pk
    assert Group.objects.filter(name=INTERNATIONAL_STAFF_GROUP).count() == 1
    assert GroupPagePermission.objects.count() == permissions
    assert (
        GroupPagePermission.objects.get(group=first, permission__codename="publish_page").page.depth
        == 1
    )


def test_international_staff_edit_delete_and_own_the_matrix(tree):
    staff = StaffFactory()
    international_staff_add(user=staff)
    unit = unit_create(tree["faculty_b"], kind=UnitKind.DEPARTMENT)
    assert unit.permissions_for_user(staff).can_edit()
    assert unit.permissions_for_user(staff).can_delete()
    assert staff.has_perm("responsibilities.change_responsibilityarea")
    assert staff.has_perm("responsibilities.view_gap_report")
    assert staff.has_perm("units.view_unit_reports")


def test_every_apps_staff_permissions_are_given(tree):
    with hooks.register_temporarily(
        [
            (INTERNATIONAL_STAFF_PERMISSIONS, lambda: ["wagtailcore.view_modellogentry"]),
            (INTERNATIONAL_STAFF_PERMISSIONS, lambda: ["wagtailcore.add_site"]),
        ]
    ):
        permissions = international_staff_permissions()
        staff = StaffFactory()
        international_staff_add(user=staff)
    assert {"wagtailcore.view_modellogentry", "wagtailcore.add_site"} <= set(permissions)
    assert {"courses.view_coverage_report", "responsibilities.view_gap_report"} <= set(permissions)
    assert len(permissions) == len(set(permissions))
    assert staff.has_perm("wagtailcore.view_modellogentry")
    assert staff.has_perm("wagtailcore.add_site")


# --- Confirmation ---------------------------------------------------------------------------


def test_an_editor_confirms_their_unit(tree):
    editor = StaffFactory()
    unit_editor_add(unit=tree["choir"], user=editor)
    confirmed = unit_confirm(unit=_fresh(tree["choir"]), user=editor)
    unit = _fresh(tree["choir"])
    assert unit.last_confirmed == confirmed
    assert UnitConfirmation.objects.filter(unit=unit, confirmed_by=editor).exists()
    assert PageLogEntry.objects.filter(page=unit, action="units.confirm", user=editor).exists()


def test_someone_else_cannot_confirm_a_unit(tree):
    with pytest.raises(UnitError) as refused:
        unit_confirm(unit=_fresh(tree["choir"]), user=StaffFactory())
    assert refused.value.code == "forbidden"
    assert _fresh(tree["choir"]).last_confirmed is None


def test_an_unpublished_unit_cannot_be_confirmed(tree):
    editor = StaffFactory()
    unit_editor_add(unit=tree["choir"], user=editor)
    unit = _fresh(tree["choir"])
    unit.unpublish()
    with pytest.raises(UnitError) as refused:
        unit_confirm(unit=_fresh(unit), user=editor)
    assert refused.value.code == "not_live"


def test_confirmation_survives_publishing_an_older_revision(tree):
    editor = StaffFactory()
    unit_editor_add(unit=tree["choir"], user=editor)
    old_revision = _fresh(tree["choir"]).latest_revision
    confirmed = unit_confirm(unit=_fresh(tree["choir"]), user=editor)
    old_revision.publish()
    assert _fresh(tree["choir"]).last_confirmed == confirmed


def test_unit_not_confirmed_for_twelve_months_is_stale(tree):
    unit = _fresh(tree["choir"])
    unit.last_confirmed = timezone.now() - datetime.timedelta(days=370)
    assert unit.is_stale
    unit.last_confirmed = timezone.now() - datetime.timedelta(days=330)
    assert not unit.is_stale


def test_unit_never_confirmed_counts_from_its_first_publication(tree):
    unit = _fresh(tree["choir"])
    unit.first_published_at = timezone.now() - datetime.timedelta(days=400)
    assert unit.is_stale


def test_stale_cutoff_is_the_same_day_a_year_back():
    from onboarding.units.models import stale_cutoff

    leap_day = datetime.datetime(2028, 2, 29, 12, tzinfo=datetime.UTC)
    assert stale_cutoff(leap_day) == datetime.datetime(2027, 2, 28, 12, tzinfo=datetime.UTC)


# --- Follows --------------------------------------------------------------------------------


def test_a_student_follows_a_unit(tree):
    student = UserFactory()
    follow = follow_create(user=student, unit=tree["buddies"])
    assert follow.user == student
    assert unit_follower_count(unit=tree["buddies"]) == 1


def test_following_twice_keeps_one_follow(tree):
    student = UserFactory()
    follow_create(user=student, unit=tree["buddies"])
    follow_create(user=student, unit=tree["buddies"])
    assert Follow.objects.filter(user=student).count() == 1


def test_follower_count_is_per_unit(tree):
    for _ in range(3):
        follow_create(user=UserFactory(), unit=tree["buddies"])
    follow_create(user=UserFactory(), unit=tree["choir"])
    assert unit_follower_count(unit=tree["buddies"]) == 3
    assert unit_follower_count(unit=tree["choir"]) == 1


def test_anonymous_person_cannot_follow(tree):
    with pytest.raises(UnitError) as refused:
        follow_create(user=AnonymousUser(), unit=tree["buddies"])
    assert refused.value.code == "login_required"


def test_unpublished_unit_cannot_be_followed(tree):
    unit = unit_create(tree["volunteer_index"], kind=UnitKind.VOLUNTEER_GROUP)
    unit.unpublish()
    with pytest.raises(UnitError) as refused:
        follow_create(user=UserFactory(), unit=_fresh(unit))
    assert refused.value.code == "not_found"


def test_a_student_unfollows_a_unit(tree):
    student = UserFactory()
    follow_create(user=student, unit=tree["buddies"])
    assert follow_delete(user=student, unit=tree["buddies"]) is True
    assert follow_delete(user=student, unit=tree["buddies"]) is False
    assert unit_follower_count(unit=tree["buddies"]) == 0
