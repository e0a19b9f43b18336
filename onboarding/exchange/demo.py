"""Demo exchange data (``demo.toml``): partners, agreements, programmes, an outgoing student, reports.

Dates are relative to today. Safe to run again: partners are found by SCHAC
code, agreements by reference, programmes by code, people by email, reports by
agreement and title.
"""

from __future__ import annotations

import datetime
from typing import Any

from allauth.account.models import EmailAddress
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation

from cms.demo_data import Data, load
from onboarding.accounts.demo import demo_password_hash
from onboarding.accounts.models import StudentStatus
from onboarding.accounts.profile_services import profile_save
from onboarding.units.demo import demo_units
from onboarding.units.models import UnitPage

from .models import Agreement, ExperienceReport, ReportStatus
from .services import agreement_save, institution_save, programme_save, student_programme_set

DATA = load(__file__)
REQUIREMENT_FIELDS = {
    "motivation-letter": "requires_motivation_letter",
    "transcript": "requires_transcript",
    "language-certificate": "requires_language_certificate",
    "cv": "requires_cv",
}


def _texts(field: str, texts: Data) -> dict[str, str]:
    return {f"{field}_{lang}": texts.get(lang, "") for lang in ("nb", "en")}


def _agreement_values(spec: Data, partner: Data, today: datetime.date) -> dict[str, Any]:
    defaults = DATA["defaults"]
    seasons = spec["terms"]
    requirements = spec.get("requirements", defaults["requirements"])
    values: dict[str, Any] = {
        "agreement_type": spec.get("type", partner["type"]),
        "mobility_format": spec.get("format", "semester"),
        "level_bachelor": "bachelor" in spec["levels"],
        "level_master": "master" in spec["levels"],
        "level_phd": "phd" in spec["levels"],
        "autumn": "autumn" in seasons,
        "spring": "spring" in seasons,
        "places_out": spec.get("places", defaults["places"]),
        "months_out": spec.get("months", defaults["months"]),
        "places_in": spec.get("places", defaults["places"]),
        "months_in": spec.get("months", defaults["months"]),
        "days": spec.get("days"),
        "takes_placements": spec.get("placement", False),
        "valid_from": datetime.date(today.year - 3, 1, 1),
        "valid_to": datetime.date(today.year + 3, 12, 31),
        "decision_weeks": defaults["decision_weeks"],
        "transcript_weeks": defaults["transcript_weeks"],
        "is_package": spec.get("package", False),
        "has_grant": spec.get("grant", False),
        "housing_url": partner["website"],
        "visa_url": partner["website"],
    }
    for name in (
        "nomination_autumn",
        "application_autumn",
        "nomination_spring",
        "application_spring",
    ):
        season = "autumn" if name.endswith("autumn") else "spring"
        values[name] = defaults[name] if season in seasons else ""
    for name, field in REQUIREMENT_FIELDS.items():
        values[field] = name in requirements
    values.update(_texts("nomination_criteria", defaults["nomination_criteria"]))
    values.update(_texts("insurance_info", defaults["insurance"]))
    values.update(_texts("accessibility_info", defaults["accessibility"]))
    values.update(_texts("housing_info", DATA["housing"][partner["housing"]]))
    values.update(_texts("visa_info", DATA["visa"][partner.get("visa", "eea")]))
    courses = spec.get("package_courses", {})
    values.update(
        {f"package_courses_{lang}": "\n".join(courses.get(lang, [])) for lang in ("nb", "en")}
    )
    grant = DATA["grant"].get(values["agreement_type"], {}) if values["has_grant"] else {}
    values.update(_texts("grant_info", grant))
    return values


def _language_pair(text: str) -> tuple[str, str]:
    language, _sep, cefr = text.partition(":")
    return language, cefr


def _seed_agreements(units: dict[str, UnitPage], today: datetime.date) -> dict[str, Agreement]:
    partners = {}
    for spec in DATA["partner"]:
        institution, _changed = institution_save(
            user=None,
            schac_code=spec["hei_id"],
            values={
                **_texts("name", spec["name"]),
                "country": spec["country"],
                "city": spec["city"],
                "website": spec["website"],
                "erasmus_code": spec.get("erasmus_code", ""),
            },
        )
        partners[spec["hei_id"]] = (institution, spec)
    agreements = {}
    now = timezone.now()
    for spec in DATA["catalogue"]["agreements"]:
        institution, partner = partners[spec["partner"]]
        agreement, _changed = agreement_save(
            user=None,
            reference=spec["ref"],
            institution=institution,
            owner_unit=units[spec["unit"]],
            subject_codes=spec["isced"],
            languages=[_language_pair(pair) for pair in spec["lang"]],
            values=_agreement_values(spec, partner, today),
        )
        confirmed = now - relativedelta(months=spec.get("confirmed_months_ago", 1))
        Agreement.objects.filter(pk=agreement.pk).update(last_confirmed=confirmed)
        agreements[spec["ref"]] = agreement
    return agreements


def _seed_students(units: dict[str, UnitPage], programmes: dict[str, Any]) -> None:
    user_model = get_user_model()
    for spec in DATA["student"]:
        if "first_name" in spec:
            user, _created = user_model.objects.get_or_create(email=spec["email"])
            user.first_name, user.last_name = spec["first_name"], spec["last_name"]
            user.language = spec["language"]
            user.password = demo_password_hash()
            user.save()
            EmailAddress.objects.update_or_create(
                user=user, email=spec["email"], defaults={"verified": True, "primary": True}
            )
            profile_save(
                user=user,
                status=StudentStatus.OUTGOING,
                faculty=units.get(spec["faculty"]),
                department=units.get(spec["department"]),
                home_country=spec["home_country"],
                programme=programmes[spec["programme"]].name_nb,
                norwegian_level=spec["level"],
            )
        else:
            found = user_model.objects.filter(email=spec["email"]).first()
            if found is None:
                continue
            user = found
        student_programme_set(
            user=user, programme=programmes[spec["programme"]], semester=spec["semester"]
        )


def _seed_reports(agreements: dict[str, Agreement], today: datetime.date) -> int:
    user_model = get_user_model()
    for spec in DATA["report"]:
        agreement = agreements[spec["agreement"]]
        author = user_model.objects.filter(email=spec.get("author", "")).first()
        status = spec.get("status", ReportStatus.PUBLISHED)
        ratings = dict(
            zip(
                ("rating_academic", "rating_housing", "rating_support", "rating_social"),
                spec["ratings"],
                strict=True,
            )
        )
        ExperienceReport.objects.update_or_create(
            agreement=agreement,
            title=spec["title"],
            defaults={
                "author": author,
                "language": spec["language"],
                "year": today.year - spec["years_ago"],
                "season": spec["season"],
                "text": spec["text"],
                "status": status,
                "moderated_at": timezone.now() if status == ReportStatus.PUBLISHED else None,
                **ratings,
            },
        )
    return len(DATA["report"])


def seed_exchange() -> dict[str, Agreement]:
    """Create or refresh partners, agreements, programmes, the outgoing student and reports."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        units = demo_units()
        today = timezone.localdate()
        agreements = _seed_agreements(units, today)
        programmes = {
            spec["code"]: programme_save(
                user=None,
                code=spec["code"],
                owner_unit=units[spec["unit"]],
                isced=spec["isced"],
                values={
                    **_texts("name", spec["name"]),
                    "level": spec["level"],
                    "semesters": spec["semesters"],
                    "window_semesters": spec["window"],
                    "placement_semesters": spec.get("placements", []),
                },
            )
            for spec in DATA["programme"]
        }
        _seed_students(units, programmes)
        _seed_reports(agreements, today)
        return agreements
