"""The arrival plan: merging three owners' checklists for a status, due dates, grouping."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from onboarding.accounts.models import StudentStatus
from onboarding.checklists.selectors import group_for, plan_get, plan_today

from .factories import checklist_create, item_spec, student_create

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
OSLO = ZoneInfo("Europe/Oslo")


def titles(plan):
    return [entry.item.title_en for entry in plan.items]


@pytest.fixture
def three_owners(tree):
    """A checklist each for the section, faculty A, department A; and decoys elsewhere."""
    checklist_create(tree["section"], items=[item_spec("Register with the police", 5)])
    checklist_create(tree["faculty_a"], items=[item_spec("Meet your coordinator", 2)])
    checklist_create(tree["department_a"], items=[item_spec("Start-of-semester meeting", 3)])
    checklist_create(tree["faculty_b"], items=[item_spec("Humanities welcome", 1)])
    checklist_create(tree["department_b"], items=[item_spec("Language department tour", 1)])
    checklist_create(
        tree["section"],
        statuses=[StudentStatus.PHD],
        items=[item_spec("Sign your employment contract", 0)],
    )
    checklist_create(tree["faculty_a"], publish=False, items=[item_spec("Draft item", 0)])
    return tree


def test_plan_merges_the_section_faculty_and_department(three_owners):
    student = student_create(
        faculty=three_owners["faculty_a"], department=three_owners["department_a"]
    )
    assert titles(plan_get(user=student)) == [
        "Meet your coordinator",
        "Start-of-semester meeting",
        "Register with the police",
    ]


def test_plan_leaves_out_other_faculties_and_departments(three_owners):
    student = student_create(
        faculty=three_owners["faculty_b"], department=three_owners["department_b"]
    )
    assert titles(plan_get(user=student)) == [
        "Humanities welcome",
        "Language department tour",
        "Register with the police",
    ]


def test_plan_without_a_department_has_the_section_and_faculty(three_owners):
    student = student_create(faculty=three_owners["faculty_a"])
    assert titles(plan_get(user=student)) == ["Meet your coordinator", "Register with the police"]


def test_plan_keeps_checklists_for_the_students_status(three_owners):
    student = student_create(
        faculty=three_owners["faculty_a"],
        department=three_owners["department_a"],
        status=StudentStatus.PHD,
    )
    assert titles(plan_get(user=student))[0] == "Sign your employment contract"


def test_plan_leaves_out_checklists_for_other_statuses(three_owners):
    student = student_create(faculty=three_owners["faculty_a"], status=StudentStatus.BUDDY)
    assert plan_get(user=student).items == []


def test_plan_leaves_out_unpublished_checklists(three_owners):
    student = student_create(faculty=three_owners["faculty_a"])
    assert "Draft item" not in titles(plan_get(user=student))


def test_plan_of_a_person_without_profile_is_none(tree, user):
    assert plan_get(user=user) is None


def test_items_on_the_same_day_come_section_first(tree):
    checklist_create(tree["department_a"], items=[item_spec("Department", 1)])
    checklist_create(tree["faculty_a"], items=[item_spec("Faculty", 1)])
    checklist_create(tree["section"], items=[item_spec("Section", 1)])
    student = student_create(faculty=tree["faculty_a"], department=tree["department_a"])
    assert titles(plan_get(user=student)) == ["Section", "Faculty", "Department"]


def test_items_keep_their_checklist_order_on_the_same_day(tree):
    checklist_create(tree["section"], items=[item_spec("First", 4), item_spec("Second", 4)])
    student = student_create(faculty=tree["faculty_a"])
    assert titles(plan_get(user=student)) == ["First", "Second"]


def test_responsible_unit_is_the_owner_unless_set(tree):
    checklist_create(
        tree["section"],
        items=[
            item_spec("Norwegian course", 10, responsible_unit=tree["language_centre"]),
            item_spec("Student card", 2),
        ],
    )
    student = student_create(faculty=tree["faculty_a"])
    plan = plan_get(user=student)
    responsible = {entry.item.title_en: entry.responsible.pk for entry in plan.items}
    assert responsible == {
        "Norwegian course": tree["language_centre"].pk,
        "Student card": tree["section"].pk,
    }


# --- Due dates ------------------------------------------------------------------------


@pytest.fixture
def dst_student(tree):
    """Arrives 25 March 2026; Norway moves to summer time in the night to 29 March."""
    checklist_create(
        tree["section"], items=[item_spec("Plus three", 3), item_spec("Plus seven", 7)]
    )
    return student_create(faculty=tree["faculty_a"], arrival=datetime.date(2026, 3, 25))


def test_due_dates_are_calendar_days_across_the_summer_time_change(dst_student):
    plan = plan_get(user=dst_student, now=datetime.datetime(2026, 3, 20, 12, tzinfo=UTC))
    assert [entry.due_date for entry in plan.items] == [
        datetime.date(2026, 3, 28),
        datetime.date(2026, 4, 1),
    ]


def test_item_due_saturday_is_not_overdue_late_saturday_evening_in_oslo(dst_student):
    # 22:30 UTC on Saturday 28 March is 23:30 in Oslo (winter time): still the due day.
    plan = plan_get(user=dst_student, now=datetime.datetime(2026, 3, 28, 22, 30, tzinfo=UTC))
    assert not plan.items[0].overdue


def test_item_due_saturday_is_overdue_after_midnight_in_oslo(dst_student):
    # 23:30 UTC on 28 March is already 00:30 on Sunday 29 March in Oslo.
    plan = plan_get(user=dst_student, now=datetime.datetime(2026, 3, 28, 23, 30, tzinfo=UTC))
    assert plan.items[0].overdue


def test_item_due_after_the_change_is_due_today_just_after_midnight_summer_time(dst_student):
    # 22:30 UTC on 31 March is 00:30 on 1 April in Oslo (summer time, UTC+2).
    now = datetime.datetime(2026, 3, 31, 22, 30, tzinfo=UTC)
    plan = plan_get(user=dst_student, now=now)
    assert plan.today == datetime.date(2026, 4, 1)
    assert not plan.items[1].overdue
    assert plan.items[1].due_soon


def test_item_due_after_the_change_is_overdue_the_next_oslo_day(dst_student):
    # 22:30 UTC on 1 April is 00:30 on 2 April in Oslo.
    plan = plan_get(user=dst_student, now=datetime.datetime(2026, 4, 1, 22, 30, tzinfo=UTC))
    assert plan.items[1].overdue


def test_plan_today_is_the_oslo_date(settings):
    settings.TIME_ZONE = "UTC"
    assert plan_today(datetime.datetime(2026, 3, 28, 23, 30, tzinfo=UTC)) == datetime.date(
        2026, 3, 29
    )


def test_done_items_are_never_overdue(dst_student, tree):
    from onboarding.checklists.services import progress_tick

    plan = plan_get(user=dst_student)
    progress_tick(student=dst_student, item=plan.items[0].item)
    late = plan_get(user=dst_student, now=datetime.datetime(2026, 5, 1, 12, tzinfo=UTC))
    assert [entry.overdue for entry in late.items] == [False, True]


def test_without_an_arrival_date_items_have_no_date(tree):
    checklist_create(tree["section"], items=[item_spec("Student card", 2)])
    student = student_create(faculty=tree["faculty_a"], status=StudentStatus.BUDDY, arrival=None)
    checklist_create(
        tree["faculty_a"], statuses=[StudentStatus.BUDDY], items=[item_spec("Buddy training", 5)]
    )
    (entry,) = plan_get(user=student).items
    assert entry.due_date is None
    assert not entry.overdue


# --- Grouping -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "group"),
    [
        (-30, "before"),
        (-1, "before"),
        (0, "first_week"),
        (6, "first_week"),
        (7, "first_month"),
        (29, "first_month"),
        (30, "later"),
        (120, "later"),
    ],
)
def test_group_for_offset(offset, group):
    assert group_for(offset) == group


def test_plan_groups_items_in_order_and_leaves_out_empty_groups(tree):
    checklist_create(
        tree["section"],
        items=[
            item_spec("Later", 45),
            item_spec("Before", -14),
            item_spec("Week", 3),
            item_spec("Also before", -2),
        ],
    )
    student = student_create(faculty=tree["faculty_a"])
    plan = plan_get(user=student)
    assert [(group.key, [e.item.title_en for e in group.items]) for group in plan.groups] == [
        ("before", ["Before", "Also before"]),
        ("first_week", ["Week"]),
        ("later", ["Later"]),
    ]
