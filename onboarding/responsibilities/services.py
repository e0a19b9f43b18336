"""Writes of the responsibility matrix. Every change is checked against the matrix rules first.

The rules (exactly one Accountable and at least one Responsible for each
area at each level in use) are checked on the set the change would leave;
a change that breaks them raises ``ResponsibilityError`` naming the area and
the level, and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from onboarding.units.kinds import KIND_EACH

from .errors import ResponsibilityError
from .levels import Level, Role
from .models import Assignment, ResponsibilityArea
from .rules import Row, rule_violations

if TYPE_CHECKING:
    from onboarding.units.models import UnitPage

NAME_MAX = 120


@dataclass(frozen=True)
class AssignmentSpec:
    """An assignment to be made: a role at a level for a unit or for every unit of a kind."""

    level: str
    role: str
    unit: UnitPage | None = None
    unit_kind: str = ""
    note_nb: str = ""
    note_en: str = ""


def _row(*, level: str, role: str, unit: UnitPage | None, unit_kind: str) -> Row:
    if unit is not None:
        return Row(level=level, role=role, party=("unit", unit.pk), party_label=unit.title)
    return Row(
        level=level,
        role=role,
        party=("kind", unit_kind),
        party_label=str(KIND_EACH.get(unit_kind, unit_kind)),
    )


def _check_spec(spec: AssignmentSpec) -> None:
    if spec.level not in Level.values:
        raise ResponsibilityError(code="invalid_level", message=_("Choose a level."))
    if spec.role not in Role.values:
        raise ResponsibilityError(code="invalid_role", message=_("Choose a role."))
    if (spec.unit is None) == (not spec.unit_kind):
        raise ResponsibilityError(
            code="invalid_party", message=_("Choose a unit or a kind of unit, not both.")
        )
    if spec.unit_kind and spec.unit_kind not in KIND_EACH:
        raise ResponsibilityError(
            code="invalid_party", message=_("This kind of unit cannot hold a role.")
        )


def _check_rules(area: ResponsibilityArea, rows: Sequence[Row]) -> None:
    violations = rule_violations(area_name=area.name, rows=rows)
    if violations:
        first = violations[0]
        raise ResponsibilityError(code=first.code, message=first.message, level=first.level)


def _current_rows(area: ResponsibilityArea, *, exclude: Assignment | None = None) -> list[Row]:
    rows = []
    for assignment in Assignment.objects.filter(area=area).select_related("unit"):
        if exclude is not None and assignment.pk == exclude.pk:
            continue
        rows.append(
            Row(
                level=assignment.level,
                role=assignment.role,
                party=assignment.party_key,
                party_label=str(assignment.party_label),
            )
        )
    return rows


@transaction.atomic
def area_create(
    *,
    name_nb: str | None,
    name_en: str | None,
    description_nb: str = "",
    description_en: str = "",
    sort_order: int = 0,
) -> ResponsibilityArea:
    """Make a responsibility area with its name in both languages; returns it.

    Raises ``ResponsibilityError`` ``missing_name`` when a name is empty.
    """
    name_nb, name_en = (name_nb or "").strip(), (name_en or "").strip()
    if not name_nb or not name_en:
        raise ResponsibilityError(
            code="missing_name", message=_("Give the area's name in Norwegian and in English.")
        )
    if len(name_nb) > NAME_MAX or len(name_en) > NAME_MAX:
        raise ResponsibilityError(code="name_too_long", message=_("Use at most 120 characters."))
    return ResponsibilityArea.objects.create(
        name_nb=name_nb,
        name_en=name_en,
        description_nb=description_nb,
        description_en=description_en,
        sort_order=sort_order,
    )


@transaction.atomic
def area_assignments_replace(
    *, area: ResponsibilityArea, assignments: Sequence[AssignmentSpec]
) -> list[Assignment]:
    """Replace every assignment of ``area`` with ``assignments`` (``AssignmentSpec``s); returns them.

    The new set is checked as a whole, so a level can be set up in one go.
    Raises ``ResponsibilityError`` for a malformed assignment or a broken rule.
    """
    area = ResponsibilityArea.objects.select_for_update().get(pk=area.pk)
    for spec in assignments:
        _check_spec(spec)
    _check_rules(
        area,
        [_row(level=s.level, role=s.role, unit=s.unit, unit_kind=s.unit_kind) for s in assignments],
    )
    Assignment.objects.filter(area=area).delete()
    return [
        Assignment.objects.create(
            area=area,
            level=spec.level,
            role=spec.role,
            unit=spec.unit,
            unit_kind=spec.unit_kind,
            note_nb=spec.note_nb,
            note_en=spec.note_en,
        )
        for spec in assignments
    ]


@transaction.atomic
def assignment_create(*, area: ResponsibilityArea, spec: AssignmentSpec) -> Assignment:
    """Add one assignment to ``area``; returns it. Refused if the rules would break."""
    area = ResponsibilityArea.objects.select_for_update().get(pk=area.pk)
    _check_spec(spec)
    rows = _current_rows(area) + [
        _row(level=spec.level, role=spec.role, unit=spec.unit, unit_kind=spec.unit_kind)
    ]
    _check_rules(area, rows)
    return Assignment.objects.create(
        area=area,
        level=spec.level,
        role=spec.role,
        unit=spec.unit,
        unit_kind=spec.unit_kind,
        note_nb=spec.note_nb,
        note_en=spec.note_en,
    )


@transaction.atomic
def assignment_delete(*, assignment: Assignment) -> None:
    """Remove one assignment. Refused if its area would break the rules at that level."""
    area = ResponsibilityArea.objects.select_for_update().get(pk=assignment.area_id)
    _check_rules(area, _current_rows(area, exclude=assignment))
    assignment.delete()
