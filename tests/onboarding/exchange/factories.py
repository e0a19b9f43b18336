"""Small builders for exchange tests: partners, agreements, programmes, reports."""

import datetime
import itertools

from django.utils import timezone

from onboarding.exchange.models import (
    Agreement,
    AgreementLanguage,
    ExperienceReport,
    Institution,
    Programme,
    ReportStatus,
)

_numbers = itertools.count(1)


def institution_create(*, country="DE", name=None, schac=None, city="Berlin"):
    number = next(_numbers)
    name = name or f"Partner University {number}"
    institution = Institution(
        schac_code=schac or f"partner{number}.example.de",
        country=country,
        city=city,
        website=f"https://partner{number}.example.de/",
    )
    institution.name_nb = institution.name_en = name
    institution.__dict__["name"] = name
    institution.save()
    return institution


def agreement_create(
    *,
    institution,
    owner_unit,
    subjects=("0613",),
    languages=(("en", "B2"),),
    reference=None,
    **fields,
):
    """An agreement valid from last year to three years ahead, with subject areas and languages."""
    today = timezone.localdate()
    values = {
        "valid_from": today - datetime.timedelta(days=365),
        "valid_to": today + datetime.timedelta(days=3 * 365),
        "months_out": 5,
    }
    values.update(fields)
    agreement = Agreement.objects.create(
        reference=reference or f"AGR-{next(_numbers):04d}",
        institution=institution,
        owner_unit=owner_unit,
        **values,
    )
    agreement.subject_areas.set(subjects)
    agreement.save()
    AgreementLanguage.objects.bulk_create(
        AgreementLanguage(agreement=agreement, language=lang, cefr=cefr) for lang, cefr in languages
    )
    return agreement


def programme_create(
    *, owner_unit, isced="0613", level="bachelor", window=(5,), placements=(), **fields
):
    number = next(_numbers)
    programme = Programme(
        code=fields.pop("code", f"PRG{number}"),
        owner_unit=owner_unit,
        isced_id=isced,
        level=level,
        window_semesters=list(window),
        placement_semesters=list(placements),
        semesters=fields.pop("semesters", 6),
    )
    name = fields.pop("name", f"Programme {number}")
    programme.name_nb = programme.name_en = name
    programme.__dict__["name"] = name
    programme.save()
    return programme


def report_create(*, agreement, author=None, status=ReportStatus.PUBLISHED, **fields):
    values = {
        "language": "en",
        "year": timezone.localdate().year - 1,
        "season": "autumn",
        "title": "A good semester",
        "text": "Teaching was good and the city was lovely.",
        "rating_academic": 4,
        "rating_housing": 3,
        "rating_support": 5,
        "rating_social": 4,
    }
    values.update(fields)
    return ExperienceReport.objects.create(
        agreement=agreement, author=author, status=status, **values
    )
