"""Fixtures for the buddy programme: the Buddy Programme unit, two faculties, people in each role."""

import pytest

from cms.models import HomePage
from onboarding.units.kinds import UnitKind
from onboarding.units.services import unit_editor_add
from tests.factories import UserFactory
from tests.onboarding.buddies.factories import round_create
from tests.onboarding.units.factories import (
    directory_create,
    unit_create,
    volunteer_index_create,
)
from tests.shared import fresh, module_transaction


def buddy_tree(home):
    directory = directory_create(home, publish=False)
    index = volunteer_index_create(directory, publish=False)
    tree = {"home": home, "directory": directory}

    def add(key, parent, kind, nb, en):
        tree[key] = unit_create(parent, kind=kind, name_nb=nb, name_en=en, publish=False)

    add("buddies", index, UnitKind.VOLUNTEER_GROUP, "Fadderordningen", "Buddy Programme")
    add("choir", index, UnitKind.VOLUNTEER_GROUP, "Studentkoret", "Student Choir")
    add(
        "faculty_a",
        directory,
        UnitKind.FACULTY,
        "Fakultet for ingeniørvitenskap",
        "Faculty of Engineering",
    )
    add(
        "faculty_b",
        directory,
        UnitKind.FACULTY,
        "Det humanistiske fakultet",
        "Faculty of Humanities",
    )
    add(
        "parliament",
        directory,
        UnitKind.STUDENT_PARLIAMENT,
        "Studenttinget",
        "The Student Parliament",
    )
    return tree


@pytest.fixture(scope="module")
def _module_tree(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        yield buddy_tree(HomePage.objects.get())


@pytest.fixture
def tree(_module_tree, db):
    return fresh(_module_tree)


@pytest.fixture
def round(tree):
    return round_create(tree["buddies"])


@pytest.fixture
def organiser(tree):
    """An editor of the Buddy Programme, reading Norwegian."""
    user = UserFactory(first_name="Kari", last_name="Organiser", language="nb")
    unit_editor_add(unit=tree["buddies"], user=user)
    return user


@pytest.fixture
def other_editor(tree):
    """An editor of another volunteer group: the student choir."""
    user = UserFactory(first_name="Ola", last_name="Choir")
    unit_editor_add(unit=tree["choir"], user=user)
    return user


@pytest.fixture
def faculty_editor(tree):
    user = UserFactory(first_name="Fia", last_name="Faculty")
    unit_editor_add(unit=tree["faculty_a"], user=user)
    return user
