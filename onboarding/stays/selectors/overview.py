"""Reads of the staff overview: the students abroad now, by country and by faculty.

Who sees what: the International Section's staff (``stays.manage_crises``)
see every stay; the editors of a faculty or a department see the stays of
the students whose study programme (``exchange.StudentProgramme``) belongs to
the units they edit or to units below them (a faculty's editors see the
programmes of the faculty and of its departments). A student without a
programme is seen by staff only.

A list of any length costs the same number of queries: the stays with their
student, programme and host in one, the faculties of the programmes' units
in one more.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django_countries import countries

from onboarding.exchange.models import StudentProgramme
from onboarding.units.kinds import UnitKind
from onboarding.units.models import UnitPage
from onboarding.units.selectors import units_attach_faculties, units_edited_by

from ..apps import STAFF_PERMISSION
from ..models import StayAbroad

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User

# The permission to download the stays abroad (with contacts) for crisis use.
EXPORT_PERMISSION = "stays.export_stays"
# The units whose editors see their own students abroad.
FACULTY_KINDS = (UnitKind.FACULTY, UnitKind.DEPARTMENT)
# The key of the students whose programme names no faculty (or who gave no programme).
NO_FACULTY = 0


def is_stays_staff(user: User | AnonymousUser) -> bool:
    """The International Section's staff (and superusers) see every stay abroad."""
    return bool(user.is_authenticated and user.is_active and user.has_perm(STAFF_PERMISSION))


def overview_units(user: User | AnonymousUser) -> list[UnitPage]:
    """The faculties and departments ``user`` edits (kept on the user for the request)."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[UnitPage] | None = getattr(user, "_stays_overview_units", None)
    if cached is None:
        cached = list(units_edited_by(user=user).filter(kind__in=FACULTY_KINDS))
        setattr(user, "_stays_overview_units", cached)  # noqa: B010
    return cached


def may_see_overview(user: User | AnonymousUser) -> bool:
    """Staff, and the editors of a faculty or a department."""
    return is_stays_staff(user) or bool(overview_units(user))


def may_export(user: User | AnonymousUser) -> bool:
    """Whoever sees the overview and holds ``stays.export_stays``."""
    return may_see_overview(user) and user.has_perm(EXPORT_PERMISSION)


def overview_scope_q(user: User | AnonymousUser, *, prefix: str = "") -> Q:
    """A filter for the stays ``user`` may see: every stay for staff, their programmes' units'
    students' for a faculty's or department's editors, none for others."""
    if is_stays_staff(user):
        return Q()
    units = overview_units(user)
    if not units:
        return Q(pk__in=[])
    condition = Q()
    for unit in units:
        condition |= Q(
            **{
                f"{prefix}student__exchange_programme__programme__owner_unit__path__startswith": unit.path
            }
        )
    return condition


@dataclass(frozen=True)
class AbroadRow:
    """A stay abroad now, with the student's programme and its faculty (None: unknown)."""

    stay: StayAbroad
    programme: Any
    faculty: UnitPage | None

    @property
    def host(self) -> str:
        agreement = self.stay.agreement
        return agreement.institution.name if agreement is not None else self.stay.host_name


@dataclass(frozen=True)
class Group:
    """One bar of a chart and row of its table: a country or a faculty, and its students."""

    key: str | int
    label: str
    students: int


@dataclass(frozen=True)
class AbroadFigures:
    total: int
    by_country: list[Group]
    by_faculty: list[Group]


def stays_now(
    *, user: User | AnonymousUser, today: datetime.date | None = None
) -> QuerySet[StayAbroad]:
    """The stays ``user`` may see that overlap ``today`` (from its first to its last day)."""
    today = today or timezone.localdate()
    return (
        StayAbroad.objects.filter(overview_scope_q(user), starts_on__lte=today, ends_on__gte=today)
        .select_related(
            "student",
            "agreement__institution",
            "student__exchange_programme__programme__owner_unit",
        )
        .order_by("country", "city", "student__last_name", "student__first_name", "pk")
    )


def _programme(stay: StayAbroad) -> StudentProgramme | None:
    try:
        return stay.student.exchange_programme
    except StudentProgramme.DoesNotExist:
        return None


def abroad_rows(
    *,
    user: User | AnonymousUser,
    today: datetime.date | None = None,
    country: str = "",
    faculty: int | None = None,
) -> list[AbroadRow]:
    """The stays abroad now that ``user`` may see, filtered by country and faculty (the
    faculty's id; ``NO_FACULTY`` for the students without one), with each faculty."""
    stays = stays_now(user=user, today=today)
    if country:
        stays = stays.filter(country=country)
    stays_list = list(stays)
    units = {}
    for stay in stays_list:
        mine = _programme(stay)
        if mine is not None:
            unit = mine.programme.owner_unit
            units[unit.pk] = unit
    units_attach_faculties(units.values())
    rows = []
    for stay in stays_list:
        mine = _programme(stay)
        unit_faculty = (
            getattr(units[mine.programme.owner_unit_id], "faculty_unit", None) if mine else None
        )
        row = AbroadRow(stay=stay, programme=mine.programme if mine else None, faculty=unit_faculty)
        if faculty is not None and (row.faculty.pk if row.faculty else NO_FACULTY) != faculty:
            continue
        rows.append(row)
    return rows


def abroad_figures(rows: Iterable[AbroadRow], *, no_faculty_label: str) -> AbroadFigures:
    """How many students are abroad (each once), by country and by faculty, largest first."""
    rows = list(rows)
    students = {row.stay.student_id for row in rows}
    by_country: dict[str, set[int]] = defaultdict(set)
    by_faculty: dict[int, set[int]] = defaultdict(set)
    faculty_names: dict[int, str] = {}
    for row in rows:
        by_country[str(row.stay.country)].add(row.stay.student_id)
        key = row.faculty.pk if row.faculty is not None else NO_FACULTY
        faculty_names[key] = row.faculty.title if row.faculty is not None else no_faculty_label
        by_faculty[key].add(row.stay.student_id)
    names = dict(countries)
    return AbroadFigures(
        total=len(students),
        by_country=sorted(
            (
                Group(key=code, label=str(names.get(code, code)), students=len(people))
                for code, people in by_country.items()
            ),
            key=lambda group: (-group.students, group.label),
        ),
        by_faculty=sorted(
            (
                Group(key=key, label=faculty_names[key], students=len(people))
                for key, people in by_faculty.items()
            ),
            key=lambda group: (-group.students, group.label),
        ),
    )


def overview_countries(
    *, user: User | AnonymousUser, today: datetime.date | None = None
) -> list[tuple[str, str]]:
    """The countries with a stay abroad now that ``user`` may see, by name (the filter)."""
    codes = set(stays_now(user=user, today=today).values_list("country", flat=True).distinct())
    names = dict(countries)
    return sorted(((code, str(names.get(code, code))) for code in codes), key=lambda pair: pair[1])


def overview_faculties(user: User | AnonymousUser) -> list[UnitPage]:
    """The faculties ``user`` may filter by: every faculty for staff; for an editor, the
    faculties of the units they edit."""
    if is_stays_staff(user):
        return list(UnitPage.objects.filter(kind=UnitKind.FACULTY).order_by("path"))
    units = units_attach_faculties(overview_units(user))
    found = {unit.faculty_unit.pk: unit.faculty_unit for unit in units if unit.faculty_unit}
    return sorted(found.values(), key=lambda unit: unit.path)
