"""Fixtures for exchange: two faculties with a department, staff and an editor, a few partners."""

import pytest

from cms.models import HomePage
from onboarding.accounts.models import StudentStatus
from onboarding.units.kinds import UnitKind
from onboarding.units.services import international_staff_add, unit_editor_add
from tests.factories import UserFactory
from tests.onboarding.exchange.factories import institution_create
from tests.onboarding.units.factories import directory_create, unit_create
from tests.shared import fresh, module_transaction


def exchange_tree(home):
    directory = directory_create(home, publish=False)
    tree = {"home": home, "directory": directory}
    tree["section"] = unit_create(
        directory,
        kind=UnitKind.INTERNATIONAL_SECTION,
        name_nb="Internasjonal seksjon",
        name_en="International Section",
        publish=False,
    )
    tree["it"] = unit_create(
        directory,
        kind=UnitKind.FACULTY,
        name_nb="Fakultet for informasjonsteknologi",
        name_en="Faculty of Information Technology",
    )
    tree["cs"] = unit_create(
        tree["it"],
        kind=UnitKind.DEPARTMENT,
        name_nb="Institutt for datateknologi",
        name_en="Department of Computer Science",
        publish=False,
    )
    tree["health"] = unit_create(
        directory,
        kind=UnitKind.FACULTY,
        name_nb="Fakultet for helsevitenskap",
        name_en="Faculty of Health Sciences",
    )
    tree["staff"] = UserFactory(email="staff@example.test")
    international_staff_add(user=tree["staff"])
    tree["it_editor"] = UserFactory(email="it-editor@example.test")
    unit_editor_add(unit=tree["it"], user=tree["it_editor"])
    tree["health_editor"] = UserFactory(email="health-editor@example.test")
    unit_editor_add(unit=tree["health"], user=tree["health_editor"])
    tree["student"] = UserFactory(email="student@example.test")
    tree["student_status"] = StudentStatus.OUTGOING
    tree["tum"] = institution_create(
        country="DE", name="Technische Universität München", schac="tum.de", city="München"
    )
    tree["kth"] = institution_create(
        country="SE", name="KTH Royal Institute of Technology", schac="kth.se", city="Stockholm"
    )
    tree["ku"] = institution_create(
        country="DK", name="University of Copenhagen", schac="ku.dk", city="København"
    )
    return tree


@pytest.fixture(scope="module")
def _module_tree(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        yield exchange_tree(HomePage.objects.get())


@pytest.fixture
def tree(_module_tree, db):
    return fresh(_module_tree)
