"""Reminders of unanswered safety checks: once per interval, never twice, and the command."""

import io

import pytest
from django.core.management import call_command

from onboarding.live.models import Notification
from onboarding.stays.models import SafetyCheck
from onboarding.stays.services.crisis import (
    REMINDER_KIND,
    check_answer,
    crisis_close,
    crisis_remind,
)
from onboarding.stays.tokens import answer_token_read

from .crisis_factories import AUTUMN, at, declare
from .factories import stay_make

pytestmark = pytest.mark.django_db

DECLARED = at(2026, 10, 1, 9)


@pytest.fixture
def crisis(tree):
    """A crisis in Valencia, declared at 9:00 with reminders every 6 hours, for two students."""
    for person in (tree["student"], tree["nurse"]):
        stay_make(person, city="Valencia", country="ES", **AUTUMN)
    return declare(tree["staff"], now=DECLARED, reminder_hours=6).crisis


def reminders(person=None):
    found = Notification.objects.filter(kind=REMINDER_KIND)
    return found.filter(recipient=person) if person else found


def test_those_without_an_answer_are_reminded_once_per_interval(tree, crisis):
    check_answer(
        check=SafetyCheck.objects.get(student=tree["nurse"]), student=tree["nurse"], answer="safe"
    )

    assert crisis_remind(now=at(2026, 10, 1, 14, 59)).reminders == 0  # not six hours yet
    first = crisis_remind(now=at(2026, 10, 1, 15))
    again = crisis_remind(now=at(2026, 10, 1, 15, 1))  # the same interval
    later = crisis_remind(now=at(2026, 10, 1, 20, 59))
    next_interval = crisis_remind(now=at(2026, 10, 1, 21))

    assert [first.reminders, again.reminders, later.reminders, next_interval.reminders] == [
        1,
        0,
        0,
        1,
    ]
    assert reminders(tree["student"]).count() == 2
    assert not reminders(tree["nurse"]).exists()  # answered
    check = SafetyCheck.objects.get(student=tree["student"])
    assert (check.reminders_sent, check.last_reminded_at) == (2, at(2026, 10, 1, 21))


def test_a_reminder_carries_fresh_answer_links_for_the_student(tree, crisis):
    crisis_remind(now=at(2026, 10, 1, 15))

    notification = reminders(tree["student"]).get()
    check = SafetyCheck.objects.get(student=tree["student"])
    tokens = [
        line.rstrip("/").rsplit("/", 1)[1]
        for line in notification.body.split()
        if "/answer/" in line
    ]
    assert [answer_token_read(token).check_id for token in tokens] == [check.pk, check.pk]
    assert notification.url.endswith(f"/{check.pk}/")


def test_a_closed_crisis_reminds_nobody(tree, crisis):
    crisis_close(crisis=crisis, user=tree["staff"])

    assert crisis_remind(now=at(2026, 10, 2, 9)).reminders == 0


def test_a_call_for_help_is_not_reminded(tree, crisis):
    for person in (tree["student"], tree["nurse"]):
        check_answer(check=SafetyCheck.objects.get(student=person), student=person, answer="help")

    assert crisis_remind(now=at(2026, 10, 2, 9)).reminders == 0


def test_the_command_runs_the_reminders_or_queues_them(tree, crisis):
    out = io.StringIO()
    call_command("crisis_remind", stdout=out)
    assert "Sent 2 reminder(s) in 1 open crisis(es)." in out.getvalue()

    call_command("crisis_remind", "--enqueue", stdout=out)
    assert "Queued" in out.getvalue()
    assert reminders().count() == 2  # the queued run found nothing due again
