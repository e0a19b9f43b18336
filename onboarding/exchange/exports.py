"""Agreements and factsheets as EWP-shaped JSON, and the check of that shape (docs/exchange.md).

The document holds the partners (``heis``, keyed by ``hei-id``, the SCHAC
code) and the agreements (``agreements``), with ISCED-F 2013 codes, CEFR
levels and academic terms as in Erasmus Without Paper. ``imports.py`` reads it
back, so an export can be imported again.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .models import MONTH_DAY, Agreement, Institution, MobilityFormat, StudyLevel
from .selectors import agreements_with_details

FORMAT_NAME = "velkommen-ewp-agreements"
FORMAT_VERSION = 1
LANGUAGES = ("nb", "en")
# EQF levels of the study levels, as EWP states them.
EQF_LEVEL = {StudyLevel.BACHELOR: 6, StudyLevel.MASTER: 7, StudyLevel.PHD: 8}
# Academic terms as EWP numbers them: term 1 of 2 (autumn), term 2 of 2 (spring).
TERMS = {
    "autumn": {"term-number": 1, "total-terms": 2},
    "spring": {"term-number": 2, "total-terms": 2},
}
CONTACT_TOPICS = ("housing", "visa", "insurance")
REQUIREMENTS = {
    "motivation-letter": "requires_motivation_letter",
    "transcript-of-records": "requires_transcript",
    "language-certificate": "requires_language_certificate",
    "cv": "requires_cv",
}
TEXTS = {
    "nomination-criteria": "nomination_criteria",
    "accessibility": "accessibility_info",
}


def _texts(instance: Any, field: str) -> list[dict[str, str]]:
    """EWP's multilingual string: one ``{"lang", "text"}`` per language that has a text."""
    return [
        {"lang": lang, "text": value}
        for lang in LANGUAGES
        if (value := getattr(instance, f"{field}_{lang}") or "")
    ]


def institution_export(institution: Institution) -> dict[str, Any]:
    return {
        "hei-id": institution.schac_code,
        "erasmus-code": institution.erasmus_code or None,
        "name": _texts(institution, "name"),
        "country": str(institution.country),
        "city": institution.city,
        "website-url": institution.website or None,
    }


def agreement_export(agreement: Agreement) -> dict[str, Any]:
    """One agreement with its factsheet; the agreement's related rows must be fetched."""
    factsheet: dict[str, Any] = {
        "nomination-deadlines": {
            "autumn": agreement.nomination_autumn or None,
            "spring": agreement.nomination_spring or None,
        },
        "application-deadlines": {
            "autumn": agreement.application_autumn or None,
            "spring": agreement.application_spring or None,
        },
        "decision-weeks-limit": agreement.decision_weeks,
        "tor-weeks-limit": agreement.transcript_weeks,
        "additional-requirements": [
            name for name, field in REQUIREMENTS.items() if getattr(agreement, field)
        ],
    }
    for key, field in TEXTS.items():
        factsheet[key] = _texts(agreement, field)
    for topic in CONTACT_TOPICS:
        factsheet[topic] = {
            "info": _texts(agreement, f"{topic}_info"),
            "email": getattr(agreement, f"{topic}_email") or None,
            "phone": getattr(agreement, f"{topic}_phone") or None,
            "url": getattr(agreement, f"{topic}_url") or None,
        }
    return {
        "iia-id": agreement.reference,
        "type": agreement.agreement_type,
        "mobility-format": agreement.mobility_format,
        "partner-hei-id": agreement.institution.schac_code,
        # The Norwegian address name: the same whatever the language of the request.
        "owner-unit": agreement.owner_unit.slug_nb,
        "isced-f-codes": sorted(field.code for field in agreement.subject_areas.all()),
        "study-levels": agreement.levels,
        "eqf-levels": [EQF_LEVEL[level] for level in agreement.levels],  # type: ignore[index]
        "recommended-language-skills": [
            {"language": row.language, "cefr-level": row.cefr} for row in agreement.languages.all()
        ],
        "academic-terms": [{"season": season, **TERMS[season]} for season in agreement.seasons],
        "mobilities-per-year": {
            "outgoing": {"places": agreement.places_out, "months": agreement.months_out},
            "incoming": {"places": agreement.places_in, "months": agreement.months_in},
        },
        "days": agreement.days,
        "takes-placements": agreement.takes_placements,
        "valid-from": agreement.valid_from.isoformat(),
        "valid-to": agreement.valid_to.isoformat(),
        "package": {
            "is-package": agreement.is_package,
            "courses": _texts(agreement, "package_courses"),
        },
        "grant": {"available": agreement.has_grant, "info": _texts(agreement, "grant_info")},
        "factsheet": factsheet,
        "last-confirmed": agreement.last_confirmed.date().isoformat(),
    }


def agreements_export(
    agreements: Iterable[Agreement] | QuerySet[Agreement] | None = None,
    *,
    now: datetime.datetime | None = None,
) -> dict[str, Any]:
    """The document: every agreement (or those given) and the partners they name."""
    if agreements is None:
        agreements = Agreement.objects.all()
    if isinstance(agreements, QuerySet):
        agreements = agreements.select_related("institution", "owner_unit").order_by("reference")
    rows = agreements_with_details(list(agreements))
    institutions = {a.institution.schac_code: a.institution for a in rows}
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "generated": (now or timezone.now()).replace(microsecond=0).isoformat(),
        "heis": [institution_export(institutions[code]) for code in sorted(institutions)],
        "agreements": [agreement_export(a) for a in sorted(rows, key=lambda a: a.reference)],
    }


# --- The shape, checked ---------------------------------------------------------------


def _check_texts(value: Any, where: str, problems: list[str]) -> None:
    if not isinstance(value, list) or not all(
        isinstance(t, dict) and t.get("lang") in LANGUAGES and isinstance(t.get("text"), str)
        for t in value
    ):
        problems.append(f"{where}: a list of {{lang, text}} in nb or en")


def _check_optional(
    value: Any, kind: type | tuple[type, ...], where: str, problems: list[str]
) -> None:
    if value is not None and not isinstance(value, kind):
        problems.append(f"{where}: wrong type")


def export_shape_problems(document: Any) -> list[str]:
    """What in ``document`` departs from the documented shape; empty when it conforms."""
    problems: list[str] = []
    if not isinstance(document, dict):
        return ["the document is not an object"]
    if document.get("format") != FORMAT_NAME or document.get("version") != FORMAT_VERSION:
        problems.append("format/version")
    heis = document.get("heis")
    agreements = document.get("agreements")
    if not isinstance(heis, list) or not isinstance(agreements, list):
        return [*problems, "heis and agreements must be lists"]
    hei_ids = set()
    for index, hei in enumerate(heis):
        where = f"heis[{index}]"
        if not isinstance(hei, dict) or not isinstance(hei.get("hei-id"), str):
            problems.append(f"{where}: hei-id")
            continue
        hei_ids.add(hei["hei-id"])
        _check_texts(hei.get("name"), f"{where}.name", problems)
        if not (isinstance(hei.get("country"), str) and len(hei["country"]) == 2):
            problems.append(f"{where}.country: ISO 3166 alpha-2")
        _check_optional(hei.get("erasmus-code"), str, f"{where}.erasmus-code", problems)
        _check_optional(hei.get("website-url"), str, f"{where}.website-url", problems)
    for index, agreement in enumerate(agreements):
        where = f"agreements[{index}]"
        if not isinstance(agreement, dict):
            problems.append(f"{where}: not an object")
            continue
        for key in ("iia-id", "type", "owner-unit", "valid-from", "valid-to", "last-confirmed"):
            if not isinstance(agreement.get(key), str):
                problems.append(f"{where}.{key}: a string")
        if agreement.get("partner-hei-id") not in hei_ids:
            problems.append(f"{where}.partner-hei-id: names no hei")
        if agreement.get("mobility-format") not in MobilityFormat.values:
            problems.append(f"{where}.mobility-format")
        codes = agreement.get("isced-f-codes")
        if (
            not isinstance(codes, list)
            or not codes
            or not all(isinstance(c, str) and len(c) == 4 and c.isdigit() for c in codes)
        ):
            problems.append(f"{where}.isced-f-codes: four-digit ISCED-F 2013 codes")
        levels = agreement.get("study-levels")
        if not isinstance(levels, list) or not levels or not set(levels) <= set(StudyLevel.values):
            problems.append(f"{where}.study-levels")
        skills = agreement.get("recommended-language-skills")
        if not isinstance(skills, list) or not all(
            isinstance(s, dict)
            and isinstance(s.get("language"), str)
            and s.get("cefr-level") in ("A1", "A2", "B1", "B2", "C1", "C2")
            for s in skills
        ):
            problems.append(f"{where}.recommended-language-skills: language and CEFR level")
        terms = agreement.get("academic-terms")
        if not isinstance(terms, list) or not all(
            isinstance(t, dict) and t.get("season") in TERMS and t.get("total-terms") == 2
            for t in terms
        ):
            problems.append(f"{where}.academic-terms")
        per_year = agreement.get("mobilities-per-year")
        if not isinstance(per_year, dict) or not all(
            isinstance(per_year.get(d), dict)
            and isinstance(per_year[d].get("places"), int)
            and isinstance(per_year[d].get("months"), int)
            for d in ("outgoing", "incoming")
        ):
            problems.append(f"{where}.mobilities-per-year")
        factsheet = agreement.get("factsheet")
        if not isinstance(factsheet, dict):
            problems.append(f"{where}.factsheet")
            continue
        for kind in ("nomination-deadlines", "application-deadlines"):
            deadlines = factsheet.get(kind)
            if not isinstance(deadlines, dict) or not all(
                deadlines.get(s) is None or MONTH_DAY.match(str(deadlines.get(s)))
                for s in ("autumn", "spring")
            ):
                problems.append(f"{where}.factsheet.{kind}: --MM-DD or null")
        for topic in CONTACT_TOPICS:
            contact = factsheet.get(topic)
            if not isinstance(contact, dict):
                problems.append(f"{where}.factsheet.{topic}")
                continue
            _check_texts(contact.get("info"), f"{where}.factsheet.{topic}.info", problems)
        for key in TEXTS:
            _check_texts(factsheet.get(key), f"{where}.factsheet.{key}", problems)
        if not set(factsheet.get("additional-requirements") or []) <= set(REQUIREMENTS):
            problems.append(f"{where}.factsheet.additional-requirements")
    return problems
