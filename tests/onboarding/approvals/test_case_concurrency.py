"""On PostgreSQL: a case escalates once when two runs meet, and is decided once when two advisers
decide its last lines at the same moment."""

import datetime
import threading

import pytest
from django.db import connection

from onboarding.approvals.clock import TIME_ZONE
from onboarding.approvals.errors import ApprovalError
from onboarding.approvals.models import CaseStatus, CaseStep, CourseApproval, StepKind
from onboarding.approvals.services.cases import (
    case_create,
    case_submit,
    cases_escalate,
    line_add,
    line_decide,
)
from onboarding.exchange.services import student_programme_set
from onboarding.live.models import Notification
from onboarding.units.services import unit_editor_add
from tests.factories import UserFactory

from .conftest import approvals_tree
from .factories import foreign, home

pytestmark = [pytest.mark.stack, pytest.mark.postgres]


@pytest.fixture
def tree(site_tree):
    """Built per test: this module's tests are transactional and see only committed data."""
    return approvals_tree(site_tree["home"])


def run_together(works):
    barrier = threading.Barrier(len(works))
    results, errors = [], []

    def run(work):
        try:
            barrier.wait()
            results.append(work())
        except ApprovalError as error:
            errors.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def _open(tree, *, lines, now=None):
    student = tree["student"]
    student_programme_set(user=student, programme=tree["cs_programme"])
    case = case_create(
        student=student, agreement=tree["tum_agreement"], year=2027, season="autumn", now=now
    )
    for _index in range(lines):
        line_add(case=case, user=student, foreign=[foreign()], home=[home()])
    return case_submit(case=case, user=student, now=now)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_escalation_runs_at_once_escalate_a_case_once(tree):
    case = _open(tree, lines=1, now=datetime.datetime(2026, 11, 2, 9, tzinfo=TIME_ZONE))
    later = datetime.datetime(2026, 12, 2, 9, tzinfo=TIME_ZONE)
    results, errors = run_together([lambda: cases_escalate(now=later) for _n in range(3)])
    assert errors == [] and sorted(results) == [0, 0, 1]
    assert CaseStep.objects.filter(case=case, kind=StepKind.ESCALATED).count() == 1
    assert Notification.objects.filter(kind="approval_case_escalated").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_advisers_deciding_the_last_lines_at_once_decide_the_case_once(tree):
    case = _open(tree, lines=2)
    second = UserFactory(email="cs-second@example.test")
    unit_editor_add(unit=tree["cs"], user=second)
    first_line, second_line = case.lines.all()
    results, errors = run_together(
        [
            lambda: line_decide(line=first_line, user=tree["cs_adviser"], decision="approved"),
            lambda: line_decide(line=second_line, user=second, decision="approved"),
        ]
    )
    assert errors == [] and len(results) == 2
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    assert CaseStep.objects.filter(case=case, kind=StepKind.DECIDED).count() == 1
    assert CourseApproval.objects.count() == 2
    assert Notification.objects.filter(kind="approval_case_decided").count() == 1
