"""Reading lists of earlier decisions from CSV (docs/approvals.md, "Importing earlier decisions").

An import has two steps. First every row is read and checked, and the rows are
gathered into decisions (the rows with the same ``decision_id``); nothing is
written. If any row is bad, the import ends there with a report of each bad row
(its line and a translated reason) and nothing is written. Otherwise every new
decision is written through ``services.precedents.precedent_create``, all in one
transaction: the whole list or nothing.

Each decision gets an import key, a hash of its deciding unit, its
``decision_id`` and its content, kept in ``CourseApproval.import_key``. A
decision whose key is already there is left alone, so importing the same list
again writes nothing and reports every decision as unchanged. A decision edited
in the list is another decision and is imported as a new one; correct a
decision already imported in the admin.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from onboarding.exchange.models import Institution, IscedField, StudyLevel
from onboarding.units.kinds import UnitKind
from onboarding.units.models import UnitPage

from .errors import ApprovalError, ImportRowError
from .models import CourseApproval, HomeKind, PrecedentSource, Taught, default_valid_until
from .permissions import may_edit_precedent_unit
from .services.precedents import precedent_check, precedent_create

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User

# The columns, in order (docs/approvals.md describes each). One row per course abroad.
COLUMNS = (
    "decision_id",
    "institution",
    "foreign_code",
    "foreign_title",
    "foreign_ects",
    "foreign_level",
    "foreign_url",
    "taught",
    "home_kind",
    "home_code",
    "home_title_nb",
    "home_title_en",
    "elective_level",
    "elective_field",
    "home_ects",
    "deciding_unit",
    "decided_on",
    "valid_until",
    "isced",
    "note",
)
# A file must have these columns (a cell may still be empty where the layout allows it).
REQUIRED_COLUMNS = (
    "decision_id",
    "institution",
    "foreign_code",
    "foreign_title",
    "foreign_ects",
    "home_code",
    "home_ects",
    "decided_on",
)
FOREIGN_COLUMNS = ("foreign_code", "foreign_title", "foreign_ects", "foreign_level", "foreign_url")
HOME_COLUMNS = (
    "home_kind",
    "home_code",
    "home_title_nb",
    "home_title_en",
    "elective_level",
    "elective_field",
    "home_ects",
)
# Said once per decision: on its first row, and on later rows either empty or the same.
DECISION_COLUMNS = (
    "institution",
    "deciding_unit",
    "decided_on",
    "valid_until",
    "isced",
    "note",
)
DECIDING_KINDS = (UnitKind.INTERNATIONAL_SECTION, UnitKind.FACULTY, UnitKind.DEPARTMENT)
MAX_DECISION_ID = 60
# The line of the file a row starts on (a quoted cell may hold line breaks).
LINE = "_line"

type Row = dict[str, str]
# ``progress(phase, done, total)``: phase "checking" (rows) or "writing" (decisions).
type Progress = Callable[[str, int, int], None]


@dataclass
class RowError:
    line: int
    decision_id: str
    code: str
    message: str
    column: str | None = None


@dataclass
class ImportResult:
    rows: int = 0
    decisions: int = 0
    created: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    @property
    def failed(self) -> int:
        return len(self.errors)


@dataclass
class PlannedDecision:
    """One decision of the file, gathered from its rows and checked; not written yet."""

    decision_id: str
    line: int
    values: dict[str, Any] = field(default_factory=dict)  # the decision's own columns
    seen: dict[str, int] = field(default_factory=dict)  # column -> line it was given on
    foreign: list[dict[str, Any]] = field(default_factory=list)
    home: list[dict[str, Any]] = field(default_factory=list)
    foreign_lines: dict[str, int] = field(default_factory=dict)
    home_lines: dict[tuple[str, ...], int] = field(default_factory=dict)
    key: str = ""

    def canonical(self) -> dict[str, Any]:
        """The decision's content as text, for its import key."""
        values = self.values

        def text(value: Any) -> Any:
            if isinstance(value, list | tuple):
                return [text(v) for v in value]
            if isinstance(value, dict):
                return {k: text(v) for k, v in sorted(value.items())}
            if isinstance(value, Institution):
                return value.schac_code
            if isinstance(value, UnitPage | IscedField):
                return str(value.pk)
            return "" if value is None else str(value)

        return {
            "decision_id": self.decision_id,
            "unit": text(values.get("deciding_unit")),
            "institution": text(values.get("institution")),
            "decided_on": text(values.get("decided_on")),
            "valid_until": text(values.get("valid_until")),
            "isced": text(values.get("isced")),
            "note": text(values.get("note")),
            "foreign": text(self.foreign),
            "home": text(self.home),
        }


def import_key(decision: PlannedDecision) -> str:
    """A hash of the decision's unit, ``decision_id`` and content (64 hex digits)."""
    data = json.dumps(decision.canonical(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


# --- Reading cells -----------------------------------------------------------------------------


def _cell(row: Row, column: str) -> str:
    return (row.get(column) or "").replace("\x00", "").strip()


def _ects(row: Row, column: str) -> Decimal:
    value = _cell(row, column).replace(",", ".")
    try:
        ects = Decimal(value)
    except (InvalidOperation, ValueError):
        ects = Decimal(-1)
    if (
        not ects.is_finite()
        or not Decimal("0.5") <= ects <= Decimal(120)
        or ects != ects.quantize(Decimal("0.1"))
    ):
        raise ImportRowError(
            code="bad_ects",
            message=_("Write the ECTS credits as a number from 0.5 to 120, like 7.5."),
            field=column,
        )
    return ects


def _date(row: Row, column: str) -> datetime.date:
    value = _cell(row, column)
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise ImportRowError(
        code="bad_date",
        message=_("Write the date as YYYY-MM-DD (or DD.MM.YYYY)."),
        field=column,
    )


def _choice(row: Row, column: str, values: Sequence[str], *, default: str = "") -> str:
    value = _cell(row, column).lower()
    if not value:
        return default
    if value not in values:
        raise ImportRowError(
            code="bad_choice",
            message=_("Write one of: %(values)s.") % {"values": ", ".join(v for v in values if v)},
            field=column,
        )
    return value


@dataclass
class Lookups:
    """The partners, units and subject areas a file names, each read once."""

    institutions: dict[str, Institution]
    units_by_id: dict[int, UnitPage]
    units_by_slug: dict[str, list[UnitPage]]
    fields: dict[str, IscedField]


def lookups_for(rows: Sequence[Row], *, default_unit: UnitPage | None) -> Lookups:
    """Read in three queries what ``rows`` refer to."""
    schac = {_cell(row, "institution").lower() for row in rows} - {""}
    named = {_cell(row, "deciding_unit") for row in rows} - {""}
    ids = {int(name) for name in named if name.isdigit() and len(name) <= 18}
    slugs = {name.lower() for name in named if not name.isdigit()}
    institutions = {i.schac_code: i for i in Institution.objects.filter(schac_code__in=schac)}
    units = (
        list(
            UnitPage.objects.filter(kind__in=DECIDING_KINDS).filter(
                Q(pk__in=ids) | Q(slug_nb__in=slugs) | Q(slug_en__in=slugs)
            )
        )
        if named
        else []
    )
    by_slug: dict[str, list[UnitPage]] = {}
    for unit in units:
        for slug in {unit.slug_nb, unit.slug_en} - {None, ""}:
            by_slug.setdefault(str(slug).lower(), []).append(unit)
    by_id = {unit.pk: unit for unit in units}
    if default_unit is not None:
        by_id.setdefault(default_unit.pk, default_unit)
    return Lookups(
        institutions=institutions,
        units_by_id=by_id,
        units_by_slug=by_slug,
        fields={f.code: f for f in IscedField.objects.all()},
    )


def _unit(value: str, lookups: Lookups) -> UnitPage:
    if value.isdigit():
        unit = lookups.units_by_id.get(int(value)) if len(value) <= 18 else None
        if unit is not None:
            return unit
    else:
        units = lookups.units_by_slug.get(value.lower(), [])
        if len(units) == 1:
            return units[0]
        if len(units) > 1:
            raise ImportRowError(
                code="unit_ambiguous",
                message=_("Several units have the address name “%(slug)s”: give the unit's number.")
                % {"slug": value},
                field="deciding_unit",
            )
    raise ImportRowError(
        code="unknown_unit",
        message=_("No faculty, department or International Section is “%(unit)s”.")
        % {"unit": value},
        field="deciding_unit",
    )


def _field(value: str, lookups: Lookups, column: str) -> IscedField:
    found = lookups.fields.get(value)
    if found is None:
        raise ImportRowError(
            code="unknown_isced",
            message=_("“%(code)s” is not a four-digit ISCED-F field, like 0613.") % {"code": value},
            field=column,
        )
    return found


def _decision_values(
    row: Row,
    lookups: Lookups,
    *,
    default_unit: UnitPage | None,
    user: User | AnonymousUser | None,
) -> dict[str, Any]:
    """The decision's own columns given on ``row`` (only those filled in)."""
    values: dict[str, Any] = {}
    schac = _cell(row, "institution").lower()
    if schac:
        institution = lookups.institutions.get(schac)
        if institution is None:
            raise ImportRowError(
                code="unknown_institution",
                message=_("No partner institution has the SCHAC code “%(code)s”.")
                % {"code": schac},
                field="institution",
            )
        values["institution"] = institution
    unit_name = _cell(row, "deciding_unit")
    if unit_name:
        values["deciding_unit"] = _unit(unit_name, lookups)
    elif default_unit is not None:
        values["deciding_unit"] = default_unit
    unit = values.get("deciding_unit")
    if unit is not None and user is not None and not may_edit_precedent_unit(user=user, unit=unit):
        raise ImportRowError(
            code="forbidden_unit",
            message=_("You do not keep the earlier decisions of %(unit)s.") % {"unit": unit.title},
            field="deciding_unit",
        )
    if _cell(row, "decided_on"):
        values["decided_on"] = _date(row, "decided_on")
    if _cell(row, "valid_until"):
        values["valid_until"] = _date(row, "valid_until")
    if _cell(row, "isced"):
        values["isced"] = _field(_cell(row, "isced"), lookups, "isced")
    if _cell(row, "note"):
        values["note"] = _cell(row, "note")
    return values


def _foreign_course(row: Row) -> dict[str, Any] | None:
    if not any(_cell(row, column) for column in (*FOREIGN_COLUMNS, "taught")):
        return None
    missing = [c for c in ("foreign_code", "foreign_title", "foreign_ects") if not _cell(row, c)]
    if missing:
        raise ImportRowError(
            code="foreign_incomplete",
            message=_("A course abroad needs its code, its title and its ECTS credits."),
            field=missing[0],
        )
    code, title, url = (
        _cell(row, "foreign_code"),
        _cell(row, "foreign_title"),
        _cell(row, "foreign_url"),
    )
    if len(code) > 40 or len(title) > 255 or len(url) > 200:
        raise ImportRowError(
            code="too_long",
            message=_("A code has at most 40 characters, a title 255 and an address 200."),
            field="foreign_code"
            if len(code) > 40
            else "foreign_title"
            if len(title) > 255
            else "foreign_url",
        )
    if url and not url.lower().startswith(("http://", "https://")):
        raise ImportRowError(
            code="bad_url",
            message=_("Write the course page's full address, starting with https://."),
            field="foreign_url",
        )
    return {
        "code": code,
        "title": title,
        "ects": _ects(row, "foreign_ects"),
        "level": _choice(row, "foreign_level", StudyLevel.values, default=StudyLevel.BACHELOR),
        "url": url,
        "taught": _choice(row, "taught", Taught.values, default=""),
    }


def _home_course(row: Row, lookups: Lookups) -> dict[str, Any] | None:
    if not any(_cell(row, column) for column in HOME_COLUMNS):
        return None
    kind = _cell(row, "home_kind").lower()
    if not kind:
        elective = _cell(row, "elective_level") or _cell(row, "elective_field")
        kind = HomeKind.ELECTIVE if elective and not _cell(row, "home_code") else HomeKind.COURSE
    kind = _choice({"home_kind": kind}, "home_kind", HomeKind.values)
    if not _cell(row, "home_ects"):
        raise ImportRowError(
            code="home_incomplete",
            message=_("Give the ECTS credits of what the courses count as."),
            field="home_ects",
        )
    ects = _ects(row, "home_ects")
    if kind == HomeKind.COURSE:
        code = _cell(row, "home_code")
        title_nb, title_en = _cell(row, "home_title_nb"), _cell(row, "home_title_en")
        if not code or not (title_nb or title_en):
            raise ImportRowError(
                code="home_incomplete",
                message=_(
                    "A course of ours needs its code and its title (in one language at least)."
                ),
                field="home_code" if not code else "home_title_nb",
            )
        if len(code) > 40 or len(title_nb) > 255 or len(title_en) > 255:
            raise ImportRowError(
                code="too_long",
                message=_("A code has at most 40 characters, a title 255 and an address 200."),
                field="home_code",
            )
        return {
            "kind": kind,
            "code": code,
            "title_nb": title_nb or title_en,
            "title_en": title_en or title_nb,
            "ects": ects,
        }
    level = _choice(row, "elective_level", StudyLevel.values)
    if not level or not _cell(row, "elective_field"):
        raise ImportRowError(
            code="elective_incomplete",
            message=_("An elective needs its level and its ISCED-F subject area."),
            field="elective_level" if not level else "elective_field",
        )
    return {
        "kind": kind,
        "elective_level": level,
        "elective_field": _field(_cell(row, "elective_field"), lookups, "elective_field"),
        "ects": ects,
    }


def _home_key(home: dict[str, Any]) -> tuple[str, ...]:
    if home["kind"] == HomeKind.ELECTIVE:
        return ("elective", home["elective_level"], home["elective_field"].pk)
    return ("course", home["code"].upper())


def _add_row(
    decision: PlannedDecision,
    row: Row,
    line: int,
    lookups: Lookups,
    *,
    default_unit: UnitPage | None,
    user: User | AnonymousUser | None,
) -> None:
    """Check ``row`` and add it to ``decision``; raises ``ImportRowError``."""
    values = _decision_values(row, lookups, default_unit=default_unit, user=user)
    for column, value in values.items():
        if column not in decision.values:
            decision.values[column] = value
            decision.seen[column] = line
        elif decision.values[column] != value:
            raise ImportRowError(
                code="decision_differs",
                message=_("The rows of one decision must agree: this differs from line %(line)s.")
                % {"line": decision.seen[column]},
                field=column,
            )
    course = _foreign_course(row)
    home = _home_course(row, lookups)
    if course is None and home is None:
        raise ImportRowError(
            code="empty_row",
            message=_("The row has neither a course abroad nor what it counts as."),
            field="foreign_code",
        )
    if course is not None:
        code = course["code"].upper()
        if code in decision.foreign_lines:
            raise ImportRowError(
                code="foreign_twice",
                message=_("This course is already in the decision, on line %(line)s.")
                % {"line": decision.foreign_lines[code]},
                field="foreign_code",
            )
        decision.foreign_lines[code] = line
        decision.foreign.append(course)
    if home is not None:
        key = _home_key(home)
        if key in decision.home_lines:
            earlier = next(h for h in decision.home if _home_key(h) == key)
            if earlier != home:
                raise ImportRowError(
                    code="home_differs",
                    message=_(
                        "This home course is in the decision already, on line %(line)s, "
                        "with other titles or credits."
                    )
                    % {"line": decision.home_lines[key]},
                    field="home_code",
                )
        else:
            decision.home_lines[key] = line
            decision.home.append(home)


def _finish(decision: PlannedDecision) -> None:
    """Check the gathered decision whole (as the service will); raises ``ApprovalError``."""
    missing = [
        c for c in ("institution", "deciding_unit", "decided_on") if c not in decision.values
    ]
    if missing:
        raise ImportRowError(
            code="decision_incomplete",
            message=_("A decision needs its partner institution, its deciding unit and its date."),
            field=missing[0],
        )
    if not decision.foreign:
        raise ImportRowError(
            code="no_foreign_course",
            message=_("The decision has no course abroad."),
            field="foreign_code",
        )
    if not decision.home:
        raise ImportRowError(
            code="no_home_course",
            message=_("The decision does not say what the courses count as."),
            field="home_code",
        )
    values = decision.values
    values.setdefault("valid_until", default_valid_until(values["decided_on"]))
    precedent_check(
        decided_on=values["decided_on"],
        valid_until=values["valid_until"],
        foreign=decision.foreign,
        home=decision.home,
    )
    decision.key = import_key(decision)


def decisions_plan(
    rows: Sequence[Row],
    *,
    user: User | AnonymousUser | None = None,
    default_unit: UnitPage | None = None,
    progress: Progress | None = None,
    first_line: int = 2,
) -> tuple[list[PlannedDecision], list[RowError]]:
    """Read and check ``rows`` into decisions, writing nothing: (decisions, errors)."""
    lookups = lookups_for(rows, default_unit=default_unit)
    decisions: dict[str, PlannedDecision] = {}
    errors: list[RowError] = []
    failed: set[str] = set()
    step = max(1, len(rows) // 100)
    for number, row in enumerate(rows):
        line = int(row.get(LINE) or first_line + number)
        if progress is not None and (number % step == 0):
            progress("checking", number, len(rows))
        if not any(_cell(row, column) for column in COLUMNS):
            continue
        decision_id = _cell(row, "decision_id")
        try:
            if not decision_id or len(decision_id) > MAX_DECISION_ID:
                raise ImportRowError(
                    code="bad_decision_id",
                    message=_("Give each row the decision it belongs to (at most 60 characters)."),
                    field="decision_id",
                )
            decision = decisions.setdefault(decision_id, PlannedDecision(decision_id, line))
            _add_row(decision, row, line, lookups, default_unit=default_unit, user=user)
        except ApprovalError as error:
            failed.add(decision_id)
            errors.append(
                RowError(
                    line, decision_id, error.code, str(error.message), error.extra.get("field")
                )
            )
    for decision in decisions.values():
        if decision.decision_id in failed:
            continue
        try:
            _finish(decision)
        except ApprovalError as error:
            column = error.extra.get("field")
            errors.append(
                RowError(
                    decision.line,
                    decision.decision_id,
                    error.code,
                    str(error.message),
                    column if column in COLUMNS else None,
                )
            )
    if progress is not None:
        progress("checking", len(rows), len(rows))
    errors.sort(key=lambda error: error.line)
    return list(decisions.values()), errors


def _existing_keys(keys: Iterable[str]) -> set[str]:
    keys = list(keys)
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        found.update(
            CourseApproval.objects.filter(import_key__in=keys[start : start + 500]).values_list(
                "import_key", flat=True
            )
        )
    return found


def rows_import(
    rows: Sequence[Row],
    *,
    user: User | AnonymousUser | None = None,
    default_unit: UnitPage | None = None,
    progress: Progress | None = None,
    first_line: int = 2,
) -> ImportResult:
    """Import ``rows``: check them all, then write every new decision in one transaction.

    Any bad row writes nothing. ``user`` None is the system (the command); otherwise
    each row's unit must be one whose decisions the user keeps. ``default_unit`` is the
    deciding unit of rows that name none. ``progress(phase, done, total)`` is told how far
    the checking (rows) and the writing (decisions) have come.
    """
    result = ImportResult(rows=sum(1 for row in rows if any(_cell(row, c) for c in COLUMNS)))
    decisions, errors = decisions_plan(
        rows, user=user, default_unit=default_unit, progress=progress, first_line=first_line
    )
    result.decisions = len(decisions)
    if errors:
        result.errors = errors
        return result
    existing = _existing_keys(decision.key for decision in decisions)
    new = [decision for decision in decisions if decision.key not in existing]
    step = max(1, len(new) // 100)
    actor = user if user is not None and user.is_authenticated else None
    try:
        with transaction.atomic():
            for number, decision in enumerate(new):
                if progress is not None and number % step == 0:
                    progress("writing", number, len(new))
                values = decision.values
                precedent_create(
                    institution=values["institution"],
                    deciding_unit=values["deciding_unit"],
                    decided_on=values["decided_on"],
                    valid_until=values["valid_until"],
                    isced=values.get("isced"),
                    note=values.get("note", ""),
                    foreign=decision.foreign,
                    home=decision.home,
                    source=PrecedentSource.IMPORT,
                    import_key=decision.key,
                    user=actor,
                )
    except IntegrityError:
        # Someone imported the same decisions at the same moment: theirs stand.
        result.errors = [
            RowError(
                first_line,
                "",
                "imported_meanwhile",
                _(
                    "Some of these decisions were imported by someone else meanwhile. Import the file again."
                ),
            )
        ]
        return result
    except ApprovalError as error:  # checked above; a unit's rights may change in between
        result.errors = [RowError(first_line, "", error.code, str(error.message))]
        return result
    if progress is not None:
        progress("writing", len(new), len(new))
    result.created = len(new)
    result.unchanged = len(decisions) - len(new)
    result.written = True
    return result


# --- Reading the file -----------------------------------------------------------------------


def csv_rows(text: str) -> list[Row]:
    """The rows of a CSV file in the documented layout: a header row first, UTF-8, comma- or
    semicolon-separated (as spreadsheets save it in Norway). Raises ``ApprovalError``."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    except csv.Error as error:
        raise ApprovalError(
            code="bad_file",
            message=_("The file cannot be read as CSV: %(error)s") % {"error": error},
        ) from None
    reader.fieldnames = header
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ApprovalError(
            code="bad_header",
            message=_("The file lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)},
        )
    unknown = [column for column in header if column not in COLUMNS]
    if unknown:
        raise ApprovalError(
            code="bad_header",
            message=_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)},
        )
    if len(set(header)) != len(header):
        raise ApprovalError(code="bad_header", message=_("A column is named twice."))
    try:
        rows = []
        line = reader.line_num + 1
        for row in reader:
            if None in row:  # more cells than columns
                row.pop(None)
            cells = {key: value or "" for key, value in row.items() if key}
            cells[LINE] = str(line)
            rows.append(cells)
            line = reader.line_num + 1
        return rows
    except csv.Error as error:
        raise ApprovalError(
            code="bad_file",
            message=_("The file cannot be read as CSV: %(error)s") % {"error": error},
        ) from None


def csv_template() -> str:
    """The header row and two example decisions (one a combination), for the admin's download."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    example = dict.fromkeys(COLUMNS, "")
    rows = [
        {
            **example,
            "decision_id": "2025-1",
            "institution": "tum.de",
            "foreign_code": "IN0001",
            "foreign_title": "Einführung in die Informatik",
            "foreign_ects": "6",
            "foreign_level": "bachelor",
            "taught": "autumn",
            "home_kind": "course",
            "home_code": "DAT100",
            "home_title_nb": "Grunnleggende programmering",
            "home_title_en": "Introduction to programming",
            "home_ects": "10",
            "deciding_unit": "institutt-for-datateknologi",
            "decided_on": "2025-03-04",
            "isced": "0613",
        },
        {
            **example,
            "decision_id": "2025-1",
            "foreign_code": "IN0002",
            "foreign_title": "Grundlagenpraktikum: Programmierung",
            "foreign_ects": "4",
            "taught": "autumn",
        },
        {
            **example,
            "decision_id": "2025-2",
            "institution": "tum.de",
            "foreign_code": "IN2064",
            "foreign_title": "Machine Learning",
            "foreign_ects": "8",
            "foreign_level": "master",
            "home_kind": "elective",
            "elective_level": "master",
            "elective_field": "0613",
            "home_ects": "7.5",
            "deciding_unit": "institutt-for-datateknologi",
            "decided_on": "2025-03-04",
            "valid_until": "2028-03-04",
            "note": "Only with the lab.",
        },
    ]
    for row in rows:
        writer.writerow([row[column] for column in COLUMNS])
    return out.getvalue()
