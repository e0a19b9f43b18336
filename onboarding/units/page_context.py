"""What the unit directory and a unit page show besides their own fields.

Read-only assembly for the page models' ``get_context``: the builders read
through the selectors (and read the directory's filter from the request),
and never write.
"""

from collections.abc import Iterable
from typing import Any, cast

from django.http import HttpRequest

from .forms import UnitDirectoryFilterForm
from .kinds import KIND_PLURALS, UnitKind
from .models import UnitDirectoryPage, UnitPage
from .selectors import (
    unit_children,
    unit_directory,
    unit_faculties,
    unit_faculty,
    unit_is_followed,
    unit_list,
    unit_parent_unit,
    unit_sections,
    unit_upcoming_events,
    units_attach_faculties,
)

UPCOMING_EVENTS_SHOWN = 5


def _grouped_by_kind(units: Iterable[UnitPage]) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for unit in units:
        if not groups or groups[-1]["kind"] != unit.kind:
            # A kind no longer offered is shown by its code.
            label = KIND_PLURALS.get(cast(UnitKind, unit.kind), unit.kind)
            groups.append({"kind": unit.kind, "label": label, "units": []})
        groups[-1]["units"].append(unit)
    return groups


def directory_context(request: HttpRequest, *, directory: UnitDirectoryPage) -> dict[str, Any]:
    """What the directory page shows: the filter form and the matching units, grouped by kind."""
    faculties = list(unit_faculties())
    form = UnitDirectoryFilterForm(request.GET or None, faculties=faculties)
    kind = faculty = query = None
    if form.is_bound and form.is_valid():
        kind = form.cleaned_data["kind"] or None
        faculty = next((f for f in faculties if f.pk == form.cleaned_data["faculty"]), None)
        query = form.cleaned_data["q"].strip() or None
    units = units_attach_faculties(unit_list(kind=kind, faculty=faculty, query=query))
    return {
        "filter_form": form,
        "unit_groups": _grouped_by_kind(units),
        "unit_count": len(units),
        "is_filtering": bool(kind or faculty or query),
        "selected_faculty": faculty,
    }


def unit_context(request: HttpRequest, *, unit: UnitPage) -> dict[str, Any]:
    """What a unit page shows besides its own fields."""
    faculty = unit_faculty(unit) if unit.kind != UnitKind.FACULTY else None
    parent_unit = unit_parent_unit(unit)
    upcoming = unit_upcoming_events(unit=unit, limit=UPCOMING_EVENTS_SHOWN)
    return {
        "faculty": faculty,
        "parent_unit": parent_unit if parent_unit and parent_unit != faculty else None,
        "child_units": list(unit_children(parent=unit)),
        "is_following": unit_is_followed(unit=unit, user=request.user),
        "upcoming_events": upcoming.events,
        "upcoming_events_template": upcoming.template_name,
        "unit_sections": unit_sections(unit=unit),
        "directory": unit_directory(),
    }
