"""The learning agreement as it stands: tables A and B, its changes, and what a change breaks.

A learning agreement is read from the lines of a decided pre-approval case
and of the changes that amend it (``kind = change``, ``amends`` = the case):

- every approved line (approved, or approved with conditions) of the case is
  a *group*: its foreign courses go to table A, its home courses to table B.
  A line with several foreign courses is a combination approved together;
- a decided change applies its approved lines: an "add" line adds a group, a
  "drop" line removes the group it ``drops``; refused lines change nothing;
- changes still in draft or being handled are *pending*: shown apart, with
  the groups they would drop marked, never applied to the tables.

``agreement_tables`` reads all of it with a fixed number of queries, however
many lines, courses and changes there are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from ..clock import ClockReading
from ..models import (
    CaseKind,
    CaseLine,
    CaseStatus,
    LearningAgreement,
    LineAction,
    LineDecision,
    LineForeignCourse,
    LineHomeCourse,
    PreApprovalCase,
)
from .clocks import case_clocks

if TYPE_CHECKING:
    from .clocks import CaseClocks

OPEN_STATUSES = (CaseStatus.DRAFT, CaseStatus.OPEN)


def normalise_code(code: str) -> str:
    """A course code compared without case, spaces or punctuation: "IN 2010-A" is "in2010a"."""
    return re.sub(r"[\W_]+", "", code or "").casefold()


def normalise_title(title: str) -> str:
    """A title compared by its words only, without case or punctuation."""
    return " ".join(re.findall(r"\w+", (title or "").casefold()))


def course_label(course: LineForeignCourse) -> str:
    """How a course abroad is named in a sentence: its code and title."""
    return f"{course.code} {course.title}".strip()


@dataclass
class AgreementGroup:
    """One approved line: foreign courses (a combination when several) and what they count as."""

    line: CaseLine
    foreign: list[LineForeignCourse]
    home: list[LineHomeCourse]
    # The change that added it; None for the first version (the pre-approval case).
    added_by: PreApprovalCase | None = None
    # The decided change whose approved drop removed it.
    dropped_by: PreApprovalCase | None = None
    # Changes not decided yet that propose to drop it.
    pending_drops: list[PreApprovalCase] = field(default_factory=list)

    @property
    def current(self) -> bool:
        return self.dropped_by is None

    @property
    def is_combination(self) -> bool:
        return len(self.foreign) > 1

    @property
    def conditions(self) -> str:
        """The adviser's conditions, for a line approved with conditions."""
        return self.line.comment if self.line.decision == LineDecision.CONDITIONS else ""

    @property
    def foreign_ects(self) -> Decimal:
        return sum((course.ects for course in self.foreign), Decimal(0))

    @property
    def home_ects(self) -> Decimal:
        return sum((course.ects for course in self.home), Decimal(0))


@dataclass(frozen=True)
class ForeignComponent:
    """A row of table A: a course abroad, with the group (line) it was approved in."""

    course: LineForeignCourse
    group: AgreementGroup


@dataclass(frozen=True)
class HomeComponent:
    """A row of table B: one of our courses (or an elective) that courses abroad replace."""

    course: LineHomeCourse
    group: AgreementGroup


@dataclass
class ChangeView:
    """A change to the agreement: its reason, state, clock, the groups it adds and drops."""

    case: PreApprovalCase
    adds: list[AgreementGroup]
    # (drop line, the group it drops, or None when the line it names is no longer found)
    drops: list[tuple[CaseLine, AgreementGroup | None]]
    clocks: CaseClocks | None = None

    @property
    def applied(self) -> bool:
        return self.case.status == CaseStatus.DECIDED

    @property
    def pending(self) -> bool:
        return self.case.status in OPEN_STATUSES

    @property
    def clock(self) -> ClockReading | None:
        """The clock that matters now: the first answer's until it came, then the decision's."""
        return self.clocks.current if self.clocks is not None else None

    @property
    def awaits_first_answer(self) -> bool:
        first = self.clocks.first_response if self.clocks is not None else None
        return first is not None and not first.stopped


@dataclass
class AgreementTables:
    """The learning agreement of ``case`` as it stands, with its history of changes."""

    case: PreApprovalCase
    agreement: LearningAgreement | None
    # Every group ever approved, first version first, then each decided change's in order.
    groups: list[AgreementGroup]
    # Decided and withdrawn changes, oldest first.
    changes: list[ChangeView]
    # Changes in draft or being handled, oldest first.
    pending: list[ChangeView]

    @property
    def exists(self) -> bool:
        """A learning agreement exists once the pre-approval case is decided with a line approved."""
        return self.case.status == CaseStatus.DECIDED and bool(self.first_version)

    @property
    def first_version(self) -> list[AgreementGroup]:
        return [group for group in self.groups if group.added_by is None]

    @property
    def current_groups(self) -> list[AgreementGroup]:
        return [group for group in self.groups if group.current]

    @property
    def table_a(self) -> list[ForeignComponent]:
        """The courses abroad now in the agreement."""
        return [
            ForeignComponent(course, group)
            for group in self.current_groups
            for course in group.foreign
        ]

    @property
    def table_b(self) -> list[HomeComponent]:
        """The home courses now in the agreement."""
        return [
            HomeComponent(course, group) for group in self.current_groups for course in group.home
        ]

    @property
    def dropped_groups(self) -> list[AgreementGroup]:
        return [group for group in self.groups if not group.current]

    @property
    def foreign_ects(self) -> Decimal:
        return sum((group.foreign_ects for group in self.current_groups), Decimal(0))

    @property
    def home_ects(self) -> Decimal:
        return sum((group.home_ects for group in self.current_groups), Decimal(0))

    @property
    def draft_change(self) -> PreApprovalCase | None:
        """The change the student is still writing, if any."""
        for change in self.pending:
            if change.case.status == CaseStatus.DRAFT:
                return change.case
        return None

    def group_of(self, line_id: int) -> AgreementGroup | None:
        for group in self.groups:
            if group.line.pk == line_id:
                return group
        return None


def _group(line: CaseLine, added_by: PreApprovalCase | None) -> AgreementGroup:
    return AgreementGroup(
        line=line,
        foreign=list(line.foreign_courses.all()),
        home=list(line.home_courses.all()),
        added_by=added_by,
    )


def agreement_tables(*, case: PreApprovalCase) -> AgreementTables:
    """The learning agreement of the pre-approval ``case``: tables A and B, changes, totals.

    Reads the lines of the case and of every change amending it with their
    courses in three queries, the changes in one, their clocks in one and the
    agreement's own fields in one: the count does not grow with the lines.
    For a change case, reads the agreement of the case it amends.
    """
    if case.kind == CaseKind.CHANGE and case.amends_id is not None:
        case = case.amends  # type: ignore[assignment]
    lines = list(
        CaseLine.objects.filter(Q(case=case) | Q(case__amends=case))
        .prefetch_related(
            "foreign_courses",
            Prefetch("home_courses", LineHomeCourse.objects.select_related("elective_field")),
        )
        .order_by("sort_order", "pk")
    )
    changes = list(PreApprovalCase.objects.filter(amends=case).order_by("created_at", "pk"))
    clocks = case_clocks(changes)
    agreement = LearningAgreement.objects.filter(case=case).first()
    cases = {case.pk: case, **{change.pk: change for change in changes}}
    by_case: dict[int, list[CaseLine]] = {pk: [] for pk in cases}
    for line in lines:
        line.case = cases[line.case_id]
        by_case[line.case_id].append(line)

    groups: list[AgreementGroup] = []
    by_line: dict[int, AgreementGroup] = {}
    if case.status == CaseStatus.DECIDED:
        for line in by_case[case.pk]:
            if line.action == LineAction.ADD and line.approved:
                group = _group(line, None)
                groups.append(group)
                by_line[line.pk] = group
    # Decided changes apply in the order they were decided.
    decided = sorted(
        (change for change in changes if change.status == CaseStatus.DECIDED),
        key=lambda change: (change.decided_at or change.created_at, change.pk),
    )
    for change in decided:
        for line in by_case[change.pk]:
            if not line.approved:
                continue
            if line.action == LineAction.ADD:
                group = _group(line, change)
                groups.append(group)
                by_line[line.pk] = group
            elif line.drops_id in by_line and by_line[line.drops_id].dropped_by is None:
                by_line[line.drops_id].dropped_by = change

    change_views: list[ChangeView] = []
    pending_views: list[ChangeView] = []
    for change in changes:
        adds = [
            by_line.get(line.pk) or _group(line, change)
            for line in by_case[change.pk]
            if line.action == LineAction.ADD
        ]
        drops = [
            (line, by_line.get(line.drops_id) if line.drops_id else None)
            for line in by_case[change.pk]
            if line.action == LineAction.DROP
        ]
        view = ChangeView(case=change, adds=adds, drops=drops, clocks=clocks.get(change.pk))
        if view.pending:
            pending_views.append(view)
            for _line, dropped in drops:
                if dropped is not None and change not in dropped.pending_drops:
                    dropped.pending_drops.append(change)
        else:
            change_views.append(view)
    return AgreementTables(
        case=case,
        agreement=agreement,
        groups=groups,
        changes=change_views,
        pending=pending_views,
    )


def _others(courses: Sequence[LineForeignCourse]) -> str:
    return str(get_text_list([course_label(course) for course in courses], _("and")))


def swap_breaks(*, group: AgreementGroup, codes: Iterable[str]) -> list[str]:
    """What swapping the courses ``codes`` out of ``group`` breaks, one sentence a course."""
    wanted = {normalise_code(code) for code in codes}
    swapped = [course for course in group.foreign if normalise_code(course.code) in wanted]
    kept = [course for course in group.foreign if normalise_code(course.code) not in wanted]
    if not swapped or not kept:
        return []
    return [
        _(
            "Swapping %(course)s breaks the combination approved with %(others)s; "
            "it must be approved again."
        )
        % {"course": course_label(course), "others": _others(kept)}
        for course in swapped
    ]


def drop_breaks(*, group: AgreementGroup) -> list[str]:
    """What dropping the whole line of ``group`` breaks: for a combination, all of it."""
    if not group.is_combination:
        return []
    return [
        _(
            "Dropping %(courses)s removes the whole combination approved together; "
            "a course of it you keep must be approved again."
        )
        % {"courses": _others(group.foreign)}
    ]


def combination_breaks(
    *,
    case: PreApprovalCase,
    dropped_foreign_codes: Iterable[str] = (),
    lines: Iterable[CaseLine] = (),
    tables: AgreementTables | None = None,
) -> list[str]:
    """The warnings for dropping courses abroad (by code) or whole lines from ``case``'s agreement.

    A course swapped out of a combination breaks the combination: "Swapping X
    breaks the combination approved with Y; it must be approved again." A
    whole combination dropped takes all its courses with it. Only groups now in
    the agreement count. Pass ``tables`` when they are read already.
    """
    tables = tables or agreement_tables(case=case)
    codes = [code for code in dropped_foreign_codes if normalise_code(code)]
    line_ids = {line.pk for line in lines}
    warnings: list[str] = []
    for group in tables.current_groups:
        if group.line.pk in line_ids:
            warnings += drop_breaks(group=group)
        elif codes:
            warnings += swap_breaks(group=group, codes=codes)
    return warnings


def change_warnings(*, change: ChangeView) -> list[str]:
    """What a change's drop lines break, for showing beside the change."""
    warnings: list[str] = []
    for _line, group in change.drops:
        if group is not None:
            warnings += drop_breaks(group=group)
    return warnings
