"""Fixtures for Norwegian courses: a small organisation chart, the catalogue, people in each role."""

import pytest

from cms.models import HomePage
from onboarding.accounts.models import StudentStatus
from onboarding.units.kinds import UnitKind
from onboarding.units.services import international_staff_add, unit_editor_add
from tests.factories import UserFactory
from tests.onboarding.courses.factories import catalogue_create, course_create, student_create
from tests.onboarding.units.factories import directory_create, mfa_enable, unit_create
from tests.shared import fresh, module_transaction


def course_tree(home):
    """The International Section with its language centre, two faculties and the parliament."""
    directory = directory_create(home, publish=False)
    tree = {"home": home, "directory": directory}

    def add(key, parent, kind, nb, en):
        tree[key] = unit_create(parent, kind=kind, name_nb=nb, name_en=en, publish=False)

    add(
        "section",
        directory,
        UnitKind.INTERNATIONAL_SECTION,
        "Internasjonal seksjon",
        "International Section",
    )
    add("centre", tree["section"], UnitKind.LANGUAGE_CENTRE, "Språksenteret", "Language Centre")
    add(
        "faculty_a",
        directory,
        UnitKind.FACULTY,
        "Fakultet for naturvitenskap",
        "Faculty of Natural Sciences",
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
        yield course_tree(HomePage.objects.get())


@pytest.fixture
def tree(_module_tree, db):
    """``course_tree`` under the test site, built once per module (see ``tests/shared.py``)."""
    return fresh(_module_tree)


@pytest.fixture
def centre(tree):
    return tree["centre"]


@pytest.fixture
def catalogue(tree):
    return catalogue_create(tree["home"])


@pytest.fixture
def course(centre):
    """An A1 course, open for application, ten places and a waitlist."""
    return course_create(centre, level="A1")


@pytest.fixture
def student(db):
    """An international degree student, new to Norwegian, reading English."""
    return student_create(status=StudentStatus.INTERNATIONAL_DEGREE, first_name="Ana")


@pytest.fixture
def students(db):
    return [student_create(first_name=f"Student{n}") for n in range(6)]


@pytest.fixture
def section_staff(tree):
    """A member of the International Section's staff group, with two-factor authentication."""
    user = UserFactory(first_name="Ingrid", last_name="Staff")
    international_staff_add(user=user)
    return mfa_enable(user)


@pytest.fixture
def centre_editor(centre):
    """An editor of the language centre (teaches the courses)."""
    user = UserFactory(first_name="Mei", last_name="Teacher")
    unit_editor_add(unit=centre, user=user)
    return user


@pytest.fixture
def other_editor(tree):
    """An editor of another unit: the student parliament."""
    user = UserFactory(first_name="Ola", last_name="Other")
    unit_editor_add(unit=tree["parliament"], user=user)
    return user
