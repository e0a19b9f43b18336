"""Reminders: once a day per student, in their language, of items due soon or overdue."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from onboarding.checklists.models import ReminderLog
from onboarding.checklists.services import progress_tick, reminders_send
from onboarding.checklists.tasks import send_reminders_task
from onboarding.live.models import Notification

from .factories import checklist_create, item_spec, student_create

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
ARRIVAL = datetime.date(2026, 3, 25)
# 09:00 in Oslo on 27 March 2026 (winter time).
MORNING = datetime.datetime(2026, 3, 27, 8, 0, tzinfo=UTC)


@pytest.fixture
def checklist(tree):
    return checklist_create(
        tree["section"],
        items=[
            item_spec(("Hent studentkortet", "Collect your student card"), 1),
            item_spec(("Registrer deg hos politiet", "Register with the police"), 4),
            item_spec(("Meld deg på norskkurs", "Sign up to a Norwegian course"), 14),
        ],
    )


@pytest.fixture
def student(tree, checklist):
    return student_create(faculty=tree["faculty_a"], arrival=ARRIVAL, language="en")


def notifications(user):
    return list(Notification.objects.filter(recipient=user, kind="checklist_items_due"))


def test_reminds_of_overdue_items_and_those_due_within_three_days(student):
    result = reminders_send(now=MORNING)
    assert (result.students, result.items) == (1, 2)
    (notification,) = notifications(student)
    assert "Collect your student card (overdue since" in notification.body
    assert "Register with the police (due" in notification.body
    assert "Norwegian course" not in notification.body


def test_running_twice_on_the_same_day_sends_nothing_new(student):
    reminders_send(now=MORNING)
    again = reminders_send(now=MORNING + datetime.timedelta(hours=10))
    assert (again.students, again.items) == (0, 0)
    assert len(notifications(student)) == 1


def test_the_next_day_reminds_again(student):
    reminders_send(now=MORNING)
    reminders_send(now=MORNING + datetime.timedelta(days=1))
    assert len(notifications(student)) == 2


def test_the_day_is_the_oslo_day(student):
    # 23:30 UTC on 27 March is already 28 March in Oslo: a new day.
    reminders_send(now=MORNING)
    reminders_send(now=datetime.datetime(2026, 3, 27, 23, 30, tzinfo=UTC))
    assert list(ReminderLog.objects.values_list("date", flat=True).order_by("date")) == [
        datetime.date(2026, 3, 27),
        datetime.date(2026, 3, 28),
    ]


def test_the_three_day_window_counts_oslo_days_across_summer_time(student):
    # 22:30 UTC on 28 March is 23:30 in Oslo, 28 March: the police item (29 March) is due
    # tomorrow, the course (8 April) not within three days.
    reminders_send(now=datetime.datetime(2026, 3, 28, 22, 30, tzinfo=UTC))
    (notification,) = notifications(student)
    assert notification.context["count"] == 2


def test_done_items_are_not_reminded(student, checklist):
    for item in checklist.items.filter(due_offset_days__lt=10):
        progress_tick(student=student, item=item)
    result = reminders_send(now=MORNING)
    assert result.students == 0
    assert notifications(student) == []


def test_a_student_with_nothing_due_gets_nothing_and_no_log(tree, checklist):
    early = student_create(faculty=tree["faculty_a"], arrival=datetime.date(2026, 6, 1))
    reminders_send(now=MORNING)
    assert notifications(early) == []
    assert not ReminderLog.objects.filter(student=early).exists()


def test_a_student_who_has_left_gets_nothing(tree, checklist):
    gone = student_create(
        faculty=tree["faculty_a"],
        arrival=datetime.date(2025, 8, 1),
        departure_date=datetime.date(2025, 12, 20),
    )
    reminders_send(now=MORNING)
    assert notifications(gone) == []


def test_reminders_are_in_each_students_language(tree, checklist):
    norwegian = student_create(faculty=tree["faculty_a"], arrival=ARRIVAL, language="nb")
    english = student_create(faculty=tree["faculty_a"], arrival=ARRIVAL, language="en")
    reminders_send(now=MORNING)
    (nb,) = notifications(norwegian)
    (en,) = notifications(english)
    assert nb.language == "nb"
    assert "Hent studentkortet" in nb.body
    assert "Collect your student card" not in nb.body
    assert en.language == "en"
    assert "Collect your student card" in en.body
    assert nb.url.startswith("/nb/")
    assert en.url == "/en/arrival-plan/"


def test_a_deactivated_student_gets_nothing(student):
    student.is_active = False
    student.save()
    assert reminders_send(now=MORNING).students == 0


def test_the_command_sends_and_reports(student):
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert ReminderLog.objects.filter(student=student).exists()
    assert "Reminded 1 student(s)" in out.getvalue()


def test_the_command_run_twice_sends_once(student):
    call_command("send_reminders", stdout=StringIO())
    call_command("send_reminders", stdout=StringIO())
    assert len(notifications(student)) == 1


def test_the_task_sends_through_the_tasks_framework(student):
    result = send_reminders_task.enqueue()
    assert result.status == "SUCCESSFUL"
    assert result.return_value["students"] == 1
