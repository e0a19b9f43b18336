"""Reads of the advisers' queue: the cases a person handles, with their clocks, filtered and sorted.

Who sees what follows ``permissions.handled_cases_q``: the International
Section's staff see every unit's cases; an editor of a faculty or department
sees the cases of the units they edit and of the units below them (and,
after a late case escalates, the cases their unit is accountable for).

A queue of any length costs the same number of queries: the cases with
their student, destination, unit and adviser in one query, all their steps
in one more (``clocks.case_clocks``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import F, Q, QuerySet

from onboarding.units.models import UnitPage

from ..apps import STAFF_PERMISSION
from ..clock import ClockReading, Light
from ..models import CaseStatus, PreApprovalCase
from ..permissions import edited_paths, handled_cases_q, is_approvals_staff
from .clocks import CaseClocks, case_clocks
from .stats import ADVISING_KINDS

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User

# The orders of the queue; the first is the default: least time left first, the late on top.
SORTS = ("time_left", "-time_left", "submitted", "-submitted")
# The status filter's value for every status but drafts.
EVERY_STATUS = "all"


@dataclass(frozen=True)
class QueueFilters:
    """What the queue shows: by default the cases being handled, least time left first."""

    unit: int | None = None
    status: str = CaseStatus.OPEN
    waiting_for: str = ""
    light: str = ""
    adviser: int | None = None
    unassigned: bool = False
    mine: bool = False
    sort: str = SORTS[0]


@dataclass(frozen=True)
class QueueRow:
    """One case of the queue and its clocks."""

    case: PreApprovalCase
    clocks: CaseClocks

    @property
    def reading(self) -> ClockReading | None:
        """The clock that matters now: first response until it came, then the decision."""
        return self.clocks.current

    @property
    def measure(self) -> str:
        """Which clock ``reading`` is: ``first_response`` or ``decision``."""
        first = self.clocks.first_response
        return "first_response" if first is not None and not first.stopped else "decision"

    @property
    def light(self) -> str:
        reading = self.reading
        return reading.light if reading is not None else Light.GREEN

    @property
    def light_label(self) -> str:
        return str(Light(self.light).label)

    @property
    def late(self) -> bool:
        reading = self.reading
        return reading is not None and reading.late

    @property
    def late_by(self) -> Decimal:
        """How many working days past the promise, to one decimal (0 when not late)."""
        reading = self.reading
        if reading is None or not reading.late:
            return Decimal(0)
        return -reading.remaining_display


def adviser_units(user: User | AnonymousUser) -> list[UnitPage]:
    """The units whose queue and promise ``user`` keeps, in tree order: every faculty,
    department and the International Section for staff; for an editor, those at or
    below the units they edit."""
    units = UnitPage.objects.filter(kind__in=ADVISING_KINDS).order_by("path")
    if is_approvals_staff(user):
        return list(units)
    paths = edited_paths(user)
    if not paths:
        return []
    below = Q()
    for path in paths:
        below |= Q(path__startswith=path)
    return list(units.filter(below))


def may_use_queue(user: User | AnonymousUser) -> bool:
    """Staff, and the editors of a faculty, a department or the International Section."""
    return is_approvals_staff(user) or bool(adviser_units(user))


def queue_cases(user: User | AnonymousUser) -> QuerySet[PreApprovalCase]:
    """Every submitted case ``user`` handles, with what a queue row shows."""
    return (
        PreApprovalCase.objects.filter(handled_cases_q(user), submitted_at__isnull=False)
        .exclude(status=CaseStatus.DRAFT)
        .select_related("student", "agreement__institution", "unit", "adviser")
    )


def _sort_key(sort: str) -> Callable[[QueueRow], tuple[Any, ...]]:
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)

    def time_left(row: QueueRow) -> tuple[Any, ...]:
        reading = row.reading
        remaining = reading.remaining if reading is not None else Decimal(0)
        return (not row.late, remaining, row.case.submitted_at or far, row.case.pk)

    def submitted(row: QueueRow) -> tuple[Any, ...]:
        return (row.case.submitted_at or far, row.case.pk)

    return time_left if sort.endswith("time_left") else submitted


def queue_list(
    *,
    user: User | AnonymousUser,
    filters: QueueFilters | None = None,
    now: datetime.datetime | None = None,
) -> list[QueueRow]:
    """The cases ``user`` handles that pass ``filters``, with their clocks at ``now``, sorted.

    ``time_left`` (the default) puts late cases first, then the least time left on
    the clock that matters now; ``-time_left`` the other way; ``submitted`` the
    oldest first, ``-submitted`` the newest. ``mine`` keeps the user's own cases,
    ``unassigned`` those without an adviser, ``adviser`` one adviser's.
    """
    filters = filters or QueueFilters()
    cases = queue_cases(user)
    if filters.status != EVERY_STATUS:
        cases = cases.filter(status=filters.status)
    if filters.unit is not None:
        cases = cases.filter(unit_id=filters.unit)
    if filters.waiting_for:
        cases = cases.filter(waiting_for=filters.waiting_for)
    if filters.mine:
        cases = cases.filter(adviser_id=getattr(user, "pk", None))
    elif filters.unassigned:
        cases = cases.filter(adviser__isnull=True)
    elif filters.adviser is not None:
        cases = cases.filter(adviser_id=filters.adviser)
    listed = list(cases)
    clocks = case_clocks(listed, now=now)
    rows = [QueueRow(case=case, clocks=clocks[case.pk]) for case in listed]
    if filters.light:
        rows = [row for row in rows if row.light == filters.light]
    sort = filters.sort if filters.sort in SORTS else SORTS[0]
    rows.sort(key=_sort_key(sort), reverse=sort.startswith("-"))
    return rows


def queue_advisers(user: User | AnonymousUser) -> list[User]:
    """The advisers of the cases ``user`` handles (for the adviser filter), by name."""
    ids = queue_cases(user).exclude(adviser=None).values("adviser_id")
    return list(
        get_user_model().objects.filter(pk__in=ids).order_by("first_name", "last_name", "email")
    )


def _staff() -> QuerySet[User]:
    app_label, codename = STAFF_PERMISSION.split(".")
    permission = Q(
        groups__permissions__content_type__app_label=app_label,
        groups__permissions__codename=codename,
    ) | Q(
        user_permissions__content_type__app_label=app_label,
        user_permissions__codename=codename,
    )
    return get_user_model().objects.filter(permission, is_active=True).distinct()


def _ancestor_paths(path: str) -> list[str]:
    steplen = UnitPage.steplen
    return [path[:end] for end in range(steplen, len(path) + 1, steplen)]


def unit_advisers(units: Iterable[UnitPage]) -> dict[int, list[User]]:
    """For each of ``units``, the people who may be given its cases, by name: the editors of
    the unit and of the units above it, and the International Section's staff.

    Two queries however many units.
    """
    units = list(units)
    if not units:
        return {}
    paths = {path for unit in units for path in _ancestor_paths(unit.path)}
    editors: dict[str, list[User]] = defaultdict(list)
    for editor in (
        get_user_model()
        .objects.filter(is_active=True, groups__unit_link__unit__path__in=paths)
        .annotate(edits_path=F("groups__unit_link__unit__path"))
    ):
        editors[editor.edits_path].append(editor)
    staff: list[User] = list(_staff())
    advisers: dict[int, list[User]] = {}
    for unit in units:
        people: dict[int, User] = {}
        for path in _ancestor_paths(unit.path):
            for person in editors.get(path, ()):
                people.setdefault(person.pk, person)
        for member in staff:
            people.setdefault(member.pk, member)
        advisers[unit.pk] = sorted(
            people.values(), key=lambda person: (person.display_name.lower(), person.pk)
        )
    return advisers
