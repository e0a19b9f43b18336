"""Due dates of three kinds (arrival, fixed, semester), working days, and no arrival date."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from onboarding.accounts.models import StudentStatus
from onboarding.checklists.calendar import add_working_days, is_working_day, term_of
from onboarding.checklists.models import AcademicSemester, ChecklistItem, DueKind
from onboarding.checklists.page_context import due_label
from onboarding.checklists.selectors import (
    due_date_for,
    group_of,
    plan_get,
    plan_today,
    semester_for,
)

from .factories import checklist_create, item_spec, student_create

# Students going abroad (and buddies) have no arrival date here; checklists may be for them.
NO_ARRIVAL = {"status": StudentStatus.OUTGOING, "arrival": None}

D = datetime.date
UTC = datetime.UTC
OSLO = ZoneInfo("Europe/Oslo")


def item(kind=DueKind.ARRIVAL, offset=0, *, working=False, on=None):
    return ChecklistItem(due_kind=kind, due_offset_days=offset, working_days=working, due_on=on)


AUTUMN = AcademicSemester(year=2026, term="autumn", starts_on=D(2026, 8, 17))
SPRING = AcademicSemester(year=2027, term="spring", starts_on=D(2027, 1, 11))


# --- Pure date arithmetic ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("arrival", "offset", "due"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 1)),  # month end
        (D(2028, 2, 28), 1, D(2028, 2, 29)),  # leap day
        (D(2026, 12, 31), 1, D(2027, 1, 1)),  # year end
        (D(2026, 3, 31), -31, D(2026, 2, 28)),  # back across a short month
        (D(2026, 10, 24), 2, D(2026, 10, 26)),  # across the autumn DST change
    ],
)
def test_arrival_dates_are_calendar_days(arrival, offset, due):
    assert due_date_for(item=item(offset=offset), arrival=arrival, semester=None) == due


def test_working_days_skip_weekends_and_norwegian_holidays():
    # Wednesday 1 April 2026; Maundy Thursday, Good Friday, the weekend and Easter Monday off.
    assert add_working_days(D(2026, 4, 1), 1) == D(2026, 4, 7)
    # 17 May 2027 is a Monday (Constitution Day); Friday 14 May + 1 → Tuesday 18 May.
    assert add_working_days(D(2027, 5, 14), 1) == D(2027, 5, 18)
    # Backwards from a Monday across the weekend; 0 moves a Saturday to Monday.
    assert add_working_days(D(2026, 8, 17), -1) == D(2026, 8, 14)
    assert add_working_days(D(2026, 8, 15), 0) == D(2026, 8, 17)
    # From 31 December across New Year's Day.
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert not is_working_day(D(2026, 12, 25)) and is_working_day(D(2026, 12, 28))


def test_working_day_items_count_from_arrival():
    due = due_date_for(item=item(offset=5, working=True), arrival=D(2026, 1, 30), semester=None)
    assert due == D(2026, 2, 6)  # Friday 30 January + 5 working days, across the month end


def test_fixed_dates_ignore_arrival_and_semester():
    fixed = item(DueKind.FIXED, on=D(2026, 9, 1))
    assert due_date_for(item=fixed, arrival=None, semester=None) == D(2026, 9, 1)
    assert due_date_for(item=fixed, arrival=D(2026, 8, 1), semester=AUTUMN) == D(2026, 9, 1)


def test_semester_dates_count_from_the_semesters_start():
    assert due_date_for(item=item(DueKind.SEMESTER, 14), arrival=None, semester=AUTUMN) == D(
        2026, 8, 31
    )
    assert due_date_for(
        item=item(DueKind.SEMESTER, -3, working=True), arrival=None, semester=SPRING
    ) == D(2027, 1, 6)
    # No semester known: no date, rather than a wrong one.
    assert due_date_for(item=item(DueKind.SEMESTER, 14), arrival=None, semester=None) is None


def test_arrival_items_without_an_arrival_date_have_no_date():
    assert due_date_for(item=item(offset=3), arrival=None, semester=AUTUMN) is None


@pytest.mark.parametrize(
    ("arrival", "today", "expected"),
    [
        (D(2026, 8, 3), D(2026, 6, 1), AUTUMN),
        (D(2026, 12, 28), D(2026, 6, 1), SPRING),  # nearer the spring start
        (None, D(2026, 9, 20), AUTUMN),  # without an arrival date: today's nearest
        (None, D(2026, 12, 1), SPRING),
    ],
)
def test_the_students_semester_is_the_one_starting_nearest_their_arrival(arrival, today, expected):
    assert semester_for(arrival=arrival, today=today, semesters=[AUTUMN, SPRING]) is expected


def test_no_semesters_means_no_semester():
    assert semester_for(arrival=D(2026, 8, 1), today=D(2026, 8, 1), semesters=[]) is None


def test_groups_by_days_after_arrival_whatever_the_kind():
    fixed = item(DueKind.FIXED, on=D(2026, 8, 5))
    assert group_of(item=fixed, arrival=D(2026, 8, 10), due=D(2026, 8, 5)) == "before"
    assert group_of(item=fixed, arrival=None, due=D(2026, 8, 5)) == "set_dates"
    assert group_of(item=item(offset=10), arrival=None, due=None) == "first_month"


def test_terms_split_the_year_at_july():
    assert term_of(D(2026, 6, 30)) == (2026, "spring")
    assert term_of(D(2026, 7, 1)) == (2026, "autumn")


@pytest.mark.django_db
def test_a_semester_starts_within_its_term():
    with pytest.raises(ValidationError):
        AcademicSemester(year=2026, term="spring", starts_on=D(2026, 8, 17)).full_clean()


def test_a_fixed_item_needs_its_date():
    with pytest.raises(ValidationError) as error:
        ChecklistItem(title="x", due_kind=DueKind.FIXED).clean()
    assert "due_on" in error.value.message_dict


@pytest.mark.parametrize(
    ("language", "entry", "semester", "words"),
    [
        ("en", item(offset=5, working=True), None, "5 working days after you arrive"),
        ("nb", item(offset=-1), None, "1 dag før du kommer"),
        ("en", item(DueKind.FIXED, on=D(2026, 9, 1)), None, "the same date for everyone"),
        ("en", item(DueKind.SEMESTER, 7), AUTUMN, "7 days after the semester starts (Autumn 2026"),
        ("nb", item(DueKind.SEMESTER, 0), None, "første dag i semesteret"),
    ],
)
def test_each_kind_is_said_in_words(language, entry, semester, words):
    with translation.override(language):
        assert words in due_label(entry, semester=semester)


# --- In a student's plan ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_student_without_an_arrival_date_sees_fixed_and_semester_dates(tree):
    AcademicSemester.objects.create(year=2026, term="autumn", starts_on=D(2026, 8, 17))
    checklist_create(
        tree["section"],
        statuses=[StudentStatus.OUTGOING],
        items=[
            item_spec("Police", 5),
            item_spec("Semester fee", 7, due_kind=DueKind.SEMESTER, working_days=True),
            item_spec("Course registration", due_kind=DueKind.FIXED, due_on=D(2026, 9, 1)),
        ],
    )
    student = student_create(**NO_ARRIVAL)
    plan = plan_get(user=student, now=datetime.datetime(2026, 8, 1, 12, tzinfo=UTC))
    dates = {entry.item.title_en: entry.due_date for entry in plan.items}
    assert dates == {
        "Course registration": D(2026, 9, 1),
        "Semester fee": D(2026, 8, 26),
        "Police": None,
    }
    assert [group.key for group in plan.groups] == ["set_dates", "first_week"]
    assert not plan.has_dates and plan.has_dated_items


@pytest.mark.django_db
def test_with_an_arrival_date_every_kind_is_ordered_by_date(tree):
    AcademicSemester.objects.create(year=2026, term="autumn", starts_on=D(2026, 8, 17))
    checklist_create(
        tree["section"],
        items=[
            item_spec("Police", 5),
            item_spec("Semester fee", 7, due_kind=DueKind.SEMESTER),
            item_spec("Early deadline", due_kind=DueKind.FIXED, due_on=D(2026, 7, 1)),
        ],
    )
    student = student_create(arrival=D(2026, 8, 10))
    plan = plan_get(user=student, now=datetime.datetime(2026, 8, 12, 12, tzinfo=UTC))
    assert [(e.item.title_en, e.due_date, e.group) for e in plan.items] == [
        ("Early deadline", D(2026, 7, 1), "before"),
        ("Police", D(2026, 8, 15), "first_week"),
        ("Semester fee", D(2026, 8, 24), "first_month"),
    ]
    assert [e.item.title_en for e in plan.overdue] == ["Early deadline"]


@pytest.mark.django_db
def test_overdue_turns_at_midnight_in_oslo_on_the_dst_night(tree):
    checklist_create(
        tree["section"],
        statuses=[StudentStatus.OUTGOING],
        items=[item_spec("Deadline", due_kind=DueKind.FIXED, due_on=D(2026, 10, 24))],
    )
    student = student_create(**NO_ARRIVAL)
    # 25 October 2026: clocks go back at 03:00. 22:30 UTC on the 24th is 00:30 on the 25th.
    before = datetime.datetime(2026, 10, 24, 21, 59, tzinfo=UTC)
    after = datetime.datetime(2026, 10, 24, 22, 30, tzinfo=UTC)
    assert plan_today(before) == D(2026, 10, 24) and plan_today(after) == D(2026, 10, 25)
    assert not plan_get(user=student, now=before).overdue
    assert plan_get(user=student, now=after).overdue
