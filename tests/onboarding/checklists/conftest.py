import pytest
from django.conf import settings
from django.utils import translation

from cms.models import HomePage
from onboarding.units.kinds import UnitKind
from tests.onboarding.units.factories import directory_create, unit_create, volunteer_index_create
from tests.shared import fresh, module_transaction


def fast_unit_tree(home):
    """The organisation chart the arrival journey needs, saved live without revisions.

    Faster than publishing each unit; units get no editors' group until a test
    makes someone an editor (``unit_editor_add`` makes the group then).
    """
    directory = directory_create(home, publish=False)
    tree = {"directory": directory}

    def add(key, parent, kind, nb, en, **fields):
        tree[key] = unit_create(parent, kind=kind, name_nb=nb, name_en=en, publish=False, **fields)
        return tree[key]

    section = add(
        "section",
        directory,
        UnitKind.INTERNATIONAL_SECTION,
        "Internasjonal seksjon",
        "International Section",
    )
    add("language_centre", section, UnitKind.LANGUAGE_CENTRE, "Språksenteret", "Language Centre")
    faculty_a = add(
        "faculty_a",
        directory,
        UnitKind.FACULTY,
        "Fakultet for naturvitenskap",
        "Faculty of Natural Sciences",
    )
    faculty_b = add(
        "faculty_b",
        directory,
        UnitKind.FACULTY,
        "Det humanistiske fakultet",
        "Faculty of Humanities",
    )
    department_a = add(
        "department_a",
        faculty_a,
        UnitKind.DEPARTMENT,
        "Institutt for fysikk",
        "Department of Physics",
    )
    add(
        "department_a2",
        faculty_a,
        UnitKind.DEPARTMENT,
        "Institutt for kjemi",
        "Department of Chemistry",
    )
    add(
        "department_b",
        faculty_b,
        UnitKind.DEPARTMENT,
        "Institutt for språk",
        "Department of Language",
    )
    add("council_a", faculty_a, UnitKind.STUDENT_COUNCIL, "Studentrådet NV", "Student Council NV")
    add("line_a", department_a, UnitKind.LINE_ASSOCIATION, "Gradient", "Gradient")
    add("line_a2", tree["department_a2"], UnitKind.LINE_ASSOCIATION, "Kjemika", "Kjemika")
    add("line_b", tree["department_b"], UnitKind.LINE_ASSOCIATION, "Babel", "Babel")
    volunteers = volunteer_index_create(directory, publish=False)
    tree["volunteer_index"] = volunteers
    add("buddies", volunteers, UnitKind.VOLUNTEER_GROUP, "Fadderordningen", "Buddy Programme")
    add("choir", volunteers, UnitKind.VOLUNTEER_GROUP, "Studentkoret", "Student Choir")
    add(
        "hikers",
        volunteers,
        UnitKind.VOLUNTEER_GROUP,
        "Turgruppa",
        "The Hiking Group",
        intro_nb="Turer i fjellet hver helg.",
        intro_en="Hiking in the mountains every weekend.",
    )
    return tree


def home_create():
    """The test site's home page, the default site's root (``tests.cms.factories``)."""
    return HomePage.objects.get()


@pytest.fixture
def home(db):
    return home_create()


@pytest.fixture(scope="module")
def _module_tree(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker), translation.override(settings.LANGUAGE_CODE):
        yield fast_unit_tree(home_create())


@pytest.fixture
def tree(_module_tree, home):
    """A small organisation chart (see ``fast_unit_tree``), built once per module."""
    return fresh(_module_tree)
