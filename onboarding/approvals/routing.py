"""Where a pre-approval case goes: the responsibility matrix, read at submission.

The area with the duty ``Duty.EXCHANGE_GUIDANCE`` names the units. A case for a
programme goes to the programme's own department when that department holds
Responsible at department level (given to it, or to "each department"); else to
its faculty when the faculty holds Responsible at faculty level; else nowhere,
and the gap report says so.

Late cases escalate to the unit that holds Accountable: the unit holding A at
the handling unit's level when that is another unit (a faculty named
Accountable for its departments' cases), else the nearest unit above that holds
A at its own level (the faculty, then the unit Accountable at university
level, the International Section).

The route is copied onto the case when it is submitted (``services.cases``): a
later change of the matrix sends new cases elsewhere, never the ones already on
their way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onboarding.exchange.models import Programme
from onboarding.responsibilities.levels import Level, Role
from onboarding.responsibilities.models import Assignment, Duty
from onboarding.responsibilities.selectors import Gap, area_for_duty
from onboarding.units.kinds import UnitKind
from onboarding.units.models import UnitPage

from .errors import ApprovalError

if TYPE_CHECKING:
    from onboarding.responsibilities.models import ResponsibilityArea

LEVEL_OF_KIND = {
    UnitKind.DEPARTMENT: Level.DEPARTMENT,
    UnitKind.FACULTY: Level.FACULTY,
    UnitKind.INTERNATIONAL_SECTION: Level.UNIVERSITY,
}


@dataclass(frozen=True)
class Route:
    """The unit that answers a case and the unit it escalates to (None: nobody holds A)."""

    unit: UnitPage
    accountable_unit: UnitPage | None


def _holds(unit: UnitPage, area: ResponsibilityArea, *, level: str, role: str) -> bool:
    """Whether ``unit`` itself (or every unit of its kind) holds ``role`` in ``area`` at ``level``."""
    return (
        unit.live
        and Assignment.objects.filter(
            Q(unit=unit) | Q(unit_kind=unit.kind), area=area, level=level, role=role
        ).exists()
    )


def _ancestors(unit: UnitPage) -> list[UnitPage]:
    """The units above ``unit`` in the chart, nearest first."""
    steplen = UnitPage.steplen
    paths = [unit.path[:end] for end in range(steplen, len(unit.path), steplen)]
    return list(UnitPage.objects.filter(path__in=paths).order_by("-depth"))


def _faculty_of(unit: UnitPage) -> UnitPage | None:
    if unit.kind == UnitKind.FACULTY:
        return unit
    return next((above for above in _ancestors(unit) if above.kind == UnitKind.FACULTY), None)


def handling_unit(*, programme: Programme, area: ResponsibilityArea) -> UnitPage | None:
    """The department or faculty that answers cases for ``programme`` in ``area``, or None."""
    owner = programme.owner_unit
    if owner.kind == UnitKind.DEPARTMENT and _holds(
        owner, area, level=Level.DEPARTMENT, role=Role.RESPONSIBLE
    ):
        return owner
    faculty = _faculty_of(owner)
    if faculty is not None and _holds(faculty, area, level=Level.FACULTY, role=Role.RESPONSIBLE):
        return faculty
    return None


def _named_accountable(unit: UnitPage, area: ResponsibilityArea, level: str) -> UnitPage | None:
    """A unit named Accountable at ``level`` by itself, other than ``unit``.

    At department and faculty level a unit above ``unit`` counts (a faculty
    answering for its departments) and so does the International Section; a
    peer (another department, another faculty) answers for its own cases only.
    At university level any unit counts.
    """
    candidates = Assignment.objects.filter(
        area=area, level=level, role=Role.ACCOUNTABLE, unit__isnull=False
    ).select_related("unit")
    above = {above.pk for above in _ancestors(unit)}
    for assignment in candidates.order_by("pk"):
        named = assignment.unit
        if named is None or named.pk == unit.pk or not named.live:
            continue
        if (
            level == Level.UNIVERSITY
            or named.pk in above
            or named.kind == UnitKind.INTERNATIONAL_SECTION
        ):
            return named
    return None


def _university_accountable(area: ResponsibilityArea) -> UnitPage | None:
    """The unit Accountable at university level (named, or the one unit of a named kind)."""
    for assignment in Assignment.objects.filter(
        area=area, level=Level.UNIVERSITY, role=Role.ACCOUNTABLE
    ).order_by("pk"):
        if assignment.unit_id:
            unit = UnitPage.objects.filter(pk=assignment.unit_id, live=True).first()
        else:
            unit = (
                UnitPage.objects.filter(kind=assignment.unit_kind, live=True)
                .order_by("path")
                .first()
            )
        if unit is not None:
            return unit
    return None


def accountable_unit(*, unit: UnitPage, area: ResponsibilityArea) -> UnitPage | None:
    """Where late cases of ``unit`` escalate (see the module docstring), or None."""
    level = LEVEL_OF_KIND.get(unit.kind)  # type: ignore[call-overload]
    if level is not None:
        named = _named_accountable(unit, area, level)
        if named is not None:
            return named
    for above in _ancestors(unit):
        above_level = LEVEL_OF_KIND.get(above.kind)  # type: ignore[call-overload]
        if above_level in (None, Level.UNIVERSITY):
            continue
        if _holds(above, area, level=above_level, role=Role.ACCOUNTABLE):
            return above
    university = _university_accountable(area)
    if university is not None and university.pk != unit.pk:
        return university
    return None


NO_AREA_MESSAGE = gettext_lazy(
    "No responsibility area sends pre-approval cases. Give the area of outgoing exchange "
    "guidance that duty in the responsibility matrix."
)


def _no_unit(programme: Programme) -> ApprovalError:
    return ApprovalError(
        code="no_unit",
        message=_(
            "No unit answers pre-approval cases for your study programme (%(programme)s) yet. "
            "The International Section has been told through its gap report; please contact "
            "them."
        )
        % {"programme": programme.name},
    )


def case_route(*, programme: Programme) -> Route:
    """The route of a new case for ``programme``; raises ApprovalError ``no_unit`` without one."""
    area = area_for_duty(Duty.EXCHANGE_GUIDANCE)
    if area is None:
        raise _no_unit(programme)
    unit = handling_unit(programme=programme, area=area)
    if unit is None:
        raise _no_unit(programme)
    return Route(unit=unit, accountable_unit=accountable_unit(unit=unit, area=area))


def programmes_without_case_unit() -> Iterator[Gap]:
    """The gap report's finding: programmes whose pre-approval cases would go nowhere.

    One finding when no area has the duty at all (then no programme has a route),
    else one per programme without a unit that answers.
    """
    area = area_for_duty(Duty.EXCHANGE_GUIDANCE)
    if area is None:
        if Programme.objects.exists():
            yield Gap(code="approvals_no_area", message=str(NO_AREA_MESSAGE))
        return
    for programme in Programme.objects.select_related("owner_unit").order_by("name"):
        if handling_unit(programme=programme, area=area) is None:
            yield Gap(
                code="approvals_no_unit",
                message=_('No unit answers pre-approval cases for programme "%(programme)s".')
                % {"programme": programme.name},
                area=area,
                subject=programme,
            )
