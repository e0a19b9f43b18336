"""Fixtures for stays abroad: the course-approval tree with students on programmes abroad.

The tree (``tree``) is the course-approval tree (``tests/onboarding/approvals/conftest.py``):
the International Section with its staff, the IT faculty with Computer Science, the Health
faculty, their editors, partners at TUM (Munich), KTH (Stockholm) and Copenhagen with
agreements; plus ``cs_student`` on the Computer Science programme and ``nurse`` on Nursing.
"""

import pytest

from cms.models import HomePage
from onboarding.exchange.models import StudentProgramme
from tests.factories import UserFactory
from tests.onboarding.approvals.conftest import approvals_tree
from tests.shared import fresh, module_transaction


def stays_tree(home):
    tree = approvals_tree(home)
    tree["cs_student"] = UserFactory(email="cs-student@example.test")
    StudentProgramme.objects.create(
        user=tree["cs_student"], programme=tree["cs_programme"], semester=5
    )
    tree["nurse"] = UserFactory(email="nurse@example.test", language="nb")
    StudentProgramme.objects.create(
        user=tree["nurse"], programme=tree["health_programme"], semester=4
    )
    return tree


@pytest.fixture(scope="module")
def _module_tree(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        yield stays_tree(HomePage.objects.get())


@pytest.fixture
def tree(_module_tree, db):
    return fresh(_module_tree)
