"""Reads of earlier decisions (precedents): the search, one decision, the decisions of the
same courses, and the summaries the case builder shows.

A decision's words are kept lower-case in ``search_text`` by the services
(``services/precedents.py``); the search asks that every word of the query
appears in it. On PostgreSQL a trigram index on ``search_text`` (migration
0002) answers these ``LIKE '%word%'`` filters without reading every decision.

Every function here reads with a fixed number of queries, whatever the number
of decisions it returns: the two sides of each decision are fetched in one
query each (``with_sides``), and the summaries of any number of decisions in
four queries at most (``precedent_summaries``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from onboarding.exchange.models import Institution, StudyLevel

from ..models import CourseApproval, ForeignCourse, HomeCourse, HomeKind

# Characters around a word that are not part of it ("DAT100," finds "dat100").
WORD_EDGES = ".,;:!?()[]{}<>\"'«»“”‘’"
MAX_WORDS = 8
MAX_WORD_LENGTH = 100


def search_words(query: str) -> list[str]:
    """The distinct lower-case words of ``query`` (at most eight), without surrounding punctuation."""
    words: list[str] = []
    for raw in (query or "").replace("\x00", "").lower().split():
        word = raw.strip(WORD_EDGES)[:MAX_WORD_LENGTH]
        if word and word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def code_key(code: str) -> str:
    """A course code as compared between decisions: without surrounding spaces, in capitals."""
    return (code or "").strip().upper()


# A decision's partner, unit, subject area and both sides.
SIDES: tuple[Any, ...] = (
    "institution",
    "deciding_unit",
    "isced",
    "foreign_courses",
    Prefetch("home_courses", queryset=HomeCourse.objects.select_related("elective_field")),
)


def with_sides(approvals: QuerySet[CourseApproval]) -> QuerySet[CourseApproval]:
    """``approvals`` with their partner, unit, subject area and both sides fetched, one query
    each after the decisions' own.

    Fetched apart rather than joined: sorting 50,000 decisions joined to their unit's page
    row took PostgreSQL ten times as long as sorting the decisions alone for a page of 20.
    """
    return approvals.prefetch_related(*SIDES)


def _valid_first(
    approvals: QuerySet[CourseApproval], today: datetime.date
) -> QuerySet[CourseApproval]:
    """Annotated with ``valid_now`` and ordered: valid decisions first, then the newest."""
    return approvals.annotate(
        valid_now=Case(
            When(valid_until__gte=today, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    ).order_by("-valid_now", "-decided_on", "-pk")


class PrecedentResults:
    """The decisions a search found: the valid ones first, then the expired, each newest first.

    Made for Django's ``Paginator`` (``count()`` and slices) and for iterating. A slice is
    read as the valid part's rows and then the expired part's, each in the order of the index
    on (decided_on, id): PostgreSQL walks the index and stops after a page, where ordering all
    matches by "valid, then newest" made it read and sort every one of 50,000 decisions. Each
    row has both sides fetched (``with_sides``) and ``valid_now`` set. Queries: one for the two
    counts, then one or two for a slice and one per kind of related row.
    """

    def __init__(
        self, matches: QuerySet[CourseApproval], *, today: datetime.date, include_expired: bool
    ) -> None:
        self.matches = matches
        self.today = today
        self.include_expired = include_expired
        self._counts: tuple[int, int] | None = None

    def _part(self, valid: bool) -> QuerySet[CourseApproval]:
        condition = Q(valid_until__gte=self.today)
        part = self.matches.filter(condition if valid else ~condition)
        return part.order_by("-decided_on", "-pk")

    def counts(self) -> tuple[int, int]:
        """How many valid and how many expired decisions were found (one query)."""
        if self._counts is None:
            if self.include_expired:
                found = self.matches.aggregate(
                    total=Count("pk"), valid=Count("pk", filter=Q(valid_until__gte=self.today))
                )
                self._counts = (found["valid"], found["total"] - found["valid"])
            else:
                self._counts = (self._part(True).count(), 0)
        return self._counts

    def count(self) -> int:
        return sum(self.counts())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, int):
            if index < 0:
                raise IndexError(index)
            found = self[index : index + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        if index.step not in (None, 1) or (index.start or 0) < 0 or (index.stop or 0) < 0:
            raise ValueError("Only forward slices of search results are read.")
        valid, expired = self.counts()
        start = index.start or 0
        stop = valid + expired if index.stop is None else min(index.stop, valid + expired)
        rows: list[CourseApproval] = []
        if start < min(stop, valid):
            rows += self._part(True)[start : min(stop, valid)]
        if stop > valid and expired:
            rows += self._part(False)[max(start - valid, 0) : stop - valid]
        for row in rows:
            row.valid_now = row.valid_until >= self.today
        prefetch_related_objects(rows, *SIDES)
        return rows

    def __iter__(self) -> Iterator[CourseApproval]:
        return iter(self[0 : self.count()])


def precedent_search(
    *,
    query: str = "",
    institution: Institution | str | None = None,
    home_code: str = "",
    isced: str = "",
    include_expired: bool = True,
    today: datetime.date | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> PrecedentResults | list[CourseApproval]:
    """Earlier decisions matching every given filter, valid ones first, then the newest.

    ``query``: words that must all appear (case-insensitive, any language, any part of
    a word) among the decision's partner, courses on both sides, subject areas and note.
    ``institution``: an ``Institution`` or its SCHAC code. ``home_code``: one of our
    course codes on the home side (case-insensitive). ``isced``: an ISCED-F code, matched
    by prefix against the decision's subject area and its electives' areas ("06" finds
    "0613"). Expired decisions are included (each has ``valid_now`` False) unless
    ``include_expired`` is False. The result (``PrecedentResults``) is ready for a
    paginator, each slice with both sides fetched; with ``limit`` it is the list of that
    many from ``offset``.
    """
    today = today or timezone.localdate()
    approvals = CourseApproval.objects.all()
    for word in search_words(query):
        approvals = approvals.filter(search_text__contains=word)
    if isinstance(institution, Institution):
        approvals = approvals.filter(institution=institution)
    elif institution:
        approvals = approvals.filter(institution__schac_code=str(institution).strip().lower())
    code = (home_code or "").replace("\x00", "").strip()
    if code:
        approvals = approvals.filter(
            Exists(HomeCourse.objects.filter(approval=OuterRef("pk"), code__iexact=code))
        )
    field = (isced or "").replace("\x00", "").strip()
    if field:
        approvals = approvals.filter(
            Q(isced__code__startswith=field)
            | Exists(
                HomeCourse.objects.filter(
                    approval=OuterRef("pk"), elective_field__code__startswith=field
                )
            )
        )
    results = PrecedentResults(approvals, today=today, include_expired=include_expired)
    if limit is not None:
        return results[offset : offset + limit]
    return results


def precedent_get(*, approval_id: int, today: datetime.date | None = None) -> CourseApproval | None:
    """One decision with both sides, or None."""
    today = today or timezone.localdate()
    return with_sides(_valid_first(CourseApproval.objects.filter(pk=approval_id), today)).first()


def precedents_of_same_courses(
    *, approval: CourseApproval, today: datetime.date | None = None, limit: int = 50
) -> list[CourseApproval]:
    """Other decisions at ``approval``'s partner on any of its foreign courses (by code),
    valid ones first, then the newest; at most ``limit``."""
    today = today or timezone.localdate()
    codes = {code_key(course.code) for course in approval.foreign_courses.all()}
    if not codes:
        return []
    same_code = Q()
    for code in sorted(codes):
        same_code |= Q(code__iexact=code)
    matching = ForeignCourse.objects.filter(
        same_code, approval__institution_id=approval.institution_id
    ).values("approval_id")
    others = CourseApproval.objects.filter(pk__in=matching).exclude(pk=approval.pk)
    return list(with_sides(_valid_first(others, today))[:limit])


def precedent_institutions(*, include: str = "") -> list[Institution]:
    """The partners with at least one earlier decision, by name; also the one whose SCHAC
    code is ``include`` when it exists (a search may start from any destination)."""
    has_decisions = Exists(CourseApproval.objects.filter(institution=OuterRef("pk")))
    condition = Q(has_decisions)
    if include:
        condition |= Q(schac_code=include.strip().lower())
    return list(Institution.objects.filter(condition).order_by("name", "schac_code"))


@dataclass(frozen=True)
class PrecedentRow:
    """One decision as the pages show it: its whole combination, with the ECTS of each side."""

    approval: CourseApproval
    foreign: tuple[ForeignCourse, ...]
    home: tuple[tuple[HomeCourse, str], ...]  # each home course with its label
    foreign_ects: Decimal
    home_ects: Decimal
    expired: bool

    @property
    def combination(self) -> bool:
        return len(self.foreign) > 1 or len(self.home) > 1

    @property
    def foreign_codes(self) -> str:
        return " + ".join(course.code for course in self.foreign)


def precedent_rows(
    approvals: Iterable[CourseApproval], *, today: datetime.date | None = None
) -> list[PrecedentRow]:
    """``approvals`` (read with ``with_sides``) as rows to show; no query of its own."""
    today = today or timezone.localdate()
    rows = []
    for approval in approvals:
        foreign = tuple(approval.foreign_courses.all())
        home = tuple((course, HomeSide.of(course).label) for course in approval.home_courses.all())
        rows.append(
            PrecedentRow(
                approval=approval,
                foreign=foreign,
                home=home,
                foreign_ects=sum((course.ects for course in foreign), Decimal(0)),
                home_ects=sum((course.ects for course, _label in home), Decimal(0)),
                expired=approval.is_expired(today),
            )
        )
    return rows


# --- Summaries -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeSide:
    """What foreign courses counted as in a decision: one of our courses or an elective."""

    kind: str
    code: str
    title_nb: str
    title_en: str
    elective_level: str
    field_code: str
    field_name_nb: str
    field_name_en: str
    ects: Decimal

    @classmethod
    def of(cls, course: HomeCourse) -> HomeSide:
        """The side of a home course row (its ``elective_field`` fetched with it)."""
        field = course.elective_field if course.elective_field_id else None
        return cls(
            kind=course.kind,
            code=course.code or "",
            title_nb=course.title_nb or "",
            title_en=course.title_en or "",
            elective_level=course.elective_level or "",
            field_code=course.elective_field_id or "",
            field_name_nb=getattr(field, "name_nb", "") or "",
            field_name_en=getattr(field, "name_en", "") or "",
            ects=course.ects,
        )

    @property
    def key(self) -> tuple[str, ...]:
        """Equal for two decisions that gave the same home course (or the same elective)."""
        if self.kind == HomeKind.ELECTIVE:
            return ("elective", self.elective_level, self.field_code)
        return ("course", code_key(self.code))

    @property
    def label(self) -> str:
        """ "DAT100 Programmering" or "elective at bachelor level in 0613 …", in the active language."""
        norwegian = (get_language() or "nb").startswith("nb")
        if self.kind == HomeKind.ELECTIVE:
            name = (self.field_name_nb if norwegian else self.field_name_en) or (
                self.field_name_nb or self.field_name_en
            )
            field = f"{self.field_code} {name}".strip()
            if self.elective_level == StudyLevel.MASTER:
                return _("elective at master level in %(field)s") % {"field": field}
            if self.elective_level == StudyLevel.PHD:
                return _("elective at PhD level in %(field)s") % {"field": field}
            return _("elective at bachelor level in %(field)s") % {"field": field}
        title = (self.title_nb if norwegian else self.title_en) or self.title_nb or self.title_en
        return f"{self.code} {title}".strip()


@dataclass(frozen=True)
class Summary:
    """How often foreign courses (one, or a combination) were approved as the same home side.

    ``times`` decisions, the last on ``last_decided`` (decision ``latest_id``), the latest
    of them valid until ``valid_until``; ``differently`` decisions on the same foreign
    courses gave another home side.
    """

    times: int
    foreign_codes: tuple[str, ...]
    home: tuple[HomeSide, ...]
    last_decided: datetime.date
    valid_until: datetime.date
    latest_id: int
    differently: int
    today: datetime.date

    @property
    def expired(self) -> bool:
        return self.valid_until < self.today

    @property
    def home_label(self) -> str:
        return " + ".join(side.label for side in self.home)

    @property
    def text(self) -> str:
        """ "Approved 4 times as DAT100 Programming, last in 2025, valid to 2030.", translated."""
        values = {
            "count": self.times,
            "home": self.home_label,
            "year": self.last_decided.year,
            "until": self.valid_until.year,
        }
        if self.expired:
            return (
                ngettext(
                    "Approved once as %(home)s, in %(year)s, expired in %(until)s.",
                    "Approved %(count)s times as %(home)s, last in %(year)s, expired in %(until)s.",
                    self.times,
                )
                % values
            )
        return (
            ngettext(
                "Approved once as %(home)s, in %(year)s, valid to %(until)s.",
                "Approved %(count)s times as %(home)s, last in %(year)s, valid to %(until)s.",
                self.times,
            )
            % values
        )


@dataclass
class _Decision:
    pk: int
    institution_id: int
    decided_on: datetime.date
    valid_until: datetime.date
    codes: list[str]
    home: list[HomeSide]

    @property
    def foreign_key(self) -> tuple[Any, ...]:
        return (self.institution_id, tuple(sorted({code_key(code) for code in self.codes})))

    @property
    def home_key(self) -> tuple[tuple[str, ...], ...]:
        return tuple(sorted({side.key for side in self.home}))


def _decisions(approval_ids: QuerySet[Any]) -> dict[int, _Decision]:
    """The decisions whose ids ``approval_ids`` (a values queryset) selects, with both
    sides: three queries."""
    decisions = {
        pk: _Decision(pk, institution_id, decided_on, valid_until, [], [])
        for pk, institution_id, decided_on, valid_until in CourseApproval.objects.filter(
            pk__in=approval_ids
        ).values_list("pk", "institution_id", "decided_on", "valid_until")
    }
    foreign = ForeignCourse.objects.filter(approval_id__in=approval_ids).order_by(
        "approval_id", "sort_order", "pk"
    )
    for approval_id, code in foreign.values_list("approval_id", "code"):
        if approval_id in decisions:
            decisions[approval_id].codes.append(code)
    home = HomeCourse.objects.filter(approval_id__in=approval_ids).order_by(
        "approval_id", "sort_order", "pk"
    )
    for row in home.values_list(
        "approval_id",
        "kind",
        "code",
        "title_nb",
        "title_en",
        "elective_level",
        "elective_field_id",
        "elective_field__name_nb",
        "elective_field__name_en",
        "ects",
    ):
        if row[0] in decisions:
            decisions[row[0]].home.append(
                HomeSide(
                    kind=row[1],
                    code=row[2] or "",
                    title_nb=row[3] or "",
                    title_en=row[4] or "",
                    elective_level=row[5] or "",
                    field_code=row[6] or "",
                    field_name_nb=row[7] or "",
                    field_name_en=row[8] or "",
                    ects=row[9],
                )
            )
    return decisions


def _summaries_of(
    decisions: Iterable[_Decision], today: datetime.date
) -> dict[tuple[Any, Any], Summary]:
    """One summary per foreign side and home side, from the given decisions."""
    groups: dict[tuple[Any, Any], list[_Decision]] = defaultdict(list)
    per_foreign: dict[Any, int] = defaultdict(int)
    for decision in decisions:
        groups[(decision.foreign_key, decision.home_key)].append(decision)
        per_foreign[decision.foreign_key] += 1
    summaries = {}
    for key, members in groups.items():
        latest = max(members, key=lambda d: (d.decided_on, d.pk))
        summaries[key] = Summary(
            times=len(members),
            foreign_codes=tuple(latest.codes),
            home=tuple(latest.home),
            last_decided=latest.decided_on,
            valid_until=max(d.valid_until for d in members),
            latest_id=latest.pk,
            differently=per_foreign[key[0]] - len(members),
            today=today,
        )
    return summaries


def precedent_summaries(
    *, approvals: Iterable[CourseApproval], today: datetime.date | None = None
) -> dict[int, Summary]:
    """For each of ``approvals``: how often its foreign courses (the same set, at the same
    partner) were approved as its home side, when last, and valid until when.

    Keyed by decision id; its ``text`` reads "Approved 4 times as DAT100 Programming,
    last in 2025, valid to 2030." in the active language. Four queries at most (three
    when the decisions' foreign courses are prefetched), whatever their number.
    """
    approvals = [approval for approval in approvals if approval.pk]
    if not approvals:
        return {}
    today = today or timezone.localdate()
    codes: set[str] = set()
    unread = []
    for approval in approvals:
        prefetched = getattr(approval, "_prefetched_objects_cache", {})
        if "foreign_courses" in prefetched:
            codes.update(code_key(course.code) for course in prefetched["foreign_courses"])
        else:
            unread.append(approval.pk)
    if unread:
        codes.update(
            code_key(code)
            for code in ForeignCourse.objects.filter(approval_id__in=unread).values_list(
                "code", flat=True
            )
        )
    codes.discard("")
    if not codes:
        return {}
    same_code = Q()
    for code in sorted(codes):
        same_code |= Q(code__iexact=code)
    candidates = ForeignCourse.objects.filter(
        same_code,
        approval__institution_id__in={approval.institution_id for approval in approvals},
    ).values("approval_id")
    decisions = _decisions(candidates)
    summaries = _summaries_of(decisions.values(), today)
    found = {}
    for approval in approvals:
        decision = decisions.get(approval.pk)
        if decision is not None:
            found[approval.pk] = summaries[(decision.foreign_key, decision.home_key)]
    return found


def precedent_summary(
    *, institution: Institution, code: str, today: datetime.date | None = None
) -> list[Summary]:
    """How the course ``code`` at ``institution`` was approved: one summary per foreign side
    (the course alone, or each combination it was part of) and home side, the most
    frequent first. Three queries."""
    code = (code or "").replace("\x00", "").strip()
    if not code:
        return []
    today = today or timezone.localdate()
    candidates = ForeignCourse.objects.filter(
        code__iexact=code, approval__institution=institution
    ).values("approval_id")
    summaries = _summaries_of(_decisions(candidates).values(), today)
    return sorted(
        summaries.values(), key=lambda s: (-s.times, -s.last_decided.toordinal(), -s.latest_id)
    )
