"""Reading partners and agreements from CSV (one documented column layout) or the JSON export.

Each row is written through the services inside its own savepoint, so a row
is checked exactly as an edit in the admin would be. The whole file runs in
one transaction: if any row fails, nothing is kept, unless the caller asked to
import the valid rows. Rows are matched by agreement reference and SCHAC code,
so importing the same file again changes nothing.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from onboarding.units.kinds import UnitKind
from onboarding.units.models import UnitPage

from .errors import ExchangeError, ImportRowError
from .exports import CONTACT_TOPICS, REQUIREMENTS, TEXTS
from .models import AgreementType, MobilityFormat, StudyLevel
from .services import agreement_save, institution_save

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User

# The CSV columns, in order (docs/exchange.md describes each). Lists inside a
# cell are separated by ";"; languages are "en:B2;de:B1"; booleans are yes/no.
COLUMNS = (
    "reference",
    "hei_id",
    "institution_name_nb",
    "institution_name_en",
    "country",
    "city",
    "website",
    "erasmus_code",
    "type",
    "format",
    "owner_unit",
    "isced",
    "levels",
    "languages",
    "semesters",
    "places_out",
    "months_out",
    "places_in",
    "months_in",
    "days",
    "takes_placements",
    "valid_from",
    "valid_to",
    "nomination_autumn",
    "nomination_spring",
    "application_autumn",
    "application_spring",
    "decision_weeks",
    "transcript_weeks",
    "requirements",
    "nomination_criteria_nb",
    "nomination_criteria_en",
    "housing_info_nb",
    "housing_info_en",
    "housing_email",
    "housing_phone",
    "housing_url",
    "visa_info_nb",
    "visa_info_en",
    "visa_email",
    "visa_phone",
    "visa_url",
    "insurance_info_nb",
    "insurance_info_en",
    "insurance_email",
    "insurance_phone",
    "insurance_url",
    "accessibility_info_nb",
    "accessibility_info_en",
    "package",
    "package_courses_nb",
    "package_courses_en",
    "grant",
    "grant_info_nb",
    "grant_info_en",
)
REQUIRED = (
    "reference",
    "hei_id",
    "institution_name_en",
    "country",
    "city",
    "owner_unit",
    "isced",
    "levels",
    "languages",
    "valid_from",
    "valid_to",
)
YES = {"yes", "ja", "true", "1", "y"}
NO = {"no", "nei", "false", "0", "n", ""}
# Package courses are one a line in the admin and "|"-separated in a CSV cell.
COURSE_SEPARATOR = "|"

type Row = dict[str, str]


@dataclass
class RowError:
    line: int
    reference: str
    code: str
    message: str
    column: str | None = None


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    @property
    def failed(self) -> int:
        return len(self.errors)


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def _bool(row: Row, column: str) -> bool:
    value = (row.get(column) or "").strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ImportRowError(code="bad_boolean", message=_("Write yes or no."), field=column)


def _int(row: Row, column: str, *, optional: bool = False) -> int | None:
    value = (row.get(column) or "").strip()
    if not value and optional:
        return None
    try:
        number = int(value)
    except ValueError:
        raise ImportRowError(
            code="bad_number", message=_("Write a whole number."), field=column
        ) from None
    if number < 0:
        raise ImportRowError(code="bad_number", message=_("Write a whole number."), field=column)
    return number


def _date(row: Row, column: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat((row.get(column) or "").strip())
    except ValueError:
        raise ImportRowError(
            code="bad_date", message=_("Write the date as YYYY-MM-DD."), field=column
        ) from None


def _choice(row: Row, column: str, values: list[str]) -> str:
    value = (row.get(column) or "").strip().lower()
    if value not in values:
        raise ImportRowError(
            code="bad_choice",
            message=_("Write one of: %(values)s.") % {"values": ", ".join(values)},
            field=column,
        )
    return value


def owner_unit_find(slug: str) -> UnitPage:
    """The faculty or department whose Norwegian slug is ``slug``; refuses none and several."""
    units = list(
        UnitPage.objects.filter(
            slug_nb=slug.strip(), kind__in=(UnitKind.FACULTY, UnitKind.DEPARTMENT)
        )[:2]
    )
    if len(units) != 1:
        raise ImportRowError(
            code="unknown_unit",
            message=_("No single faculty or department has the address name “%(slug)s”.")
            % {"slug": slug},
            field="owner_unit",
        )
    return units[0]


def _texts(row: Row, name: str) -> dict[str, str]:
    return {f"{name}_{lang}": (row.get(f"{name}_{lang}") or "").strip() for lang in ("nb", "en")}


def _agreement_values(row: Row) -> dict[str, Any]:
    levels = _split(row.get("levels", "").lower())
    if not levels or not set(levels) <= set(StudyLevel.values):
        raise ImportRowError(
            code="bad_level",
            message=_("Study levels are bachelor, master and phd."),
            field="levels",
        )
    semesters = set(_split(row.get("semesters", "").lower()))
    if not semesters <= {"autumn", "spring"}:
        raise ImportRowError(
            code="bad_semester", message=_("Semesters are autumn and spring."), field="semesters"
        )
    requirements = set(_split(row.get("requirements", "").lower()))
    unknown = requirements - set(REQUIREMENTS)
    if unknown:
        raise ImportRowError(
            code="bad_requirement",
            message=_("Requirements are: %(values)s.") % {"values": ", ".join(REQUIREMENTS)},
            field="requirements",
        )
    values: dict[str, Any] = {
        "agreement_type": _choice(row, "type", AgreementType.values),
        "mobility_format": _choice(row, "format", MobilityFormat.values),
        "level_bachelor": StudyLevel.BACHELOR in levels,
        "level_master": StudyLevel.MASTER in levels,
        "level_phd": StudyLevel.PHD in levels,
        "autumn": "autumn" in semesters,
        "spring": "spring" in semesters,
        "places_out": _int(row, "places_out"),
        "months_out": _int(row, "months_out"),
        "places_in": _int(row, "places_in"),
        "months_in": _int(row, "months_in"),
        "days": _int(row, "days", optional=True),
        "takes_placements": _bool(row, "takes_placements"),
        "valid_from": _date(row, "valid_from"),
        "valid_to": _date(row, "valid_to"),
        "decision_weeks": _int(row, "decision_weeks", optional=True),
        "transcript_weeks": _int(row, "transcript_weeks", optional=True),
        "is_package": _bool(row, "package"),
        "has_grant": _bool(row, "grant"),
    }
    for column in (
        "nomination_autumn",
        "nomination_spring",
        "application_autumn",
        "application_spring",
    ):
        values[column] = (row.get(column) or "").strip()
    for name, model_field in REQUIREMENTS.items():
        values[model_field] = name in requirements
    for model_field in (*TEXTS.values(), *(f"{t}_info" for t in CONTACT_TOPICS), "grant_info"):
        values.update(_texts(row, model_field))
    for topic in CONTACT_TOPICS:
        for part in ("email", "phone", "url"):
            values[f"{topic}_{part}"] = (row.get(f"{topic}_{part}") or "").strip()
    for lang in ("nb", "en"):
        courses = (row.get(f"package_courses_{lang}") or "").split(COURSE_SEPARATOR)
        values[f"package_courses_{lang}"] = "\n".join(c.strip() for c in courses if c.strip())
    return values


def _languages(value: str) -> list[tuple[str, str]]:
    pairs = []
    for part in _split(value):
        language, _sep, cefr = part.partition(":")
        if not cefr:
            raise ImportRowError(
                code="bad_language",
                message=_("Write languages as language:level, for example en:B2;de:B1."),
                field="languages",
            )
        pairs.append((language, cefr))
    return pairs


def import_row(row: Row, *, user: User | AnonymousUser | None) -> str:
    """Write one row; returns "created", "updated" or "unchanged". Raises ``ExchangeError``."""
    missing = [column for column in REQUIRED if not (row.get(column) or "").strip()]
    if missing:
        raise ImportRowError(
            code="missing",
            message=_("Missing: %(columns)s.") % {"columns": ", ".join(missing)},
            field=missing[0],
        )
    institution, institution_changed = institution_save(
        user=user,
        schac_code=row["hei_id"],
        values={
            "name_nb": (row.get("institution_name_nb") or "").strip(),
            "name_en": row["institution_name_en"].strip(),
            "country": row["country"],
            "city": row["city"].strip(),
            "website": (row.get("website") or "").strip(),
            "erasmus_code": (row.get("erasmus_code") or "").strip(),
        },
    )
    reference = row["reference"].strip()
    from .models import Agreement

    existed = Agreement.objects.filter(reference=reference).exists()
    _agreement, changed = agreement_save(
        user=user,
        reference=reference,
        institution=institution,
        owner_unit=owner_unit_find(row["owner_unit"]),
        subject_codes=_split(row["isced"]),
        languages=_languages(row["languages"]),
        values=_agreement_values(row),
    )
    if not existed:
        return "created"
    return "updated" if changed or institution_changed else "unchanged"


def rows_import(
    rows: Iterable[Row],
    *,
    user: User | AnonymousUser | None = None,
    import_valid: bool = False,
    progress: Callable[[int], None] | None = None,
    first_line: int = 2,
) -> ImportResult:
    """Import ``rows``; nothing is kept if one fails unless ``import_valid``.

    ``progress`` is called after each row with the number of rows done.
    """
    result = ImportResult()
    seen: set[str] = set()
    with transaction.atomic():
        for number, row in enumerate(rows):
            line = first_line + number
            reference = (row.get("reference") or "").strip()
            result.rows += 1
            try:
                if reference in seen:
                    raise ImportRowError(
                        code="reference_twice",
                        message=_("This reference is already on an earlier row."),
                        field="reference",
                    )
                seen.add(reference)
                with transaction.atomic():
                    outcome = import_row(row, user=user)
                setattr(result, outcome, getattr(result, outcome) + 1)
            except ExchangeError as error:
                result.errors.append(
                    RowError(
                        line=line,
                        reference=reference,
                        code=error.code,
                        message=str(error.message),
                        column=error.extra.get("field"),
                    )
                )
            if progress is not None:
                progress(result.rows)
        if result.errors and not import_valid:
            transaction.set_rollback(True)
            result.created = result.updated = 0
            result.unchanged = 0
        else:
            result.written = True
    return result


# --- Readers ---------------------------------------------------------------------------


def csv_rows(text: str) -> list[Row]:
    """The rows of a CSV file in the documented layout (header row first, UTF-8, comma)."""
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ExchangeError(
            code="bad_header",
            message=_("The file lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)},
        )
    unknown = [column for column in header if column not in COLUMNS]
    if unknown:
        raise ExchangeError(
            code="bad_header",
            message=_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)},
        )
    return [dict(row) for row in reader]


def _text(values: list[dict[str, str]] | None, lang: str) -> str:
    return next((t["text"] for t in values or [] if t.get("lang") == lang), "")


def json_rows(text: str) -> list[Row]:
    """The rows of a JSON export (``exports.agreements_export``), as CSV rows."""
    try:
        document = json.loads(text)
        heis = {hei["hei-id"]: hei for hei in document["heis"]}
        agreements = document["agreements"]
    except (ValueError, KeyError, TypeError):
        raise ExchangeError(
            code="bad_json", message=_("This is not an agreements export.")
        ) from None
    return [dict(_json_row(a, heis)) for a in agreements]


def _json_row(agreement: dict[str, Any], heis: dict[str, Any]) -> Iterator[tuple[str, str]]:
    hei = heis.get(str(agreement.get("partner-hei-id")), {})
    factsheet = agreement.get("factsheet") or {}
    per_year = agreement.get("mobilities-per-year") or {}

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    def yes(value: Any) -> str:
        return "yes" if value else "no"

    yield "reference", text(agreement.get("iia-id"))
    yield "hei_id", text(agreement.get("partner-hei-id"))
    for lang in ("nb", "en"):
        yield f"institution_name_{lang}", _text(hei.get("name"), lang)
    yield "country", text(hei.get("country"))
    yield "city", text(hei.get("city"))
    yield "website", text(hei.get("website-url"))
    yield "erasmus_code", text(hei.get("erasmus-code"))
    yield "type", text(agreement.get("type"))
    yield "format", text(agreement.get("mobility-format"))
    yield "owner_unit", text(agreement.get("owner-unit"))
    yield "isced", ";".join(agreement.get("isced-f-codes") or [])
    yield "levels", ";".join(agreement.get("study-levels") or [])
    yield (
        "languages",
        ";".join(
            f"{s.get('language')}:{s.get('cefr-level')}"
            for s in agreement.get("recommended-language-skills") or []
        ),
    )
    yield "semesters", ";".join(t.get("season", "") for t in agreement.get("academic-terms") or [])
    for direction, suffix in (("outgoing", "out"), ("incoming", "in")):
        yield f"places_{suffix}", text((per_year.get(direction) or {}).get("places"))
        yield f"months_{suffix}", text((per_year.get(direction) or {}).get("months"))
    yield "days", text(agreement.get("days"))
    yield "takes_placements", yes(agreement.get("takes-placements"))
    yield "valid_from", text(agreement.get("valid-from"))
    yield "valid_to", text(agreement.get("valid-to"))
    for kind, prefix in (
        ("nomination-deadlines", "nomination"),
        ("application-deadlines", "application"),
    ):
        for season in ("autumn", "spring"):
            yield f"{prefix}_{season}", text((factsheet.get(kind) or {}).get(season))
    yield "decision_weeks", text(factsheet.get("decision-weeks-limit"))
    yield "transcript_weeks", text(factsheet.get("tor-weeks-limit"))
    yield "requirements", ";".join(factsheet.get("additional-requirements") or [])
    for key, model_field in TEXTS.items():
        for lang in ("nb", "en"):
            yield f"{model_field}_{lang}", _text(factsheet.get(key), lang)
    for topic in CONTACT_TOPICS:
        contact = factsheet.get(topic) or {}
        for lang in ("nb", "en"):
            yield f"{topic}_info_{lang}", _text(contact.get("info"), lang)
        for part in ("email", "phone", "url"):
            yield f"{topic}_{part}", text(contact.get(part))
    package = agreement.get("package") or {}
    yield "package", yes(package.get("is-package"))
    for lang in ("nb", "en"):
        yield (
            f"package_courses_{lang}",
            COURSE_SEPARATOR.join(_text(package.get("courses"), lang).splitlines()),
        )
    grant = agreement.get("grant") or {}
    yield "grant", yes(grant.get("available"))
    for lang in ("nb", "en"):
        yield f"grant_info_{lang}", _text(grant.get("info"), lang)


def file_rows(name: str, text: str) -> list[Row]:
    """The rows of ``text``: JSON for a ``.json`` file, otherwise the CSV layout."""
    if name.lower().endswith(".json"):
        return json_rows(text)
    return csv_rows(text)


def csv_template() -> str:
    """An empty CSV with the header row, for the admin's download."""
    out = io.StringIO()
    csv.writer(out).writerow(COLUMNS)
    return out.getvalue()
