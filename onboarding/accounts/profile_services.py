"""Writes of the student profile: the one place a profile is created or changed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from onboarding.dates import in_range, out_of_range_message
from onboarding.units.models import UnitPage

from .errors import ProfileError
from .models import ARRIVING_STATUSES, Interest, NorwegianLevel, StudentProfile, StudentStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from .models import User

# A unit chosen in a form: the unit itself or its id.
type UnitChoice = UnitPage | int | str | None

TEXT_MAX_LENGTH = 200
# Arrival and departure further than this from each other are a typo.
MAX_STAY = timedelta(days=10 * 365)
# Arrival and departure dates outside these years are typing mistakes; at the ends of the
# calendar the plan's dates (days before and after arrival) cannot even be computed.


UNIT_ERRORS: dict[str, tuple[str, StrOrPromise]] = {
    "faculty": ("invalid_faculty", _("Choose a faculty from the list.")),
    "department": ("invalid_department", _("Choose a department from the list.")),
}


def _unit(unit_or_id: UnitChoice, kind: str) -> UnitPage | None:
    """The live unit of ``kind`` given as a unit or an id; None for none given."""
    if unit_or_id in (None, ""):
        return None
    unit_id = getattr(unit_or_id, "pk", unit_or_id)
    unit = UnitPage.objects.live().filter(pk=unit_id, kind=kind).first()
    if unit is None:
        code, message = UNIT_ERRORS[kind]
        raise ProfileError(code=code, message=message, field=kind)
    return unit


def _check(
    *,
    status: str,
    home_country: str,
    faculty: UnitPage | None,
    department: UnitPage | None,
    arrival_date: date | None,
    departure_date: date | None,
    norwegian_level: str,
    interests: Sequence[str],
    language: str,
    texts: Mapping[str, str],
) -> None:
    if status not in StudentStatus.values:
        raise ProfileError(
            code="invalid_status", message=_("Choose one of the statuses offered."), field="status"
        )
    if home_country and home_country not in countries:
        raise ProfileError(
            code="invalid_country",
            message=_("Choose a country from the list."),
            field="home_country",
        )
    if norwegian_level not in NorwegianLevel.values:
        raise ProfileError(
            code="invalid_level",
            message=_("Choose one of the levels offered."),
            field="norwegian_level",
        )
    unknown = [code for code in interests if code not in Interest.values]
    if unknown:
        raise ProfileError(
            code="invalid_interest",
            message=_("Choose interests from the list."),
            field="interests",
        )
    if language not in dict(settings.LANGUAGES):
        raise ProfileError(
            code="invalid_language",
            message=_("Choose one of the languages offered."),
            field="language",
        )
    for field, value in texts.items():
        if len(value) > TEXT_MAX_LENGTH:
            raise ProfileError(
                code="text_too_long", message=_("Use at most 200 characters."), field=field
            )
    if department is not None and (faculty is None or not department.path.startswith(faculty.path)):
        raise ProfileError(
            code="department_not_in_faculty",
            message=_("Choose a department of the faculty you chose."),
            field="department",
        )
    if status in ARRIVING_STATUSES and arrival_date is None:
        raise ProfileError(
            code="arrival_required",
            message=_("Give the date you arrive: the dates in your arrival plan count from it."),
            field="arrival_date",
        )
    for field, day in (("arrival_date", arrival_date), ("departure_date", departure_date)):
        if not in_range(day):
            raise ProfileError(
                code="date_out_of_range", message=out_of_range_message(), field=field
            )
    if arrival_date and departure_date:
        if departure_date < arrival_date:
            raise ProfileError(
                code="departure_before_arrival",
                message=_("The departure date must be on or after the arrival date."),
                field="departure_date",
            )
        if departure_date - arrival_date > MAX_STAY:
            raise ProfileError(
                code="stay_too_long",
                message=_("Check the dates: the stay is longer than ten years."),
                field="departure_date",
            )


@transaction.atomic
def profile_save(
    *,
    user: User,
    status: str,
    faculty: UnitChoice = None,
    department: UnitChoice = None,
    home_country: str | None = "",
    home_institution: str | None = "",
    programme: str | None = "",
    arrival_date: date | None = None,
    departure_date: date | None = None,
    norwegian_level: str = NorwegianLevel.NONE,
    interests: Iterable[str] | None = (),
    contact_consent: bool = False,
    language: str | None = None,
) -> StudentProfile:
    """Create or update ``user``'s student profile; returns it.

    ``faculty`` and ``department`` are live units (or their ids) of those
    kinds; the department must belong to the faculty. ``language`` is the
    person's preferred language (kept on the user, where emails and
    notifications read it); None leaves it as it is.

    Raises ``ProfileError`` with code ``invalid_status``, ``invalid_country``,
    ``invalid_level``, ``invalid_interest``, ``invalid_language``,
    ``text_too_long``, ``invalid_faculty``, ``invalid_department``, ``date_out_of_range``,
    ``department_not_in_faculty``, ``arrival_required`` (incoming and PhD
    students give an arrival date), ``departure_before_arrival`` or
    ``stay_too_long``; nothing is changed then.
    """
    faculty_unit = _unit(faculty, "faculty")
    department_unit = _unit(department, "department")
    interests = list(dict.fromkeys(interests or ()))
    home_country = (home_country or "").upper()
    texts = {
        "home_institution": (home_institution or "").strip(),
        "programme": (programme or "").strip(),
    }
    language = language or user.language
    _check(
        status=status,
        home_country=home_country,
        faculty=faculty_unit,
        department=department_unit,
        arrival_date=arrival_date,
        departure_date=departure_date,
        norwegian_level=norwegian_level,
        interests=interests,
        language=language,
        texts=texts,
    )
    profile, _created = StudentProfile.objects.select_for_update().get_or_create(
        user=user, defaults={"status": status}
    )
    profile.status = status
    profile.home_country = home_country
    profile.home_institution = texts["home_institution"]
    profile.faculty = faculty_unit
    profile.department = department_unit
    profile.programme = texts["programme"]
    profile.arrival_date = arrival_date
    profile.departure_date = departure_date
    profile.norwegian_level = norwegian_level
    profile.interests = interests
    profile.contact_consent = bool(contact_consent)
    profile.save()
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return profile


@transaction.atomic
def profile_set_norwegian_level(*, user: User, level: str) -> StudentProfile:
    """Record ``user``'s Norwegian level (a placement result, for example); returns the profile.

    Raises ``ProfileError`` ``no_profile`` when the person has no profile and
    ``invalid_level`` for a level that is not a CEFR level or "none".
    """
    if level not in NorwegianLevel.values:
        raise ProfileError(
            code="invalid_level",
            message=_("Choose one of the levels offered."),
            field="norwegian_level",
        )
    profile = StudentProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        raise ProfileError(code="no_profile", message=_("Fill in your profile first."))
    profile.norwegian_level = level
    profile.save(update_fields=["norwegian_level", "updated_at"])
    return profile
