"""Reads of the responsibility matrix: the public tables, a unit's roles, and the gap report.

The gap report is built from the checks registered for the Wagtail hook
``onboarding.hooks.GAP_CHECKS``, this app's own (in its ``wagtail_hooks.py``)
and other apps', e.g. the checklists app reporting items whose responsible
unit holds no R or A for their area (see ``unit_area_roles``)::

    @hooks.register(GAP_CHECKS)
    def checklist_items_without_owner():
        # Yields a Gap for each item whose unit answers for nothing in its area.
        for item in ...:
            if not unit_area_roles(unit=item.unit, area=item.area) & {"R", "A"}:
                yield Gap(code="item_owner_has_no_role", message=..., area=item.area,
                          subject=item)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from wagtail import hooks

from onboarding.hooks import GAP_CHECKS
from onboarding.units.kinds import KIND_EACH, KIND_ORDER
from onboarding.units.selectors import unit_directory, unit_live_kinds

from .levels import LEVEL_IN_SENTENCE, LEVEL_ORDER, ROLE_DESCRIPTIONS, ROLE_ORDER, Level, Role
from .models import Assignment, ResponsibilityArea
from .rules import Row, rule_violations

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise

    from onboarding.units.models import UnitPage


def area_list() -> QuerySet[ResponsibilityArea]:
    """Every responsibility area, in order."""
    return ResponsibilityArea.objects.order_by("sort_order", "pk")


def area_for_duty(duty: str) -> ResponsibilityArea | None:
    """The area the site routes ``duty`` (a ``Duty``) by, or None when no area holds it."""
    return ResponsibilityArea.objects.filter(duty=duty).first() if duty else None


def _assignments() -> QuerySet[Assignment]:
    return Assignment.objects.select_related("unit", "area").order_by(
        "area__sort_order", "area_id", "level", "pk"
    )


def _live_kinds() -> set[str]:
    return unit_live_kinds()


def _party_exists(assignment: Assignment, live_kinds: set[str]) -> bool:
    if assignment.unit_id:
        return assignment.unit is not None and assignment.unit.live
    return bool(assignment.unit_kind) and assignment.unit_kind in live_kinds


# --- The public matrix -------------------------------------------------------------------


@dataclass
class Party:
    """A column of the matrix: one unit, or every unit of a kind."""

    key: Hashable
    label: str
    url: str | None
    kind: str
    is_kind: bool

    @property
    def sort_key(self) -> tuple[int, bool, str]:
        rank = KIND_ORDER.index(self.kind) if self.kind in KIND_ORDER else len(KIND_ORDER)
        return (rank, self.is_kind, self.label.casefold())


@dataclass
class Cell:
    party: Party
    roles: list[Role] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class MatrixRow(TypedDict):
    area: ResponsibilityArea
    cells: list[Cell]


class MatrixLevel(TypedDict):
    level: Level
    label: StrOrPromise
    parties: list[Party]
    rows: list[MatrixRow]


class MatrixRole(TypedDict):
    role: Role
    description: StrOrPromise


class Matrix(TypedDict):
    """What ``responsibility_matrix`` returns, for the matrix page's template."""

    levels: list[MatrixLevel]
    areas: list[ResponsibilityArea]
    unassigned_areas: list[ResponsibilityArea]
    roles: list[MatrixRole]


def _party_for(
    assignment: Assignment, *, request: HttpRequest | None, directory_url: str | None
) -> Party:
    unit = assignment.unit
    if unit is not None:
        return Party(
            key=("unit", unit.pk),
            label=unit.title,
            url=unit.get_url(request),
            kind=unit.kind,
            is_kind=False,
        )
    kind = assignment.unit_kind
    return Party(
        key=("kind", kind),
        label=str(KIND_EACH[kind]),
        url=f"{directory_url}?kind={kind}" if directory_url else None,
        kind=kind,
        is_kind=True,
    )


def responsibility_matrix(*, request: HttpRequest | None = None) -> Matrix:
    """The matrix as the public page shows it: one table per level in use.

    Each level has its parties (columns, in chart order) and one row per area
    with assignments at that level; each row has one cell per party holding
    that party's roles (Accountable first) and notes. Assignments to a unit
    that is deleted or unpublished are left out here: the gap report lists
    them. Areas with no assignment at all are listed as ``unassigned_areas``.
    """
    areas = list(area_list())
    live_kinds = _live_kinds()
    assignments = [a for a in _assignments() if _party_exists(a, live_kinds)]
    directory = unit_directory()
    directory_url = directory.get_url(request) if directory else None

    levels: list[MatrixLevel] = []
    for level in LEVEL_ORDER:
        at_level = [a for a in assignments if a.level == level]
        if not at_level:
            continue
        parties: dict[Hashable, Party] = {}
        for assignment in at_level:
            party = _party_for(assignment, request=request, directory_url=directory_url)
            parties.setdefault(party.key, party)
        columns = sorted(parties.values(), key=lambda party: party.sort_key)
        by_area: defaultdict[int, list[Assignment]] = defaultdict(list)
        for assignment in at_level:
            by_area[assignment.area_id].append(assignment)
        rows: list[MatrixRow] = []
        for area in areas:
            if area.pk not in by_area:
                continue
            cells = {party.key: Cell(party=party) for party in columns}
            for assignment in by_area[area.pk]:
                cell = cells[parties[assignment.party_key].key]
                cell.roles.append(Role(assignment.role))
                if assignment.note:
                    cell.notes.append(assignment.note)
            for cell in cells.values():
                cell.roles.sort(key=ROLE_ORDER.index)
            rows.append({"area": area, "cells": [cells[party.key] for party in columns]})
        levels.append(
            {"level": level, "label": Level(level).label, "parties": columns, "rows": rows}
        )
    used = {a.area_id for a in assignments}
    return {
        "levels": levels,
        "areas": areas,
        "unassigned_areas": [area for area in areas if area.pk not in used],
        "roles": [{"role": role, "description": ROLE_DESCRIPTIONS[role]} for role in ROLE_ORDER],
    }


def unit_area_roles(
    *, unit: UnitPage, area: ResponsibilityArea, level: str | None = None
) -> set[str]:
    """The roles (``"R"``, ``"A"``, ``"C"``, ``"I"``) ``unit`` holds in ``area``.

    A role counts when it is given to the unit itself or to every unit of its
    kind ("each faculty"); ``level`` limits it to one level.
    """
    assignments = Assignment.objects.filter(Q(unit=unit) | Q(unit_kind=unit.kind), area=area)
    if level:
        assignments = assignments.filter(level=level)
    return set(assignments.values_list("role", flat=True))


# --- The gap report ----------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """One finding of the gap report.

    ``code`` names the kind of finding, ``message`` says it in the reader's
    language; ``area``, ``level``, ``assignment`` and ``subject`` (any object
    another app's check is about) point at what needs fixing.
    """

    code: str
    message: str
    area: ResponsibilityArea | None = None
    level: str = ""
    assignment: Assignment | None = None
    subject: object = None


def gap_checks() -> list[Callable[[], Iterable[Gap]]]:
    """The checks of the gap report (``GAP_CHECKS`` hooks), in hook order, each once."""
    return list(dict.fromkeys(hooks.get_hooks(GAP_CHECKS)))


def responsibility_gaps() -> list[Gap]:
    """Every finding of every registered check, in hook order (this app's own first)."""
    findings: list[Gap] = []
    for check in gap_checks():
        findings.extend(check())
    return findings


def _effective_rows(area_assignments: Iterable[Assignment], live_kinds: set[str]) -> list[Row]:
    return [
        Row(level=a.level, role=a.role, party=a.party_key, party_label=str(a.party_label))
        for a in area_assignments
        if _party_exists(a, live_kinds)
    ]


def areas_without_owner() -> Iterator[Gap]:
    """Areas with no Accountable party that exists, at any level."""
    live_kinds = _live_kinds()
    by_area = defaultdict(list)
    for assignment in _assignments():
        by_area[assignment.area_id].append(assignment)
    for area in area_list():
        rows = _effective_rows(by_area.get(area.pk, []), live_kinds)
        if not any(row.role == Role.ACCOUNTABLE for row in rows):
            yield Gap(
                code="area_without_owner",
                message=_('"%(area)s" has no Accountable unit at any level.') % {"area": area.name},
                area=area,
            )


def levels_breaking_rules() -> Iterator[Gap]:
    """Levels of owned areas where the rules no longer hold because a party is gone."""
    live_kinds = _live_kinds()
    by_area = defaultdict(list)
    for assignment in _assignments():
        by_area[assignment.area_id].append(assignment)
    for area in area_list():
        assignments = by_area.get(area.pk, [])
        rows = _effective_rows(assignments, live_kinds)
        if not any(row.role == Role.ACCOUNTABLE for row in rows):
            continue  # reported as an area without an owner
        # Only levels still in use count: a level whose every party is gone
        # shows up through its missing units.
        for violation in rule_violations(area_name=area.name, rows=rows):
            yield Gap(
                code=f"level_{violation.code}",
                message=violation.message,
                area=area,
                level=violation.level,
            )


def assignments_to_missing_units() -> Iterator[Gap]:
    """Assignments whose unit was deleted or is no longer published."""
    for assignment in _assignments().filter(unit_kind=""):
        params = {
            "area": assignment.area.name,
            "level": LEVEL_IN_SENTENCE.get(assignment.level, assignment.level),
            "role": assignment.get_role_display(),
        }
        if assignment.unit is None:
            yield Gap(
                code="unit_missing",
                message=_(
                    '"%(area)s" at %(level)s: %(role)s points at "%(unit)s", which no longer '
                    "exists."
                )
                % {**params, "unit": assignment.unit_name or _("(deleted unit)")},
                area=assignment.area,
                level=assignment.level,
                assignment=assignment,
            )
        elif not assignment.unit.live:
            yield Gap(
                code="unit_not_live",
                message=_(
                    '"%(area)s" at %(level)s: %(role)s points at "%(unit)s", which is not '
                    "published."
                )
                % {**params, "unit": assignment.unit.title},
                area=assignment.area,
                level=assignment.level,
                assignment=assignment,
            )


def kinds_without_units() -> Iterator[Gap]:
    """Assignments to "each X" where no X is published."""
    live_kinds = _live_kinds()
    for assignment in _assignments().exclude(unit_kind=""):
        if assignment.unit_kind not in live_kinds:
            yield Gap(
                code="kind_without_units",
                message=_(
                    '"%(area)s" at %(level)s: %(role)s is given to "%(party)s", but no unit of '
                    "that kind is published."
                )
                % {
                    "area": assignment.area.name,
                    "level": LEVEL_IN_SENTENCE.get(assignment.level, assignment.level),
                    "role": assignment.get_role_display(),
                    "party": KIND_EACH.get(assignment.unit_kind, assignment.unit_kind),
                },
                area=assignment.area,
                level=assignment.level,
                assignment=assignment,
            )
