"""Fixtures for events: a small organisation chart, people in each role, a clean channel layer."""

import pytest

from cms.models import HomePage
from onboarding.activities.services import signup_create
from onboarding.units.kinds import UnitKind
from onboarding.units.services import international_staff_add
from tests.factories import UserFactory
from tests.live_layer import channel_layer_reset
from tests.onboarding.activities.factories import editor_of
from tests.onboarding.units.factories import directory_create, unit_create, volunteer_index_create
from tests.shared import fresh, module_transaction


@pytest.fixture(autouse=True)
def _clean_channel_layer():
    channel_layer_reset()
    yield
    channel_layer_reset()


def lean_tree(home):
    """A lean chart, saved live without revisions: two faculties and two volunteer groups."""
    directory = directory_create(home, publish=False)
    tree = {"directory": directory}
    tree["faculty_a"] = unit_create(
        directory,
        kind=UnitKind.FACULTY,
        name_nb="Fakultet for naturvitenskap",
        name_en="Faculty of Natural Sciences",
        publish=False,
    )
    tree["faculty_b"] = unit_create(
        directory,
        kind=UnitKind.FACULTY,
        name_nb="Det humanistiske fakultet",
        name_en="Faculty of Humanities",
        publish=False,
    )
    tree["volunteer_index"] = volunteer_index_create(directory, publish=False)
    tree["buddies"] = unit_create(
        tree["volunteer_index"],
        kind=UnitKind.VOLUNTEER_GROUP,
        name_nb="Fadderordningen",
        name_en="Buddy Programme",
        publish=False,
    )
    tree["choir"] = unit_create(
        tree["volunteer_index"],
        kind=UnitKind.VOLUNTEER_GROUP,
        name_nb="Studentkoret",
        name_en="Student Choir",
        publish=False,
    )
    return tree


@pytest.fixture(scope="module")
def _module_tree(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        yield lean_tree(HomePage.objects.get())


@pytest.fixture
def tree(_module_tree, db):
    """``lean_tree`` under the test site, built once per module (see ``tests/shared.py``)."""
    return fresh(_module_tree)


@pytest.fixture
def unit(tree):
    """The unit that organises the events in most tests: the buddy programme."""
    return tree["buddies"]


@pytest.fixture
def editor(unit):
    return editor_of(unit, first_name="Ola", last_name="Editor", language="nb")


@pytest.fixture
def other_editor(tree):
    """An editor of another unit (the student choir)."""
    return editor_of(tree["choir"], first_name="Kari", last_name="Choir")


@pytest.fixture
def section_staff(db):
    user = UserFactory(first_name="Ingrid", last_name="Staff")
    international_staff_add(user=user)
    return user


@pytest.fixture
def student(db):
    return UserFactory(first_name="Ana", last_name="Silva", language="en")


@pytest.fixture
def students(db):
    def make(count, **fields):
        return [UserFactory(**fields) for _ in range(count)]

    return make


@pytest.fixture
def people(event):
    """Signed up to the test module's ``event`` (capacity 2): a Norwegian and an English reader
    with places, and an English reader on the waitlist."""
    nb = UserFactory(language="nb", first_name="Kari", last_name="Nordmann")
    en = UserFactory(language="en", first_name="Ana", last_name="Silva")
    waiting = UserFactory(language="en", first_name="Tom", last_name="Waits")
    for person in (nb, en, waiting):
        signup_create(event=event, user=person)
    return {"nb": nb, "en": en, "waiting": waiting}
