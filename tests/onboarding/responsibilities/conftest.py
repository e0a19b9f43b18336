import pytest

from onboarding.responsibilities.levels import Level, Role
from onboarding.responsibilities.services import (
    AssignmentSpec,
    area_assignments_replace,
    area_create,
)
from onboarding.units.kinds import UnitKind
from tests.onboarding.units.conftest import _module_tree, tree  # noqa: F401


@pytest.fixture
def area(tree):  # noqa: F811 (the fixture imported above)
    """An area owned by the International Section at university level, with faculty-level work."""
    area = area_create(
        name_nb="Ankomst og bolig",
        name_en="Arrival and housing",
        description_nb="De første dagene.",
        description_en="The first days.",
        sort_order=10,
    )
    area_assignments_replace(
        area=area,
        assignments=[
            AssignmentSpec(Level.UNIVERSITY, Role.ACCOUNTABLE, unit=tree["section"]),
            AssignmentSpec(
                Level.UNIVERSITY,
                Role.RESPONSIBLE,
                unit=tree["buddies"],
                note_nb="Henting på flyplassen",
                note_en="Airport pickup",
            ),
            AssignmentSpec(Level.UNIVERSITY, Role.INFORMED, unit=tree["parliament"]),
            AssignmentSpec(Level.FACULTY, Role.ACCOUNTABLE, unit_kind=UnitKind.FACULTY),
            AssignmentSpec(Level.FACULTY, Role.RESPONSIBLE, unit_kind=UnitKind.FACULTY),
            AssignmentSpec(Level.FACULTY, Role.CONSULTED, unit_kind=UnitKind.STUDENT_COUNCIL),
        ],
    )
    return area
