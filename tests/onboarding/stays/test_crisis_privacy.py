"""Crises in the personal-data register: a student's answer follows their stay's retention, and
deleting an account empties its messages; the crisis and the counts stay for the record."""

import datetime

import pytest

from onboarding.privacy.register import personal_data_register
from onboarding.privacy.services import erasure_apply, retention_apply
from onboarding.stays.models import Crisis, CrisisArea, SafetyCheck
from onboarding.stays.services.crisis import check_answer, crisis_close

from .crisis_factories import at, declare
from .factories import stay_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(tree):
    """Two answers to a crisis of 1 October 2026: the student's stay ends 20 December, the
    nurse's 31 March."""
    stay_make(
        tree["student"],
        city="Valencia",
        country="ES",
        starts_on=datetime.date(2026, 8, 15),
        ends_on=datetime.date(2026, 12, 20),
    )
    stay_make(
        tree["nurse"],
        city="Valencia",
        country="ES",
        starts_on=datetime.date(2026, 8, 15),
        ends_on=datetime.date(2027, 3, 31),
    )
    crisis = declare(tree["staff"], now=at(2026, 10, 1, 9)).crisis
    for person, answer in ((tree["student"], "help"), (tree["nurse"], "safe")):
        check_answer(
            check=SafetyCheck.objects.get(student=person),
            student=person,
            answer=answer,
            message=f"Message from {person.email}",
            now=at(2026, 10, 1, 10),
        )
    crisis_close(crisis=crisis, user=tree["staff"], now=at(2026, 10, 5, 12))
    return crisis


def test_the_crisis_models_are_in_the_register():
    keys = {entry.key for entry in personal_data_register()}
    assert {"stays.crisis", "stays.crisisarea", "stays.safetycheck"} <= keys


def test_a_message_is_erased_with_its_stays_personal_details_and_nothing_else(
    tree, answered, settings
):
    settings.STAY_RETENTION_DAYS = 60
    before = {c.pk: c for c in SafetyCheck.objects.all()}

    retention_apply(now=at(2027, 2, 18, 12))  # the 60th day after 20 December: not yet
    assert SafetyCheck.objects.get(student=tree["student"]).message
    retention_apply(now=at(2027, 2, 19, 12))  # past 60 days after 20 December, not 31 March

    student = SafetyCheck.objects.get(student=tree["student"])
    nurse = SafetyCheck.objects.get(student=tree["nurse"])
    assert student.message == "" and student.answer == "help"
    assert nurse.message == f"Message from {tree['nurse'].email}"
    kept = ("answer", "answered_at", "answer_count", "help_asked_at", "stay_id", "student_id")
    for name in kept:
        assert getattr(student, name) == getattr(before[student.pk], name), name
    crisis = Crisis.objects.get(pk=answered.pk)
    assert crisis.summary["help"] == 1 and crisis.summary["safe"] == 1
    assert CrisisArea.objects.filter(crisis=crisis).exists()


def test_deleting_an_account_empties_its_answers_messages_and_keeps_the_counts(tree, answered):
    erasure_apply(user=tree["nurse"])

    check = SafetyCheck.objects.get(crisis=answered, student=tree["nurse"])
    assert (check.message, check.answer) == ("", "safe")
    assert Crisis.objects.get(pk=answered.pk).summary["checks"] == 2
