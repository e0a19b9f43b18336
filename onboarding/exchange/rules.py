"""The rules an agreement and a programme must meet, shared by the admin forms and the services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onboarding.units.kinds import UnitKind

from .models import MobilityFormat

if TYPE_CHECKING:
    from .models import Agreement, Programme

OWNER_KINDS = (UnitKind.FACULTY, UnitKind.DEPARTMENT)


@dataclass(frozen=True)
class Problem:
    code: str
    message: str | Promise
    field: str | None = None


def agreement_problems(agreement: Agreement) -> list[Problem]:
    """What is wrong with ``agreement``'s own fields (not its subject areas or languages)."""
    problems = []
    if agreement.valid_from and agreement.valid_to and agreement.valid_to < agreement.valid_from:
        problems.append(Problem("dates", _("The agreement must end after it starts."), "valid_to"))
    if not (agreement.level_bachelor or agreement.level_master or agreement.level_phd):
        problems.append(
            Problem("no_level", _("Choose at least one study level."), "level_bachelor")
        )
    if agreement.mobility_format == MobilityFormat.SEMESTER:
        if not (agreement.autumn or agreement.spring):
            problems.append(
                Problem(
                    "no_semester", _("Choose the semesters the partner takes students."), "autumn"
                )
            )
        if not agreement.months_out:
            problems.append(
                Problem("no_months", _("A semester stay lasts at least one month."), "months_out")
            )
    elif not agreement.days:
        problems.append(
            Problem(
                "no_days", _("Say how many days a short, blended or digital stay lasts."), "days"
            )
        )
    if agreement.is_package and not agreement.package_course_list:
        problems.append(
            Problem(
                "no_package_courses",
                _("List the courses of the package solution."),
                "package_courses",
            )
        )
    unit = getattr(agreement, "owner_unit", None) if agreement.owner_unit_id else None
    if unit is not None and unit.kind not in OWNER_KINDS:
        problems.append(
            Problem(
                "owner_kind", _("An agreement belongs to a faculty or a department."), "owner_unit"
            )
        )
    return problems


def programme_problems(programme: Programme) -> list[Problem]:
    """What is wrong with ``programme``'s window and placements."""
    problems = []
    for field in ("window_semesters", "placement_semesters"):
        values = getattr(programme, field) or []
        if not isinstance(values, list) or not all(
            isinstance(v, int) and 1 <= v <= programme.semesters for v in values
        ):
            problems.append(
                Problem(
                    "semesters",
                    _("List semesters as numbers from 1 to the programme's number of semesters."),
                    field,
                )
            )
    if not programme.window_semesters:
        problems.append(
            Problem("no_window", _("Every programme has an exchange window."), "window_semesters")
        )
    unit = programme.owner_unit if programme.owner_unit_id else None
    if unit is not None and unit.kind not in OWNER_KINDS:
        problems.append(
            Problem(
                "owner_kind", _("A programme belongs to a faculty or a department."), "owner_unit"
            )
        )
    return problems
