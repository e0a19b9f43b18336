"""Fixtures for student democracy: the small unit tree (a council and the parliament), with an
editor of each body and a student."""

import pytest

from cms.models import HomePage
from onboarding.units.services import unit_editor_add
from tests.factories import UserFactory
from tests.onboarding.units.factories import unit_tree
from tests.shared import fresh, module_transaction


def democracy_tree(home):
    tree = unit_tree(home, publish=False)
    tree["council_editor"] = UserFactory(email="council-editor@example.test", language="nb")
    unit_editor_add(unit=tree["council_a"], user=tree["council_editor"])
    tree["parliament_editor"] = UserFactory(email="parliament-editor@example.test")
    unit_editor_add(unit=tree["parliament"], user=tree["parliament_editor"])
    tree["student"] = UserFactory(email="student@example.test", language="en")
    return tree


@pytest.fixture(scope="module")
def _module_tree(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        yield democracy_tree(HomePage.objects.get())


@pytest.fixture
def tree(_module_tree, db):
    return fresh(_module_tree)
