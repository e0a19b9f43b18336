"""On PostgreSQL: two reminder runs at the same moment remind each student once, and an answer
given while the crisis closes is either counted or refused."""

import threading

import pytest
from django.db import connection

from onboarding.live.models import Notification
from onboarding.stays.errors import CrisisError
from onboarding.stays.models import SafetyCheck
from onboarding.stays.services.crisis import (
    REMINDER_KIND,
    check_answer,
    crisis_close,
    crisis_remind,
)
from tests.factories import UserFactory

from .conftest import stays_tree
from .crisis_factories import AUTUMN, at, declare
from .factories import stay_make

pytestmark = [pytest.mark.stack, pytest.mark.postgres]


@pytest.fixture
def tree(site_tree):
    """Built per test: this module's tests are transactional and see only committed data."""
    return stays_tree(site_tree["home"])


def run_together(works):
    barrier = threading.Barrier(len(works))
    results, errors = [], []

    def run(work):
        try:
            barrier.wait()
            results.append(work())
        except CrisisError as error:
            errors.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reminder_runs_at_once_remind_each_student_once(tree):
    for _ in range(20):
        stay_make(UserFactory(), city="Valencia", country="ES", **AUTUMN)
    declare(tree["staff"], now=at(2026, 10, 1, 9))

    results, errors = run_together(
        [lambda: crisis_remind(now=at(2026, 10, 1, 15)).reminders for _ in range(2)]
    )

    assert errors == [] and sum(results) == 20
    assert Notification.objects.filter(kind=REMINDER_KIND).count() == 20
    assert set(SafetyCheck.objects.values_list("reminders_sent", flat=True)) == {1}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_answer_while_the_crisis_closes_is_counted_or_refused(tree):
    stay_make(tree["student"], city="Valencia", country="ES", **AUTUMN)
    crisis = declare(tree["staff"], now=at(2026, 10, 1, 9)).crisis
    check = SafetyCheck.objects.get(crisis=crisis)

    results, errors = run_together(
        [
            lambda: check_answer(check=check, student=tree["student"], answer="safe"),
            lambda: crisis_close(crisis=crisis, user=tree["staff"]),
        ]
    )

    crisis.refresh_from_db()
    check.refresh_from_db()
    if errors:
        assert errors == ["closed"] and check.answer == "pending"
        assert crisis.summary["pending"] == 1
    else:
        assert check.answer == "safe" and crisis.summary["safe"] == 1
    assert len(results) + len(errors) == 2
