"""Fixtures for course approval: the exchange tree with a department that answers cases.

The tree (``tree``): the International Section, the IT faculty with its
Computer Science department, the Health faculty; staff, editors of each
faculty and of the department (the advisers); two students on a Computer
Science programme; partners at TUM, KTH and Copenhagen with agreements; the
"outgoing exchange guidance" area with the demo's assignments (department
Responsible and Accountable, faculty Responsible and Accountable, the section
Accountable at university level).
"""

import pytest

from cms.models import HomePage
from onboarding.responsibilities.models import Duty, ResponsibilityArea
from onboarding.responsibilities.services import (
    AssignmentSpec,
    area_assignments_replace,
    area_create,
)
from onboarding.units.kinds import UnitKind
from onboarding.units.services import unit_editor_add
from tests.factories import UserFactory
from tests.onboarding.exchange.conftest import exchange_tree
from tests.onboarding.exchange.factories import agreement_create, programme_create
from tests.shared import fresh, module_transaction


def guidance_area(section, *, department=True):
    """The area pre-approval cases are routed by; ``department=False`` leaves departments out."""
    area = area_create(name_nb="Veiledning om utveksling", name_en="Outgoing exchange guidance")
    ResponsibilityArea.objects.filter(pk=area.pk).update(duty=Duty.EXCHANGE_GUIDANCE)
    area.refresh_from_db()
    specs = [
        AssignmentSpec("university", "A", unit=section),
        AssignmentSpec("university", "R", unit=section),
        AssignmentSpec("faculty", "A", unit_kind=UnitKind.FACULTY),
        AssignmentSpec("faculty", "R", unit_kind=UnitKind.FACULTY),
    ]
    if department:
        specs += [
            AssignmentSpec("department", "A", unit_kind=UnitKind.DEPARTMENT),
            AssignmentSpec("department", "R", unit_kind=UnitKind.DEPARTMENT),
        ]
    area_assignments_replace(area=area, assignments=specs)
    return area


def approvals_tree(home):
    tree = exchange_tree(home)
    tree["area"] = guidance_area(tree["section"])
    tree["cs_adviser"] = UserFactory(email="cs-adviser@example.test")
    unit_editor_add(unit=tree["cs"], user=tree["cs_adviser"])
    tree["cs_programme"] = programme_create(
        owner_unit=tree["cs"], code="BIT", name="Computer Science", window=(5,)
    )
    tree["health_programme"] = programme_create(
        owner_unit=tree["health"], isced="0913", code="BSYK", name="Nursing", window=(4,)
    )
    tree["other_student"] = UserFactory(email="other-student@example.test")
    tree["tum_agreement"] = agreement_create(institution=tree["tum"], owner_unit=tree["cs"])
    tree["kth_agreement"] = agreement_create(institution=tree["kth"], owner_unit=tree["it"])
    tree["ku_agreement"] = agreement_create(
        institution=tree["ku"], owner_unit=tree["health"], subjects=("0913",)
    )
    return tree


@pytest.fixture(scope="module")
def _module_tree(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        yield approvals_tree(HomePage.objects.get())


@pytest.fixture
def tree(_module_tree, db):
    return fresh(_module_tree)
