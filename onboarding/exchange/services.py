"""Writes of the exchange app: partners, agreements, confirmations, programmes, reports.

Every write checks first and writes inside ``transaction.atomic``; a refusal
raises ``ExchangeError`` with a code and a translated message and changes
nothing. Agreements are edited by their owner unit's editors and the
International Section's staff (``permissions.py``); the import command runs
as the International Section and passes ``user=None``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .errors import ExchangeError
from .models import (
    CEFR_ORDER,
    Agreement,
    AgreementLanguage,
    ExperienceReport,
    Institution,
    IscedField,
    Programme,
    ReportLanguage,
    ReportStatus,
    Season,
    StudentProgramme,
    TeachingLanguage,
)
from .permissions import is_exchange_staff, may_edit_unit_content
from .rules import agreement_problems, programme_problems

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User
    from onboarding.units.models import UnitPage

type Actor = User | AnonymousUser | None

TRANSLATED_TEXTS = (
    "nomination_criteria",
    "housing_info",
    "visa_info",
    "insurance_info",
    "accessibility_info",
    "package_courses",
    "grant_info",
)
INSTITUTION_FIELDS = ("name_nb", "name_en", "country", "city", "website", "erasmus_code")
# The agreement's own fields a caller may set (besides institution, owner unit,
# subject areas and languages).
AGREEMENT_FIELDS = tuple(
    field.name
    for field in Agreement._meta.concrete_fields
    if field.name
    not in {
        "id",
        "reference",
        "institution",
        "owner_unit",
        "last_confirmed",
        "updated_at",
        # The untranslated columns behind the translated ones.
        *TRANSLATED_TEXTS,
    }
)


def _invalid(error: ValidationError) -> ExchangeError:
    if hasattr(error, "error_dict"):
        field, messages = next(iter(error.error_dict.items()))
        return ExchangeError(code="invalid", message=messages[0].messages[0], field=field)
    return ExchangeError(code="invalid", message=error.messages[0])


def _check_editor(user: Actor, unit: UnitPage) -> None:
    if user is None:
        return
    if not may_edit_unit_content(user=user, unit=unit):
        raise ExchangeError(
            code="forbidden",
            message=_("Only the owner unit's editors and the International Section edit this."),
        )


@transaction.atomic
def institution_save(
    *, user: Actor, schac_code: str, values: Mapping[str, Any]
) -> tuple[Institution, bool]:
    """Create or update the partner with ``schac_code``; returns it and whether anything changed.

    Raises ``ExchangeError`` ``forbidden`` unless ``user`` is International
    Section staff (or None: the import), ``unknown_country`` for a country
    that is not an ISO 3166 code, and ``invalid`` for any other bad field.
    """
    if user is not None and not is_exchange_staff(user):
        raise ExchangeError(
            code="forbidden", message=_("Only the International Section adds partners.")
        )
    code = (schac_code or "").strip().lower()
    country = str(values.get("country", "")).strip().upper()
    if country not in countries:
        raise ExchangeError(
            code="unknown_country",
            message=_("“%(code)s” is not a country code (ISO 3166, two letters).")
            % {"code": country},
            field="country",
        )
    institution = Institution.objects.filter(schac_code=code).first() or Institution(
        schac_code=code
    )
    changed = institution.pk is None
    for field in INSTITUTION_FIELDS:
        if field not in values:
            continue
        value = country if field == "country" else (values[field] or "")
        if str(getattr(institution, field) or "") != str(value):
            setattr(institution, field, value)
            changed = True
    if not institution.name_nb:
        institution.name_nb = institution.name_en
    # The untranslated column holds the Norwegian name (set past the translation descriptor).
    institution.__dict__["name"] = institution.name_nb
    try:
        institution.full_clean(validate_unique=False)
    except ValidationError as error:
        raise _invalid(error) from error
    if changed:
        institution.save()
    return institution, changed


def _subject_fields(codes: Iterable[str]) -> list[IscedField]:
    wanted = sorted({code.strip() for code in codes if code.strip()})
    if not wanted:
        raise ExchangeError(
            code="no_subject", message=_("Give at least one subject area."), field="subject_areas"
        )
    found = list(IscedField.objects.filter(code__in=wanted))
    unknown = sorted(set(wanted) - {field.code for field in found})
    if unknown:
        raise ExchangeError(
            code="unknown_isced",
            message=_("Not an ISCED-F 2013 detailed field: %(codes)s.")
            % {"codes": ", ".join(unknown)},
            field="subject_areas",
        )
    return found


def _languages(languages: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    rows = []
    seen = set()
    for language, cefr in languages:
        language, cefr = language.strip().lower(), cefr.strip().upper()
        if language not in TeachingLanguage.values:
            raise ExchangeError(
                code="unknown_language",
                message=_("“%(code)s” is not a language of teaching we know.") % {"code": language},
                field="languages",
            )
        if cefr not in CEFR_ORDER:
            raise ExchangeError(
                code="unknown_cefr",
                message=_("“%(level)s” is not a CEFR level (A1 to C2).") % {"level": cefr},
                field="languages",
            )
        if language in seen:
            raise ExchangeError(
                code="language_twice",
                message=_("Each language of teaching once."),
                field="languages",
            )
        seen.add(language)
        rows.append((language, cefr))
    if not rows:
        raise ExchangeError(
            code="no_language", message=_("Give the language of teaching."), field="languages"
        )
    return rows


@transaction.atomic
def agreement_save(
    *,
    user: Actor,
    reference: str,
    institution: Institution,
    owner_unit: UnitPage,
    subject_codes: Iterable[str],
    languages: Iterable[tuple[str, str]],
    values: Mapping[str, Any],
) -> tuple[Agreement, bool]:
    """Create the agreement ``reference`` or update it; returns it and whether anything changed.

    A change counts as a confirmation (``last_confirmed`` becomes now). Raises
    ``ExchangeError``: ``forbidden`` unless ``user`` edits the owner unit (the
    old one too, when it moves) or is staff; ``unknown_isced``, ``no_subject``,
    ``unknown_language``, ``unknown_cefr``, ``no_language``; ``invalid`` and
    the rule codes of ``rules.agreement_problems`` for bad fields.
    """
    reference = (reference or "").strip()
    if not reference:
        raise ExchangeError(
            code="no_reference", message=_("Give the agreement a reference."), field="reference"
        )
    agreement = Agreement.objects.filter(reference=reference).first()
    created = agreement is None
    if agreement is None:
        agreement = Agreement(reference=reference)
    else:
        _check_editor(user, agreement.owner_unit)
    _check_editor(user, owner_unit)
    subjects = _subject_fields(subject_codes)
    language_rows = _languages(languages)

    changed = created
    if agreement.institution_id != institution.pk or agreement.owner_unit_id != owner_unit.pk:
        changed = True
    agreement.institution = institution
    agreement.owner_unit = owner_unit
    for field, value in values.items():
        if field not in AGREEMENT_FIELDS:
            raise ExchangeError(
                code="unknown_field", message=_("Unknown field: %(field)s.") % {"field": field}
            )
        current = getattr(agreement, field)
        if isinstance(value, str) and current is None:
            current = ""
        if current != value:
            setattr(agreement, field, value)
            changed = True
    for field in TRANSLATED_TEXTS:
        # The untranslated column follows Norwegian (set past the translation descriptor).
        agreement.__dict__[field] = getattr(agreement, f"{field}_nb") or ""
    try:
        agreement.clean_fields(exclude=["subject_areas"])
    except ValidationError as error:
        raise _invalid(error) from error
    problems = agreement_problems(agreement)
    if problems:
        raise ExchangeError(
            code=problems[0].code, message=problems[0].message, field=problems[0].field
        )

    if not created:
        old_subjects = set(agreement.subject_areas.values_list("code", flat=True))
        old_languages = sorted(agreement.languages.values_list("language", "cefr"))
        if old_subjects != {s.code for s in subjects} or old_languages != sorted(language_rows):
            changed = True
    if not changed:
        return agreement, False
    agreement.last_confirmed = timezone.now()
    # A parental many-to-many is written when the agreement is saved.
    agreement.subject_areas.set(subjects)
    agreement.save()
    AgreementLanguage.objects.filter(agreement=agreement).delete()
    AgreementLanguage.objects.bulk_create(
        AgreementLanguage(agreement=agreement, language=language, cefr=cefr)
        for language, cefr in language_rows
    )
    return agreement, True


@transaction.atomic
def agreement_confirm(*, user: User | AnonymousUser, agreement: Agreement) -> datetime:
    """Record that ``agreement``'s information is up to date, now; returns the time.

    Raises ``ExchangeError`` ``forbidden`` unless ``user`` edits the owner unit or is staff.
    """
    if not user.is_authenticated:
        raise ExchangeError(code="forbidden", message=_("Log in to confirm an agreement."))
    _check_editor(user, agreement.owner_unit)
    now = timezone.now()
    Agreement.objects.filter(pk=agreement.pk).update(last_confirmed=now)
    agreement.last_confirmed = now
    return now


@transaction.atomic
def student_programme_set(
    *, user: User, programme: Programme, semester: int = 1
) -> StudentProgramme:
    """Record the programme ``user`` follows (the finder fits destinations to it)."""
    if not 1 <= semester <= programme.semesters:
        raise ExchangeError(
            code="semester",
            message=_("The programme has %(count)s semesters.") % {"count": programme.semesters},
            field="semester",
        )
    link, _created = StudentProgramme.objects.update_or_create(
        user=user, defaults={"programme": programme, "semester": semester}
    )
    return link


@transaction.atomic
def report_create(
    *,
    user: User | AnonymousUser,
    agreement: Agreement,
    language: str,
    year: int,
    season: str,
    title: str,
    text: str,
    ratings: Mapping[str, int],
) -> ExperienceReport:
    """A returned student's experience report, waiting for the owner unit's moderation.

    Raises ``ExchangeError`` ``login_required``, ``language`` (not Norwegian
    or English), ``year`` (in the future or before the agreement existed),
    ``empty`` (no title or text) and ``rating`` (not 1 to 5).
    """
    if not user.is_authenticated or not user.is_active:
        raise ExchangeError(code="login_required", message=_("Log in to write a report."))
    if language not in ReportLanguage.values:
        raise ExchangeError(
            code="language", message=_("Write in Norwegian or English."), field="language"
        )
    if season not in Season.values:
        raise ExchangeError(code="season", message=_("Choose autumn or spring."), field="season")
    this_year = timezone.localdate().year
    if not agreement.valid_from.year - 1 <= year <= this_year:
        raise ExchangeError(
            code="year",
            message=_("Give the year of a stay under this agreement, not later than this year."),
            field="year",
        )
    if not title.strip() or not text.strip():
        raise ExchangeError(
            code="empty", message=_("Give the report a title and a text."), field="text"
        )
    names = ("rating_academic", "rating_housing", "rating_support", "rating_social")
    for name in names:
        if ratings.get(name) not in range(1, 6):
            raise ExchangeError(code="rating", message=_("Rate from 1 to 5."), field=name)
    return ExperienceReport.objects.create(
        agreement=agreement,
        author=user,
        language=language,
        year=year,
        season=season,
        title=title.strip(),
        text=text.strip(),
        status=ReportStatus.PENDING,
        **{name: ratings[name] for name in names},
    )


@transaction.atomic
def report_moderate(
    *, user: User | AnonymousUser, report: ExperienceReport, publish: bool, note: str = ""
) -> ExperienceReport:
    """Publish ``report`` or decline it, by the owner unit's editors or the International Section.

    Raises ``ExchangeError`` ``forbidden`` for anyone else and ``note_required``
    when declining without a word to the author.
    """
    if not user.is_authenticated:
        raise ExchangeError(code="forbidden", message=_("Log in to moderate reports."))
    _check_editor(user, report.agreement.owner_unit)
    if not publish and not note.strip():
        raise ExchangeError(
            code="note_required",
            message=_("Tell the author why the report is not published."),
            field="note",
        )
    report.status = ReportStatus.PUBLISHED if publish else ReportStatus.REJECTED
    report.moderated_by = user
    report.moderated_at = timezone.now()
    report.moderation_note = note.strip()
    report.save(update_fields=["status", "moderated_by", "moderated_at", "moderation_note"])
    return report


@transaction.atomic
def programme_save(
    *,
    user: Actor,
    code: str,
    owner_unit: UnitPage,
    isced: str,
    values: Mapping[str, Any],
) -> Programme:
    """Create the programme ``code`` or update it; returns it.

    Raises ``ExchangeError`` ``forbidden`` unless ``user`` edits the owner unit
    (or is staff, or None: the demo), ``unknown_isced`` and the rule codes of
    ``rules.programme_problems``.
    """
    _check_editor(user, owner_unit)
    field = IscedField.objects.filter(code=isced).first()
    if field is None:
        raise ExchangeError(
            code="unknown_isced",
            message=_("Not an ISCED-F 2013 detailed field: %(codes)s.") % {"codes": isced},
            field="isced",
        )
    programme = Programme.objects.filter(code=code).first() or Programme(code=code)
    programme.owner_unit = owner_unit
    programme.isced = field
    for name, value in values.items():
        setattr(programme, name, value)
    programme.__dict__["name"] = programme.name_nb or programme.name_en
    problems = programme_problems(programme)
    if problems:
        raise ExchangeError(
            code=problems[0].code, message=problems[0].message, field=problems[0].field
        )
    programme.save()
    return programme
