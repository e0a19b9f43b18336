"""Reads of checklists: a student's arrival plan, and what coordinators may see of it.

The arrival plan merges the live checklists of the International Section,
the student's faculty and the student's department that are meant for the
student's status, keeping the items whose targeting matches the profile
(status, EU/EEA or not, home country, programme). An item falls due on one
of three kinds of date: a number of days (or Norwegian working days) after
the student's arrival, a fixed date, or a number of days after the start of
the student's semester (``AcademicSemester``: the one whose start is nearest
the arrival date, or today without one). Fixed and semester dates show even
without an arrival date. Dates are calendar dates in Europe/Oslo, so a
daylight-saving change moves nothing. A plan takes the same number of
queries however many items it holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms.fragments import fragment_get_or_build
from onboarding.accounts.profile_selectors import profile_get
from onboarding.units.models import UnitPage

from .calendar import add_working_days, is_eu_eea
from .models import (
    OWNER_KINDS,
    AcademicSemester,
    ChecklistItem,
    ChecklistPage,
    DueKind,
    ItemProgress,
    ItemSubmission,
    Region,
    SubmissionState,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import StrOrPromise
    from wagtail.query import PageQuerySet

    from onboarding.accounts.models import StudentProfile, User
    from onboarding.responsibilities.models import ResponsibilityMatrixPage

# Plans count days in the university's time zone, whatever the server's.
PLAN_TIMEZONE = ZoneInfo("Europe/Oslo")
# Reminders tell of items due within this many days (and of overdue ones).
DUE_SOON_DAYS = 3

# The order owners' items come in on the same day: university-wide first.
OWNER_RANK = {"international_section": 0, "faculty": 1, "department": 2}


def plan_today(now: datetime | None = None) -> date:
    """Today's date in Europe/Oslo (``now`` is an aware datetime, default: now)."""
    return timezone.localdate(now or timezone.now(), timezone=PLAN_TIMEZONE)


# The generation that purges the cached checklist structures (cms.fragments): bumped when a
# checklist's item, an area of responsibility or a semester is saved or deleted
# (signal_handlers); publishing, moving or deleting a page bumps "pages".
PLAN_GENERATIONS = ("pages", "checklists")


def semesters_all() -> list[AcademicSemester]:
    """Every semester with its start date, oldest first (cached until a semester changes)."""
    return fragment_get_or_build(
        "semesters",
        build=lambda: list(AcademicSemester.objects.order_by("starts_on")),
        depends_on=("checklists",),
    )


def semester_for(
    *, arrival: date | None, today: date, semesters: Sequence[AcademicSemester]
) -> AcademicSemester | None:
    """The student's semester: the one whose start is nearest the arrival date (or today).

    On a tie the later semester wins (a student arriving between two starts
    comes for the next one). None when no semester is known.
    """
    if not semesters:
        return None
    anchor = arrival or today
    return min(
        semesters, key=lambda s: (abs((s.starts_on - anchor).days), -s.starts_on.toordinal())
    )


def _count_from(start: date, *, days: int, working_days: bool) -> date:
    if working_days:
        return add_working_days(start, days)
    return start + timedelta(days=days)


def due_date_for(
    *, item: ChecklistItem, arrival: date | None, semester: AcademicSemester | None
) -> date | None:
    """The calendar date ``item`` falls due for a student, or None when it cannot be known.

    Fixed: the item's date. Arrival: counted from ``arrival``. Semester:
    counted from ``semester``'s start. Working days skip weekends and
    Norwegian public holidays; 0 working days moves a weekend or holiday
    start to the next working day.
    """
    if item.due_kind == DueKind.FIXED:
        return item.due_on
    start = semester.starts_on if item.due_kind == DueKind.SEMESTER and semester else None
    if item.due_kind == DueKind.ARRIVAL:
        start = arrival
    if start is None:
        return None
    return _count_from(start, days=item.due_offset_days, working_days=item.working_days)


# --- Targeting -------------------------------------------------------------------------

# Profile fields an item's targeting may need, as the profile form names them.
TARGET_FIELDS = ("home_country", "programme")


def country_code(value: object) -> str:
    """The ISO code of a ``CountryField`` value (a ``Country``, or "" when empty)."""
    return str(getattr(value, "code", "") or "")


def target_country_codes(item: ChecklistItem) -> set[str]:
    """The codes of the home countries an item is limited to (a multiple ``CountryField``)."""
    countries: Iterable[object] = item.target_countries or []
    return {country_code(country) for country in countries}


def item_missing_fields(*, item: ChecklistItem, profile: StudentProfile) -> tuple[str, ...]:
    """The profile fields ``item``'s targeting needs that the student has left empty."""
    missing = []
    if (item.target_region or item.target_countries) and not profile.home_country:
        missing.append("home_country")
    if item.target_programme.strip() and not profile.programme.strip():
        missing.append("programme")
    return tuple(missing)


def item_applies(*, item: ChecklistItem, profile: StudentProfile) -> bool:
    """Whether ``item`` is for this student: every condition it sets holds for the profile.

    Conditions combine with "and": statuses, EU/EEA or not, home countries,
    words in the programme. A condition on a field the student left empty
    does not hold (``item_missing_fields`` says which field to fill in).
    """
    if item.target_statuses and profile.status not in item.target_statuses:
        return False
    country = country_code(profile.home_country)
    if item.target_region or item.target_countries:
        if not country:
            return False
        if item.target_region == Region.EU_EEA and not is_eu_eea(country):
            return False
        if item.target_region == Region.OUTSIDE and is_eu_eea(country):
            return False
        if item.target_countries and country not in target_country_codes(item):
            return False
    words = item.target_programme.strip().casefold()
    return not words or words in profile.programme.casefold()


# --- Groups ----------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupSpec:
    key: str
    label: StrOrPromise
    hint: StrOrPromise


GROUPS = (
    GroupSpec(
        "set_dates",
        _("On set dates"),
        _("These dates are the same whenever you arrive. Add your arrival date to see the rest."),
    ),
    GroupSpec("before", _("Before you arrive"), _("Do these before you travel.")),
    GroupSpec("first_week", _("Your first week"), _("Days 1 to 7 after you arrive.")),
    GroupSpec("first_month", _("Your first month"), _("Days 8 to 30 after you arrive.")),
    GroupSpec("later", _("Later"), _("More than a month after you arrive.")),
)
GROUP_KEYS = tuple(group.key for group in GROUPS)


def group_for(offset_days: int) -> str:
    """The part of the plan an item belongs to, from its days after arrival."""
    if offset_days < 0:
        return "before"
    if offset_days < 7:
        return "first_week"
    if offset_days < 30:
        return "first_month"
    return "later"


def group_of(*, item: ChecklistItem, arrival: date | None, due: date | None) -> str:
    """The part of the plan an item belongs to.

    With an arrival date and a due date: by how many days after arrival it is
    due, whatever its kind. An arrival item without an arrival date: by its
    offset (it shows no date). A fixed or semester item without an arrival
    date: "on set dates".
    """
    if arrival is not None and due is not None:
        return group_for((due - arrival).days)
    if item.due_kind == DueKind.ARRIVAL:
        return group_for(item.due_offset_days)
    return "set_dates"


# --- The plan --------------------------------------------------------------------------


@dataclass
class PlanItem:
    item: ChecklistItem
    checklist: ChecklistPage
    owner: UnitPage
    responsible: UnitPage
    due_date: date | None
    done_at: datetime | None
    overdue: bool
    due_soon: bool
    group: str
    semester: AcademicSemester | None = None
    submission: ItemSubmission | None = None

    @property
    def pk(self) -> int:
        return self.item.pk

    @property
    def done(self) -> bool:
        return self.done_at is not None


@dataclass
class PlanGroup:
    key: str
    label: StrOrPromise
    hint: StrOrPromise
    items: list[PlanItem] = field(default_factory=list)

    @property
    def done_count(self) -> int:
        return sum(1 for entry in self.items if entry.done)


@dataclass
class Plan:
    profile: StudentProfile | None
    today: date
    checklists: list[ChecklistPage]
    items: list[PlanItem]
    groups: list[PlanGroup]
    semester: AcademicSemester | None = None
    # Profile fields left empty that hide items targeted on them: {field: items hidden}.
    missing_fields: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def done_count(self) -> int:
        return sum(1 for entry in self.items if entry.done)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.total) if self.items else 0

    @property
    def overdue(self) -> list[PlanItem]:
        return [entry for entry in self.items if entry.overdue]

    @property
    def has_dates(self) -> bool:
        return self.profile is not None and self.profile.arrival_date is not None

    @property
    def has_dated_items(self) -> bool:
        return any(entry.due_date is not None for entry in self.items)


def plan_owners(profile: StudentProfile | None) -> list[UnitPage]:
    """The live units whose checklists a student's plan merges: section, faculty, department."""
    if profile is None:
        return []
    own = [pk for pk in (profile.faculty_id, profile.department_id) if pk]
    condition = Q(kind="international_section")
    if own:
        condition |= Q(pk__in=own, kind__in=("faculty", "department"))
    return list(UnitPage.objects.live().filter(condition).order_by("path"))


def _items_prefetch() -> Prefetch:
    return Prefetch(
        "items",
        queryset=ChecklistItem.objects.select_related(
            "area", "responsible_unit", "link_page"
        ).order_by("sort_order", "pk"),
    )


def checklists_for_owners(
    *, owners: Sequence[UnitPage], status: str | None = None
) -> list[ChecklistPage]:
    """Live checklists directly under any of ``owners`` (for ``status`` when given), with items.

    Each checklist gets ``owner`` set to its unit. Items come in their order
    with their area, responsible unit and linked page.
    """
    if not owners:
        return []
    by_path = {owner.path: owner for owner in owners}
    condition = Q()
    for owner in owners:
        condition |= Q(path__startswith=owner.path, depth=owner.depth + 1)
    checklists = (
        ChecklistPage.objects.live()
        .filter(condition)
        .prefetch_related(_items_prefetch())
        .order_by("path")
    )
    found = []
    for checklist in checklists:
        if status and status not in (checklist.statuses or []):
            continue
        checklist.owner_unit = by_path[checklist.path[: -ChecklistPage.steplen]]
        found.append(checklist)
    found.sort(key=lambda c: (OWNER_RANK.get(c.owner_unit.kind, 9), c.path))
    return found


def plan_checklists(profile: StudentProfile | None) -> list[ChecklistPage]:
    """The checklists a student's plan merges, with their items: the same for every student
    of the same faculty, department and status, so cached per (owners, status, language).

    Nothing of the student is in it; their ticks, dates and documents are applied on top
    (``plan_build``). Purged when a page is published, unpublished, moved or deleted, and when
    an item, an area of responsibility or a semester changes (``PLAN_GENERATIONS``).
    """
    if profile is None:
        return []
    return fragment_get_or_build(
        "plan_checklists",
        profile.faculty_id,
        profile.department_id,
        profile.status,
        build=lambda: checklists_for_owners(owners=plan_owners(profile), status=profile.status),
        depends_on=PLAN_GENERATIONS,
    )


def _plan_entry(
    *,
    item: ChecklistItem,
    checklist: ChecklistPage,
    arrival: date | None,
    semester: AcademicSemester | None,
    today: date,
    done_at: datetime | None,
) -> PlanItem:
    due = due_date_for(item=item, arrival=arrival, semester=semester)
    responsible = item.responsible_unit or checklist.owner_unit
    return PlanItem(
        item=item,
        checklist=checklist,
        owner=checklist.owner_unit,
        responsible=responsible,
        due_date=due,
        done_at=done_at,
        overdue=done_at is None and due is not None and due < today,
        due_soon=done_at is None
        and due is not None
        and today <= due <= today + timedelta(days=DUE_SOON_DAYS),
        group=group_of(item=item, arrival=arrival, due=due),
        semester=semester if item.due_kind == DueKind.SEMESTER else None,
    )


def applicable_items(
    *, checklists: Sequence[ChecklistPage], profile: StudentProfile | None
) -> tuple[list[tuple[ChecklistPage, ChecklistItem]], dict[str, int]]:
    """The (checklist, item) pairs meant for ``profile``, and {profile field: items it hides}."""
    pairs: list[tuple[ChecklistPage, ChecklistItem]] = []
    missing: dict[str, int] = {}
    for checklist in checklists:
        for item in checklist.items.all():
            if profile is None or item_applies(item=item, profile=profile):
                pairs.append((checklist, item))
                continue
            if item.target_statuses and profile.status not in item.target_statuses:
                continue
            for name in item_missing_fields(item=item, profile=profile):
                missing[name] = missing.get(name, 0) + 1
    return pairs, missing


def plan_build(
    *,
    profile: StudentProfile | None,
    checklists: list[ChecklistPage],
    done: Mapping[int, datetime],
    today: date,
    semesters: Sequence[AcademicSemester] = (),
    submissions: Mapping[int, ItemSubmission] | None = None,
) -> Plan:
    """Assemble a plan from already loaded checklists and ``done`` ({item id: done_at}).

    Keeps the items meant for the profile; ``semesters`` are the known
    semesters (``semesters_all``), for items counted from a semester's start.
    """
    arrival = profile.arrival_date if profile is not None else None
    semester = semester_for(arrival=arrival, today=today, semesters=semesters)
    pairs, missing = applicable_items(checklists=checklists, profile=profile)
    entries = [
        _plan_entry(
            item=item,
            checklist=checklist,
            arrival=arrival,
            semester=semester,
            today=today,
            done_at=done.get(item.pk),
        )
        for checklist, item in pairs
    ]
    for entry in entries:
        entry.submission = (submissions or {}).get(entry.pk)
    group_rank = {key: index for index, key in enumerate(GROUP_KEYS)}
    entries.sort(
        key=lambda e: (
            group_rank[e.group],
            e.due_date or date.max,
            e.item.due_offset_days,
            OWNER_RANK.get(e.owner.kind, 9),
            e.checklist.path,
            e.item.sort_order if e.item.sort_order is not None else 0,
            e.item.pk,
        )
    )
    groups = [PlanGroup(key=spec.key, label=spec.label, hint=spec.hint) for spec in GROUPS]
    by_key = {group.key: group for group in groups}
    for entry in entries:
        by_key[entry.group].items.append(entry)
    return Plan(
        profile=profile,
        today=today,
        checklists=checklists,
        items=entries,
        groups=[group for group in groups if group.items],
        semester=semester,
        missing_fields=missing,
    )


def plan_get(*, user: User | AnonymousUser, now: datetime | None = None) -> Plan | None:
    """The arrival plan of ``user``, or None when they have no profile yet.

    Merges the live checklists for the student's status from the
    International Section, their faculty and their department, ordered by
    due date and grouped as before arrival, first week, first month and later.
    """
    profile = profile_get(user=user)
    if profile is None:
        return None
    checklists = plan_checklists(profile)
    item_ids = [item.pk for checklist in checklists for item in checklist.items.all()]
    done: dict[int, datetime] = {}
    submissions: dict[int, ItemSubmission] = {}
    if item_ids:
        done = dict(
            ItemProgress.objects.filter(
                student_id=profile.user_id, item_id__in=item_ids
            ).values_list("item_id", "done_at")
        )
        if any(item.asks_document for checklist in checklists for item in checklist.items.all()):
            submissions = {
                s.item_id: s
                for s in ItemSubmission.objects.filter(
                    student_id=profile.user_id, item_id__in=item_ids
                )
            }
    return plan_build(
        profile=profile,
        checklists=checklists,
        done=done,
        today=plan_today(now),
        semesters=semesters_all(),
        submissions=submissions,
    )


def plan_item_ids(*, user: User | AnonymousUser) -> set[int]:
    """The ids of the items in ``user``'s plan (empty without a profile)."""
    profile = profile_get(user=user)
    if profile is None:
        return set()
    checklists = plan_checklists(profile)
    pairs, _missing = applicable_items(checklists=checklists, profile=profile)
    return {item.pk for _checklist, item in pairs}


def matrix_page() -> ResponsibilityMatrixPage | None:
    """The live public responsibility matrix page, or None (cached until a page changes)."""
    from onboarding.responsibilities.models import ResponsibilityMatrixPage

    # Cached as a list of one or none, so that "there is no such page" is remembered too.
    found: list[ResponsibilityMatrixPage] = fragment_get_or_build(
        "matrix_page",
        build=lambda: list(ResponsibilityMatrixPage.objects.live().public()[:1]),
    )
    return found[0] if found else None


# --- Coordinators ------------------------------------------------------------------------


_page_policy = PagePermissionPolicy()


def coordinator_units(*, user: User | AnonymousUser) -> PageQuerySet:
    """The units (section, faculties, departments) whose checklists ``user`` may edit.

    These are the units whose branch the person's groups may edit in the page
    tree; superusers coordinate every unit.
    """
    if not user.is_authenticated or not user.is_active:
        return UnitPage.objects.none()
    units = UnitPage.objects.filter(kind__in=OWNER_KINDS)
    if user.is_superuser:
        return units.order_by("path")
    editable = _page_policy.instances_user_has_permission_for(user, "change")
    return units.filter(pk__in=editable.values("pk")).order_by("path")


def is_coordinator(*, user: User | AnonymousUser) -> bool:
    return coordinator_units(user=user).exists()


@dataclass
class CoordinatorScope:
    """What a coordinator sees: their units, their checklists, and whose progress."""

    units: list[UnitPage]
    everyone: bool
    faculty_ids: set[int]
    department_ids: set[int]

    def covers(self, profile: StudentProfile) -> bool:
        if self.everyone:
            return True
        return (
            profile.faculty_id in self.faculty_ids or profile.department_id in self.department_ids
        )


def coordinator_scope(*, user: User | AnonymousUser) -> CoordinatorScope:
    """The coordinator's units and whose progress they may see.

    Editors of the International Section see every student; editors of a
    faculty see the students of that faculty (any department); editors of a
    department see the students of that department.
    """
    units = list(coordinator_units(user=user))
    return CoordinatorScope(
        units=units,
        everyone=any(unit.kind == "international_section" for unit in units),
        faculty_ids={unit.pk for unit in units if unit.kind == "faculty"},
        department_ids={unit.pk for unit in units if unit.kind == "department"},
    )


def coordinator_checklists(
    *, user: User | AnonymousUser
) -> tuple[CoordinatorScope, list[ChecklistPage]]:
    """The checklists of the coordinator's units (live or draft), with their items and owner."""
    scope = coordinator_scope(user=user)
    if not scope.units:
        return scope, []
    by_path = {unit.path: unit for unit in scope.units}
    condition = Q()
    for unit in scope.units:
        condition |= Q(path__startswith=unit.path, depth=unit.depth + 1)
    checklists = list(
        ChecklistPage.objects.filter(condition).prefetch_related(_items_prefetch()).order_by("path")
    )
    for checklist in checklists:
        checklist.owner_unit = by_path[checklist.path[: -ChecklistPage.steplen]]
    checklists.sort(key=lambda c: (OWNER_RANK.get(c.owner_unit.kind, 9), c.owner_unit.path, c.path))
    return scope, checklists


def coordinator_checklist_get(
    *, user: User | AnonymousUser, checklist_id: int
) -> tuple[CoordinatorScope, ChecklistPage | None]:
    """(scope, checklist) when ``checklist_id`` is one of the coordinator's; else (scope, None)."""
    scope, checklists = coordinator_checklists(user=user)
    return scope, next((c for c in checklists if c.pk == checklist_id), None)


def _audience_profiles(
    *, checklist: ChecklistPage, scope: CoordinatorScope
) -> QuerySet[StudentProfile]:
    """Profiles of the students a checklist is for, limited to what the coordinator may see."""
    from onboarding.accounts.models import StudentProfile

    profiles = StudentProfile.objects.select_related("user", "faculty", "department").filter(
        status__in=checklist.statuses or [], user__is_active=True
    )
    owner = checklist.owner_unit
    if owner.kind == "faculty":
        profiles = profiles.filter(faculty_id=owner.pk)
    elif owner.kind == "department":
        profiles = profiles.filter(department_id=owner.pk)
    if not scope.everyone:
        profiles = profiles.filter(
            Q(faculty_id__in=scope.faculty_ids) | Q(department_id__in=scope.department_ids)
        )
    return profiles.order_by("arrival_date", "user__last_name", "user__first_name", "user__email")


@dataclass
class StudentRow:
    profile: StudentProfile
    entries: list[PlanItem]
    done_count: int
    required_done: int
    overdue: list[PlanItem]
    weeks_since_arrival: int | None
    semester: AcademicSemester | None = None

    @property
    def user(self) -> User:
        return self.profile.user

    @property
    def total(self) -> int:
        return len(self.entries)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.total) if self.entries else 0


@dataclass
class ItemRow:
    item: ChecklistItem
    done_count: int
    overdue_count: int
    student_count: int

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.student_count) if self.student_count else 0


@dataclass
class ChecklistProgress:
    checklist: ChecklistPage
    students: list[StudentRow]
    items: list[ItemRow]
    today: date

    @property
    def student_count(self) -> int:
        return len(self.students)

    @property
    def overdue_students(self) -> list[StudentRow]:
        return [row for row in self.students if row.overdue]

    @property
    def percent(self) -> int:
        cells = sum(row.total for row in self.students)
        done = sum(row.done_count for row in self.students)
        return round(100 * done / cells) if cells else 0

    def weekly_completion(self, *, max_weeks: int = 12) -> list[tuple[int, int, int]]:
        """Average completion (per cent) of the students, by whole weeks since their arrival.

        Returns a list of (week, students, percent); students not arrived yet are in week
        None (left out here), those past ``max_weeks`` in the last bucket.
        """
        buckets: defaultdict[int, list[int]] = defaultdict(list)
        for row in self.students:
            if row.weeks_since_arrival is None or row.weeks_since_arrival < 0:
                continue
            buckets[min(row.weeks_since_arrival, max_weeks)].append(row.percent)
        return [
            (week, len(values), round(sum(values) / len(values)))
            for week, values in sorted(buckets.items())
        ]


@dataclass(frozen=True)
class Cohort:
    """A part of a checklist's students: by semester of arrival (a code) and status."""

    semester: str = ""
    status: str = ""

    @property
    def is_everyone(self) -> bool:
        return not self.semester and not self.status


def checklist_progress(
    *,
    checklist: ChecklistPage,
    scope: CoordinatorScope,
    now: datetime | None = None,
    cohort: Cohort | None = None,
) -> ChecklistProgress:
    """Each student's and each item's progress on one checklist, as the coordinator may see it.

    Only the students of ``cohort`` when given: those whose semester (the one
    starting nearest their arrival, see ``semester_for``) has the code
    ``cohort.semester``, and of status ``cohort.status``; the items' counts
    are of those students. An item counts only the students it applies to.
    Four queries whatever the number of students and items: the semesters,
    the students, their ticks on this checklist, and nothing per row.
    """
    cohort = cohort or Cohort()
    today = plan_today(now)
    audience = _audience_profiles(checklist=checklist, scope=scope)
    if cohort.status:
        audience = audience.filter(status=cohort.status)
    profiles = list(audience)
    items = list(checklist.items.all())
    semesters = semesters_all()
    item_ids = [item.pk for item in items]
    done: defaultdict[int, dict[int, datetime]] = defaultdict(dict)
    if profiles and item_ids:
        rows = ItemProgress.objects.filter(
            item_id__in=item_ids, student_id__in=[p.user_id for p in profiles]
        ).values_list("student_id", "item_id", "done_at")
        for student_id, item_id, done_at in rows:
            done[student_id][item_id] = done_at
    item_rows = {
        item.pk: ItemRow(item=item, done_count=0, overdue_count=0, student_count=0)
        for item in items
    }
    students: list[StudentRow] = []
    for profile in profiles:
        semester = semester_for(arrival=profile.arrival_date, today=today, semesters=semesters)
        if cohort.semester and (semester is None or semester.code != cohort.semester):
            continue
        entries = [
            _plan_entry(
                item=item,
                checklist=checklist,
                arrival=profile.arrival_date,
                semester=semester,
                today=today,
                done_at=done[profile.user_id].get(item.pk),
            )
            for item in items
            if item_applies(item=item, profile=profile)
        ]
        for entry in entries:
            row = item_rows[entry.pk]
            row.student_count += 1
            row.done_count += entry.done
            row.overdue_count += entry.overdue
        arrival = profile.arrival_date
        students.append(
            StudentRow(
                profile=profile,
                entries=entries,
                done_count=sum(1 for e in entries if e.done),
                required_done=sum(1 for e in entries if e.done and e.item.required),
                overdue=[e for e in entries if e.overdue],
                weeks_since_arrival=(today - arrival).days // 7 if arrival else None,
                semester=semester,
            )
        )
    return ChecklistProgress(
        checklist=checklist,
        students=students,
        items=[item_rows[item.pk] for item in items],
        today=today,
    )


def cohort_semesters(*, today: date | None = None) -> list[tuple[AcademicSemester, bool]]:
    """Every semester, newest first, each with whether it is the current one (for filters)."""
    semesters = semesters_all()
    current = semester_for(arrival=None, today=today or plan_today(), semesters=semesters)
    return [(semester, semester == current) for semester in reversed(semesters)]


@dataclass
class ReminderTarget:
    """A student to remind and the overdue items they have not been reminded of today."""

    row: StudentRow
    entries: list[PlanItem]
    reminded_today: list[PlanItem]


def overdue_reminder_targets(
    *, progress: ChecklistProgress, student_ids: set[int] | None = None
) -> list[ReminderTarget]:
    """The students of ``progress`` (those in ``student_ids`` when given) with overdue items.

    Each target lists the overdue items not reminded of today (Europe/Oslo)
    and those already reminded of; a student with nothing new is still
    listed, so the confirmation can say why they get nothing.
    """
    from .models import OverdueReminder

    rows = [
        row
        for row in progress.students
        if row.overdue and (student_ids is None or row.user.pk in student_ids)
    ]
    if not rows:
        return []
    reminded = set(
        OverdueReminder.objects.filter(
            student_id__in=[row.user.pk for row in rows],
            item_id__in=[item_row.item.pk for item_row in progress.items],
            date=progress.today,
        ).values_list("student_id", "item_id")
    )
    return [
        ReminderTarget(
            row=row,
            entries=[e for e in row.overdue if (row.user.pk, e.pk) not in reminded],
            reminded_today=[e for e in row.overdue if (row.user.pk, e.pk) in reminded],
        )
        for row in rows
    ]


# --- Documents -------------------------------------------------------------------------


def submission_visible(*, user: User | AnonymousUser, submission: ItemSubmission) -> bool:
    """Whether ``user`` may open a document: its student, or a coordinator of its item's
    checklist who may see that student (a faculty's coordinator, not another faculty's)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if submission.student_id == user.pk:
        return True
    scope, checklist = coordinator_checklist_get(user=user, checklist_id=submission.item.page_id)
    if checklist is None:
        return False
    profile = profile_get(user=submission.student)
    return profile is not None and scope.covers(profile)


def checklist_submissions(
    *, checklist: ChecklistPage, scope: CoordinatorScope, state: str = ""
) -> list[ItemSubmission]:
    """The documents on a checklist's items from the students the coordinator may see."""
    submissions = ItemSubmission.objects.filter(item__page=checklist).select_related(
        "student", "student__student_profile", "item", "reviewed_by"
    )
    if state:
        submissions = submissions.filter(state=state)
    return [
        s
        for s in submissions.order_by("state", "uploaded_at", "pk")
        if hasattr(s.student, "student_profile") and scope.covers(s.student.student_profile)
    ]


def submissions_waiting(*, checklist: ChecklistPage, scope: CoordinatorScope) -> int:
    return len(
        checklist_submissions(checklist=checklist, scope=scope, state=SubmissionState.SUBMITTED)
    )


# --- Reminders --------------------------------------------------------------------------


def reminder_candidates(*, today: date) -> QuerySet[User]:
    """Active students with a profile and no reminder today, with their profile.

    Students without an arrival date are candidates too: fixed and semester
    dates fall due for them all the same.
    """
    user_model = get_user_model()
    return (
        user_model.objects.filter(
            is_active=True,
            student_profile__isnull=False,
        )
        .exclude(checklist_reminders__date=today)
        .exclude(student_profile__departure_date__lt=today)
        .select_related("student_profile")
        .order_by("pk")
    )
