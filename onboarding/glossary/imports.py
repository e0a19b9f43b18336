"""Import terms from a termbase: TBX (ISO 30042) or CSV (docs/glossary.md).

``glossary_import`` reads a whole file in one transaction: every good entry
is created or brought up to date, every bad one is reported with its entry id
or row number and the reason, and left out. Running it twice changes nothing:
an entry is matched to a term by its source id (the TBX entry's ``id``, the
CSV's ``id`` column), else by its name in either language.

TBX: both the current shape (``<conceptEntry>/<langSec xml:lang>/<termSec>``)
and the older TBX-Basic one (``<termEntry>/<langSet>/<tig>``). Read are each
term's ``termNote type="termType"`` (abbreviations, acronyms, short forms and
initialisms become abbreviations) and ``termNote type="administrativeStatus"``
(admitted terms become synonyms; deprecated and superseded ones are left out),
``descrip type="definition"`` per language and ``descrip
type="subjectField"`` (an ISCED-F code, or a field's name in either language),
and ``admin type="responsibility"`` for the owning unit's slug.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from onboarding.exchange.models import IscedField
from onboarding.units.models import UnitPage

from .errors import GlossaryError, ImportFileError
from .models import LANGUAGES, Term, fold, lines
from .services import TRANSLATED, term_save

FORMATS = ("tbx", "csv")
CSV_HEADER = (
    "id",
    "term_nb",
    "term_en",
    "synonyms_nb",
    "synonyms_en",
    "abbreviations_nb",
    "abbreviations_en",
    "definition_nb",
    "definition_en",
    "isced",
    "owner",
)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Language tags of Norwegian Bokmål and English as termbases write them (nb, nob, no, nb-NO...).
LANGUAGE_TAGS = {"nb": "nb", "nob": "nb", "no": "nb", "nor": "nb", "en": "en", "eng": "en"}
ABBREVIATION_TYPES = {"abbreviation", "acronym", "shortform", "initialism", "clippedterm"}
LEFT_OUT_STATUSES = {"deprecatedterm-admn-sts", "supersededterm-admn-sts", "deprecatedterm"}
FIELD_CODE = re.compile(r"^\s*(\d{4})\b")


@dataclass
class ParsedEntry:
    """One entry of a file: its reference for reports, and what it says."""

    ref: str
    source_id: str
    values: dict[str, str]
    subject: str = ""
    owner: str = ""


@dataclass(frozen=True)
class ImportProblem:
    ref: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged


def language_of(tag: str) -> str | None:
    """ "nb" or "en" for a language tag a termbase uses (``nb-NO``, ``nob``, ``en-GB``), else
    None (Nynorsk and other languages are left out)."""
    primary = re.split(r"[-_]", (tag or "").strip().lower())[0]
    return LANGUAGE_TAGS.get(primary)


# --- TBX ---------------------------------------------------------------------------------------


def _local(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _find_all(element: Element, name: str) -> Iterator[Element]:
    return (child for child in element.iter() if _local(child) == name)


def _typed(element: Element, name: str, kind: str) -> list[Element]:
    return [child for child in _find_all(element, name) if child.get("type") == kind]


def _first_text(elements: list[Element]) -> str:
    return next((_text(element) for element in elements if _text(element)), "")


def _language_values(section: Element, term_name: str) -> dict[str, list[str] | str]:
    """The term, synonyms, abbreviations and definition of one language section."""
    main: list[str] = []
    synonyms: list[str] = []
    abbreviations: list[str] = []
    for term_section in _find_all(section, term_name):
        term = _first_text(list(_find_all(term_section, "term")))
        if not term:
            continue
        kinds = {
            fold(_text(note)).replace(" ", "")
            for note in _typed(term_section, "termNote", "termType")
        }
        status = fold(_first_text(_typed(term_section, "termNote", "administrativeStatus")))
        status = status.replace(" ", "")
        if status in LEFT_OUT_STATUSES:
            continue
        if kinds & ABBREVIATION_TYPES:
            abbreviations.append(term)
        elif not main and "admitted" not in status:
            main.append(term)
        else:
            synonyms.append(term)
    if not main and synonyms:
        main.append(synonyms.pop(0))
    if not main and abbreviations:
        main.append(abbreviations.pop(0))
    return {
        "term": main[0] if main else "",
        "synonyms": synonyms,
        "abbreviations": abbreviations,
        "definition": _first_text(_typed(section, "descrip", "definition")),
    }


def tbx_entries(data: bytes) -> list[ParsedEntry | ImportProblem]:
    """The entries of a TBX file (either shape), each parsed or a problem.

    Raises ``ImportFileError`` ``bad_format`` when the file is not TBX.
    """
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise ImportFileError(
            code="bad_format",
            message=_("The file is not readable TBX: %(error)s") % {"error": error},
        ) from error
    entries = list(_find_all(root, "conceptEntry"))
    shape = ("langSec", "termSec")
    if not entries:
        entries = list(_find_all(root, "termEntry"))
        shape = ("langSet", "tig")
    if not entries and _local(root) not in ("tbx", "martif"):
        raise ImportFileError(code="bad_format", message=_("The file is not TBX."))
    results: list[ParsedEntry | ImportProblem] = []
    for number, entry in enumerate(entries, start=1):
        source_id = (entry.get("id") or "").strip()
        ref = (
            _("Entry %(id)s") % {"id": source_id}
            if source_id
            else _("Entry number %(number)s") % {"number": number}
        )
        values = {f"{name}_{language}": "" for name in TRANSLATED for language in LANGUAGES}
        for section in (child for child in entry if _local(child) == shape[0]):
            language = language_of(section.get(XML_LANG) or section.get("lang") or "")
            if language is None:
                continue
            found = _language_values(section, shape[1])
            for name in TRANSLATED:
                value = found[name]
                values[f"{name}_{language}"] = (
                    "\n".join(value) if isinstance(value, list) else value
                )
        # The subject field and owner belong to the entry, not to a language section.
        own = [child for child in entry if _local(child) not in shape[:1]]
        subject = _first_text(
            [e for child in own for e in _typed(child, "descrip", "subjectField")]
        )
        owner = _first_text([e for child in own for e in _typed(child, "admin", "responsibility")])
        results.append(
            ParsedEntry(ref=ref, source_id=source_id, values=values, subject=subject, owner=owner)
        )
    return results


# --- CSV ---------------------------------------------------------------------------------------


def _cell_lines(value: str) -> str:
    """Synonyms and abbreviations in a cell: separated by semicolons or new lines."""
    return "\n".join(part.strip() for part in re.split(r"[;\n]", value or "") if part.strip())


def csv_entries(text: str) -> list[ParsedEntry | ImportProblem]:
    """The rows of a CSV file with the documented header, each parsed or a problem.

    Raises ``ImportFileError`` ``bad_header`` when a column is missing.
    """
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in CSV_HEADER if name not in header]
    if missing:
        raise ImportFileError(
            code="bad_header",
            message=_("The CSV header lacks the columns %(columns)s.")
            % {"columns": ", ".join(missing)},
        )
    reader.fieldnames = header
    results: list[ParsedEntry | ImportProblem] = []
    for row in reader:
        ref = _("Row %(number)s") % {"number": reader.line_num}
        if None in row:
            results.append(
                ImportProblem(ref=ref, message=_("The row has more cells than the header."))
            )
            continue
        cells = {key: (value or "").strip() for key, value in row.items()}
        if not any(cells.values()):
            continue
        values = {}
        for name in TRANSLATED:
            for language in LANGUAGES:
                value = cells.get(f"{name}_{language}", "")
                values[f"{name}_{language}"] = (
                    _cell_lines(value) if name in ("synonyms", "abbreviations") else value
                )
        results.append(
            ParsedEntry(
                ref=ref,
                source_id=cells.get("id", ""),
                values=values,
                subject=cells.get("isced", ""),
                owner=cells.get("owner", ""),
            )
        )
    return results


# --- The import --------------------------------------------------------------------------------


def _unit_by_slug(slug: str) -> UnitPage | None:
    slug = slug.strip()
    if not slug:
        return None
    return (
        UnitPage.objects.filter(Q(slug=slug) | Q(slug_nb=slug) | Q(slug_en=slug))
        .order_by("path")
        .first()
    )


class _Fields:
    """The ISCED-F fields by code and by folded name in either language, read once."""

    def __init__(self) -> None:
        self.by_code: dict[str, IscedField] = {}
        self.by_name: dict[str, IscedField] = {}
        for isced in IscedField.objects.all():
            self.by_code[isced.code] = isced
            for language in LANGUAGES:
                name = getattr(isced, f"name_{language}", "") or ""
                if name:
                    self.by_name[fold(name)] = isced

    def get(self, text: str) -> IscedField | None:
        match = FIELD_CODE.match(text or "")
        if match:
            return self.by_code.get(match.group(1))
        return self.by_name.get(fold(text or ""))


def _match(entry: ParsedEntry) -> Term | None:
    if entry.source_id:
        found = Term.objects.filter(source_id=entry.source_id).first()
        if found is not None:
            return found
    condition = Q()
    for language in LANGUAGES:
        name = entry.values[f"term_{language}"]
        if name:
            condition |= Q(**{f"term_{language}__iexact": name})
    if not condition:
        return None
    return Term.objects.filter(condition).order_by("pk").first()


def _same(
    term: Term, entry: ParsedEntry, *, isced: IscedField, owner: UnitPage, single: str
) -> bool:
    return (
        all((getattr(term, key) or "") == value for key, value in entry.values.items())
        and term.field_id == isced.pk
        and term.owner_id == owner.pk
        and term.single_language == single
        and (not entry.source_id or term.source_id == entry.source_id)
    )


def _normalised(values: dict[str, str]) -> dict[str, str]:
    normal = {}
    for key, value in values.items():
        value = (value or "").strip()
        if key.startswith(("synonyms_", "abbreviations_")):
            value = "\n".join(dict.fromkeys(lines(value)))
        normal[key] = value
    return normal


def entries_import(
    entries: Iterable[ParsedEntry | ImportProblem],
    *,
    owner: UnitPage | None = None,
    default_field: IscedField | None = None,
) -> ImportResult:
    """Create or update a term for each good entry, in one transaction; report the rest."""
    result = ImportResult()
    fields = _Fields()
    units: dict[str, UnitPage | None] = {}
    with transaction.atomic():
        for entry in entries:
            if isinstance(entry, ImportProblem):
                result.problems.append(entry)
                continue
            entry.values = _normalised(entry.values)
            problem = _entry_import(entry, result, fields, units, owner, default_field)
            if problem:
                result.problems.append(ImportProblem(ref=entry.ref, message=problem))
    return result


def _entry_import(
    entry: ParsedEntry,
    result: ImportResult,
    fields: _Fields,
    units: dict[str, UnitPage | None],
    owner: UnitPage | None,
    default_field: IscedField | None,
) -> str:
    """Import one entry; returns the reason it was left out, or ""."""
    present = [language for language in LANGUAGES if entry.values[f"term_{language}"]]
    if not present:
        return _("No term in Norwegian or English.")
    isced = fields.get(entry.subject) if entry.subject else default_field
    if isced is None:
        if entry.subject:
            return _("Unknown subject field “%(field)s”: give an ISCED-F code such as 0311.") % {
                "field": entry.subject
            }
        return _("No subject field: give an ISCED-F code.")
    unit = owner
    if entry.owner:
        if entry.owner not in units:
            units[entry.owner] = _unit_by_slug(entry.owner)
        unit = units[entry.owner]
        if unit is None:
            return _("Unknown unit “%(unit)s”.") % {"unit": entry.owner}
    if unit is None:
        return _("No owning unit: give the unit's slug in the file or with --owner.")
    single = present[0] if len(present) == 1 else ""
    existing = _match(entry)
    if existing is not None and _same(existing, entry, isced=isced, owner=unit, single=single):
        result.unchanged += 1
        return ""
    try:
        with transaction.atomic():
            term_save(
                values=entry.values,
                field=isced,
                owner=unit,
                single_language=single,
                term=existing,
                source_id=entry.source_id,
            )
    except GlossaryError as error:
        return str(error.message)
    if existing is None:
        result.created += 1
    else:
        result.updated += 1
    return ""


def glossary_import(
    *,
    data: bytes,
    file_format: str,
    owner_slug: str = "",
    field_code: str = "",
) -> ImportResult:
    """Import a TBX or CSV file (``file_format`` "tbx" or "csv") in one transaction.

    ``owner_slug`` names the unit that owns every entry that names none;
    ``field_code`` the ISCED-F field of every entry that gives none. Returns
    the counts and the problems, each with its entry id or row number.
    Raises ``ImportFileError``: ``bad_format``, ``bad_header``, ``unreadable``,
    ``unknown_owner`` and ``unknown_field``.
    """
    owner = None
    if owner_slug:
        owner = _unit_by_slug(owner_slug)
        if owner is None:
            raise ImportFileError(
                code="unknown_owner", message=_("Unknown unit “%(unit)s”.") % {"unit": owner_slug}
            )
    default_field = None
    if field_code:
        default_field = IscedField.objects.filter(code=field_code).first()
        if default_field is None:
            raise ImportFileError(
                code="unknown_field",
                message=_("Unknown ISCED-F field “%(field)s”.") % {"field": field_code},
            )
    if file_format == "tbx":
        entries = tbx_entries(data)
    elif file_format == "csv":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                code="unreadable", message=_("The CSV file is not UTF-8 text.")
            ) from error
        entries = csv_entries(text)
    else:
        raise ImportFileError(code="bad_format", message=_("Choose TBX or CSV."))
    return entries_import(entries, owner=owner, default_field=default_field)


def format_of(name: str, given: str = "") -> str:
    """The format of a file: ``given``, else from its name (.tbx, .xml: TBX; else CSV)."""
    if given:
        return given
    return "tbx" if name.lower().endswith((".tbx", ".xml")) else "csv"


def describe(result: ImportResult) -> dict[str, Any]:
    return {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "problems": len(result.problems),
    }
