"""The checklists' finding in the responsibility gap report.

An item names a responsible unit (its checklist's owner unless set) and an
area of the matrix. The unit should hold a Responsible or Accountable role
in that area at its own level; an item where it holds neither is a gap: the
plan tells students to go to a unit the matrix does not name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from onboarding.responsibilities.levels import LEVEL_IN_SENTENCE, Level, Role
from onboarding.responsibilities.selectors import Gap, unit_area_roles
from onboarding.units.models import UnitPage

from .models import ChecklistItem

ANSWERING_ROLES = {Role.RESPONSIBLE, Role.ACCOUNTABLE}


def unit_level(unit: UnitPage, department_paths: Iterable[str]) -> Level:
    """The matrix level a unit acts at: department, faculty or university."""
    if unit.kind == "department" or any(unit.path.startswith(path) for path in department_paths):
        return Level.DEPARTMENT
    if unit.kind in ("faculty", "student_council", "line_association"):
        return Level.FACULTY
    return Level.UNIVERSITY


def checklist_items_without_role() -> Iterator[Gap]:
    """Items of live checklists whose responsible unit holds no R or A for the item's area."""
    items = (
        ChecklistItem.objects.filter(page__live=True, area__isnull=False)
        .select_related("page", "area", "responsible_unit")
        .order_by("page__path", "sort_order", "pk")
    )
    items = list(items)
    if not items:
        return
    owner_paths = {item.page.path[: -UnitPage.steplen] for item in items}
    owners = {unit.path: unit for unit in UnitPage.objects.filter(path__in=owner_paths)}
    department_paths = list(
        UnitPage.objects.filter(kind="department").values_list("path", flat=True)
    )
    roles: dict[tuple[int, int, Level], set[str]] = {}
    for item in items:
        unit = item.responsible_unit or owners.get(item.page.path[: -UnitPage.steplen])
        if unit is None:
            continue
        level = unit_level(unit, department_paths)
        key = (unit.pk, item.area_id, level)
        if key not in roles:
            roles[key] = unit_area_roles(unit=unit, area=item.area, level=level)
        if roles[key] & ANSWERING_ROLES:
            continue
        yield Gap(
            code="checklist_item_without_role",
            message=_(
                '"%(item)s" in the checklist "%(checklist)s": %(unit)s is responsible for it, '
                'but holds no Responsible or Accountable role for "%(area)s" at %(level)s.'
            )
            % {
                "item": item.title,
                "checklist": item.page.title,
                "unit": unit.title,
                "area": item.area.name,
                "level": LEVEL_IN_SENTENCE.get(level, level),
            },
            area=item.area,
            level=level,
            subject=item,
        )
