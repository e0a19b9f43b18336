"""The recognition draft after return: the transcript matched to the learning agreement.

Each transcript line is matched to a course abroad of table A (the agreement
as it stands, dropped lines left out):

1. by course code, compared without case, spaces or punctuation;
2. else by title, compared by its words only: a weaker match, reported as such.

Each group of table A (one approved line; a combination when it has several
courses abroad) is then *recognised* (every course abroad matched and none
failed: it gives its home courses of table B), *partly* recognised (some
matched, some missing or failed) or *missing* (none). Transcript lines that
match nothing need a new decision.

Grades convert by the staff's table for the partner institution, else the
table for its country; where there is none, or the grade is not in it, the
draft says so and leaves the grade to be converted by hand: it never guesses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from ..models import (
    FAILING_GRADES,
    GradeScale,
    LineForeignCourse,
    PreApprovalCase,
    TranscriptLine,
)
from .agreements import (
    AgreementGroup,
    AgreementTables,
    agreement_tables,
    normalise_code,
    normalise_title,
)

# How a transcript line was matched to a course abroad.
MATCH_CODE = "code"
MATCH_TITLE = "title"

# Where a converted grade came from.
SOURCE_INSTITUTION = "institution"
SOURCE_COUNTRY = "country"
SOURCE_NO_TABLE = "no_table"
SOURCE_NOT_IN_TABLE = "not_in_table"

# A course abroad in the draft.
PASSED = "passed"
FAILED = "failed"
# Matched, but with no converted grade: whether it was passed is for the adviser to say.
UNCONVERTED = "unconverted"
MISSING = "missing"

# A group in the draft.
RECOGNISED = "recognised"
PARTLY = "partly"
# (MISSING, as for a course)


def normalise_grade(grade: str) -> str:
    """A grade compared without case or spaces, a decimal comma read as a point ("1,3" is "1.3")."""
    return "".join((grade or "").split()).casefold().replace(",", ".")


@dataclass(frozen=True)
class Conversion:
    """A foreign grade converted, or why it could not be."""

    home_grade: str
    source: str

    @property
    def converted(self) -> bool:
        return bool(self.home_grade)

    @property
    def failed(self) -> bool:
        return self.home_grade in FAILING_GRADES


@dataclass
class CourseResult:
    """One course abroad of a group and the transcript line matched to it."""

    course: LineForeignCourse
    transcript: TranscriptLine | None = None
    match: str = ""
    conversion: Conversion | None = None

    @property
    def state(self) -> str:
        if self.transcript is None:
            return MISSING
        if self.conversion is None or not self.conversion.converted:
            return UNCONVERTED
        return FAILED if self.conversion.failed else PASSED

    @property
    def counts(self) -> bool:
        """Matched and not failed (an unconverted grade counts until the adviser says otherwise)."""
        return self.state in (PASSED, UNCONVERTED)

    @property
    def fewer_ects(self) -> bool:
        """The transcript gives fewer credits than the agreement."""
        return self.transcript is not None and self.transcript.ects < self.course.ects


@dataclass
class GroupResult:
    """A group of table A with its courses' results and the home courses it gives."""

    group: AgreementGroup
    courses: list[CourseResult]

    @property
    def state(self) -> str:
        counting = [result for result in self.courses if result.counts]
        if counting and len(counting) == len(self.courses):
            return RECOGNISED
        return PARTLY if counting else MISSING

    @property
    def home_grade(self) -> str:
        """The grade for its home courses: the one converted grade, or the same grade of all its
        courses; empty when the adviser has to set it (a combination of different grades, or
        grades not converted)."""
        grades = {result.conversion.home_grade for result in self.courses if result.conversion}
        if self.state != RECOGNISED or len(grades) != 1 or "" in grades:
            return ""
        return grades.pop()

    @property
    def by_title(self) -> bool:
        return any(result.match == MATCH_TITLE for result in self.courses)

    @property
    def unconverted(self) -> bool:
        return any(result.state == UNCONVERTED for result in self.courses)


@dataclass
class ExtraLine:
    """A transcript line that matches no course of the agreement: it needs a new decision."""

    transcript: TranscriptLine
    # The group it matches among those dropped from the agreement, if any.
    dropped_group: AgreementGroup | None = None
    conversion: Conversion | None = None


@dataclass
class RecognitionDraft:
    """The draft recognition decision for a case."""

    case: PreApprovalCase
    tables: AgreementTables
    scale: GradeScale | None
    scale_source: str
    groups: list[GroupResult]
    extra: list[ExtraLine]
    transcript: list[TranscriptLine] = field(default_factory=list)

    def _of(self, state: str) -> list[GroupResult]:
        return [group for group in self.groups if group.state == state]

    @property
    def recognised(self) -> list[GroupResult]:
        return self._of(RECOGNISED)

    @property
    def partly(self) -> list[GroupResult]:
        return self._of(PARTLY)

    @property
    def missing(self) -> list[GroupResult]:
        return self._of(MISSING)

    @property
    def agreed_ects(self) -> Decimal:
        return self.tables.foreign_ects

    @property
    def transcript_ects(self) -> Decimal:
        return sum((line.ects for line in self.transcript), Decimal(0))

    @property
    def recognised_ects(self) -> Decimal:
        """The home credits of the groups recognised whole."""
        return sum((result.group.home_ects for result in self.recognised), Decimal(0))

    @property
    def missing_ects(self) -> Decimal:
        """The credits abroad of the courses in the agreement without a transcript line."""
        return sum(
            (
                result.course.ects
                for group in self.groups
                for result in group.courses
                if result.state == MISSING
            ),
            Decimal(0),
        )

    @property
    def new_decision_ects(self) -> Decimal:
        return sum((extra.transcript.ects for extra in self.extra), Decimal(0))

    def as_outcome(self) -> dict[str, Any]:
        """The draft as plain JSON: what a confirmed decision stores and its page shows."""
        institution = self.case.agreement.institution
        return {
            "institution": {"hei-id": institution.schac_code, "name": institution.name},
            "scale": {
                "source": self.scale_source,
                "name": str(self.scale) if self.scale else "",
            },
            "groups": [_group_outcome(group) for group in self.groups],
            "new_decision": [_extra_outcome(extra) for extra in self.extra],
            "totals": {
                "agreed_ects": str(self.agreed_ects),
                "transcript_ects": str(self.transcript_ects),
                "recognised_ects": str(self.recognised_ects),
                "missing_ects": str(self.missing_ects),
                "new_decision_ects": str(self.new_decision_ects),
            },
            "counts": {
                RECOGNISED: len(self.recognised),
                PARTLY: len(self.partly),
                MISSING: len(self.missing),
                "new_decision": len(self.extra),
            },
        }


def _transcript_outcome(line: TranscriptLine) -> dict[str, str]:
    return {"code": line.code, "title": line.title, "grade": line.grade, "ects": str(line.ects)}


def _group_outcome(result: GroupResult) -> dict[str, Any]:
    group = result.group
    return {
        "line": group.line.pk,
        "state": result.state,
        "home_grade": result.home_grade,
        "by_title": result.by_title,
        "unconverted": result.unconverted,
        "combination": group.is_combination,
        "foreign": [
            {
                "code": course.course.code,
                "title": course.course.title,
                "ects": str(course.course.ects),
                "state": course.state,
                "match": course.match,
                "fewer_ects": course.fewer_ects,
                "transcript": _transcript_outcome(course.transcript) if course.transcript else None,
                "home_grade": course.conversion.home_grade if course.conversion else "",
                "conversion": course.conversion.source if course.conversion else "",
            }
            for course in result.courses
        ],
        "home": [
            {
                "kind": home.kind,
                "code": home.code,
                "title_nb": home.title_nb or "",
                "title_en": home.title_en or "",
                "elective_level": home.elective_level,
                "elective_field": home.elective_field_id or "",
                "elective_field_name": home.elective_field.name if home.elective_field else "",
                "ects": str(home.ects),
            }
            for home in group.home
        ],
        "home_ects": str(group.home_ects),
    }


def _extra_outcome(extra: ExtraLine) -> dict[str, Any]:
    return {
        **_transcript_outcome(extra.transcript),
        "dropped_by": extra.dropped_group.dropped_by.pk
        if extra.dropped_group and extra.dropped_group.dropped_by
        else None,
        "home_grade": extra.conversion.home_grade if extra.conversion else "",
        "conversion": extra.conversion.source if extra.conversion else "",
    }


def grade_scale_for(case: PreApprovalCase) -> tuple[GradeScale | None, str]:
    """The table the partner's grades convert by: the institution's, else its country's.

    One query for the tables and one for their rows. Returns (table, source),
    with source ``institution``, ``country`` or ``no_table`` (and None).
    """
    institution = case.agreement.institution
    scales = list(
        GradeScale.objects.filter(
            Q(institution=institution) | Q(institution__isnull=True, country=institution.country)
        ).prefetch_related("rows")
    )
    own = next((scale for scale in scales if scale.institution_id == institution.pk), None)
    if own is not None:
        return own, SOURCE_INSTITUTION
    country = next((scale for scale in scales if scale.institution_id is None), None)
    if country is not None:
        return country, SOURCE_COUNTRY
    return None, SOURCE_NO_TABLE


def convert(scale: GradeScale | None, source: str, grade: str) -> Conversion:
    """``grade`` by ``scale``; without a table or a row for it, no grade and why."""
    if scale is None:
        return Conversion("", SOURCE_NO_TABLE)
    wanted = normalise_grade(grade)
    for row in scale.rows.all():
        if normalise_grade(row.foreign_grade) == wanted:
            return Conversion(row.home_grade, source)
    return Conversion("", SOURCE_NOT_IN_TABLE)


def match_transcript(
    groups: list[AgreementGroup], transcript: list[TranscriptLine]
) -> tuple[dict[int, tuple[TranscriptLine, str]], list[TranscriptLine]]:
    """Match transcript lines to the courses abroad of ``groups``: by code first, then by title.

    Returns {course id: (transcript line, how)} and the lines matched to no course.
    Each line matches at most one course and each course at most one line.
    """
    courses = [course for group in groups for course in group.foreign]
    matched: dict[int, tuple[TranscriptLine, str]] = {}
    left: list[TranscriptLine] = []
    by_code: dict[str, list[LineForeignCourse]] = {}
    for course in courses:
        by_code.setdefault(normalise_code(course.code), []).append(course)
    for line in transcript:
        candidates = [c for c in by_code.get(normalise_code(line.code), []) if c.pk not in matched]
        if candidates and normalise_code(line.code):
            matched[candidates[0].pk] = (line, MATCH_CODE)
        else:
            left.append(line)
    unmatched: list[TranscriptLine] = []
    for line in left:
        title = normalise_title(line.title)
        candidates = [
            course
            for course in courses
            if course.pk not in matched and title and normalise_title(course.title) == title
        ]
        if candidates:
            matched[candidates[0].pk] = (line, MATCH_TITLE)
        else:
            unmatched.append(line)
    return matched, unmatched


def recognition_draft(*, case: PreApprovalCase) -> RecognitionDraft:
    """The recognition draft of ``case``: its transcript matched to its learning agreement.

    ``case`` should come with its agreement's institution fetched. A fixed
    number of queries: the agreement's tables, the transcript, the grade tables.
    """
    tables = agreement_tables(case=case)
    case = tables.case
    transcript = list(TranscriptLine.objects.filter(case=case).order_by("pk"))
    scale, source = grade_scale_for(case)
    groups = tables.current_groups
    matched, unmatched = match_transcript(groups, transcript)
    results = []
    for group in groups:
        courses = []
        for course in group.foreign:
            line, how = matched.get(course.pk, (None, ""))
            courses.append(
                CourseResult(
                    course=course,
                    transcript=line,
                    match=how,
                    conversion=convert(scale, source, line.grade) if line else None,
                )
            )
        results.append(GroupResult(group=group, courses=courses))
    dropped, _left = match_transcript(tables.dropped_groups, unmatched)
    dropped_by_line: dict[int, AgreementGroup] = {}
    for group in tables.dropped_groups:
        for course in group.foreign:
            if course.pk in dropped:
                dropped_by_line[dropped[course.pk][0].pk] = group
    extra = [
        ExtraLine(
            transcript=line,
            dropped_group=dropped_by_line.get(line.pk),
            conversion=convert(scale, source, line.grade),
        )
        for line in unmatched
    ]
    return RecognitionDraft(
        case=case,
        tables=tables,
        scale=scale,
        scale_source=source,
        groups=results,
        extra=extra,
        transcript=transcript,
    )
