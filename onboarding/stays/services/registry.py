"""Writes of the stay registry: a student's own stays abroad, and their erasure after the stay.

A student registers a stay (``stay_create``): the host (one of the exchange
agreements, or the name of a host outside them: exactly one of the two), the
city and country, the dates, how to reach them abroad and their emergency
contact at home, and the plan-B courses they would take at home if they came
back early. They change it (``stay_update``), update their phone and address
in a few seconds (``stay_contact_update``) and delete it (``stay_delete``).
Storing a stay records their consent (``consented_at``).

``stays_erase_expired`` (run daily by ``manage.py stays_retention``) blanks the
personal fields (``StayAbroad.PERSONAL_FIELDS``) of every stay that ended more
than ``settings.STAY_RETENTION_DAYS`` days ago, and the personal answers of the
safety checks of those stays; the stay's host, place and dates stay for the
statistics. The plan-B courses are course facts, not personal, and stay too.

Every write runs in one transaction; a refusal raises ``StayError`` with a code,
a translated message and the form field it belongs to, and changes nothing.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from onboarding.exchange.models import StudentProgramme

from ..errors import StayError
from ..models import PlanBCourse, ProgrammeCourse, SafetyCheck, StayAbroad

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User
    from onboarding.exchange.models import Agreement

logger = logging.getLogger(__name__)

# A stay lists at most this many plan-B courses.
MAX_PLAN_B = 10
# The longest stay (two years and a leap day) and how far ahead one may end.
MAX_STAY_DAYS = 2 * 365 + 1
MAX_YEARS_AHEAD = 5
# A phone number: digits with the usual separators, an optional leading +, 5 digits at least.
PHONE = re.compile(r"^\+?[0-9][0-9 ().\-/]*$")
MIN_PHONE_DIGITS = 5
# The longest address abroad (a text field without a length of its own).
MAX_TEXT = 2000
ECTS_MIN = Decimal("0.5")
ECTS_MAX = Decimal("60")


@dataclass(frozen=True)
class PlanBInput:
    """One plan-B course: one of the programme's courses (``course``), or typed in."""

    course: ProgrammeCourse | None = None
    code: str = ""
    title: str = ""
    ects: Decimal | None = None


@dataclass(frozen=True)
class PlanBRow:
    """A plan-B course as it is stored: checked, with its code, title and credits."""

    course: ProgrammeCourse | None
    code: str
    title: str
    ects: Decimal


@dataclass(frozen=True)
class StayInput:
    """What a student gives for a stay; the service checks and cleans it."""

    starts_on: datetime.date
    ends_on: datetime.date
    agreement: Agreement | None = None
    host_name: str = ""
    city: str = ""
    country: str = ""
    local_address: str = ""
    local_phone: str = ""
    emergency_name: str = ""
    emergency_relation: str = ""
    emergency_phone: str = ""
    emergency_email: str = ""
    second_name: str = ""
    second_phone: str = ""
    second_email: str = ""
    plan_b: Sequence[PlanBInput] = field(default_factory=tuple)
    consent: bool = False


# --- Checking what was given -------------------------------------------------------------------


def _today(now: datetime.datetime | None) -> datetime.date:
    return timezone.localdate(now or timezone.now())


def _text(value: str | None, *, name: str, required: bool = False) -> str:
    """``value`` stripped, without NUL characters (no database stores them), within the
    model field's length."""
    text = (value or "").replace("\x00", "").strip()
    limit = getattr(StayAbroad._meta.get_field(name), "max_length", None) or MAX_TEXT
    if len(text) > limit:
        raise StayError(
            code="too_long",
            message=_("Keep it under %(count)s characters.") % {"count": limit},
            field=name,
        )
    if required and not text:
        raise StayError(code=f"{name}_required", message=REQUIRED[name], field=name)
    return text


REQUIRED = {
    "city": _("Give the city you stay in."),
    "emergency_name": _("Give the name of your emergency contact at home."),
    "emergency_phone": _("Give the phone number of your emergency contact at home."),
}


def _phone(value: str | None, *, name: str, required: bool = False) -> str:
    text = _text(value, name=name, required=required)
    digits = sum(character.isdigit() for character in text)
    if text and (not PHONE.match(text) or digits < MIN_PHONE_DIGITS):
        raise StayError(
            code="phone_invalid",
            message=_("Write a phone number with at least 5 digits, like +47 912 34 567."),
            field=name,
        )
    return text


def _email(value: str | None, *, name: str) -> str:
    text = _text(value, name=name)
    if text:
        try:
            validate_email(text)
        except ValidationError as error:
            raise StayError(
                code="email_invalid", message=_("Write a valid email address."), field=name
            ) from error
    return text


def _dates(starts_on: datetime.date, ends_on: datetime.date, today: datetime.date) -> None:
    if ends_on < starts_on:
        raise StayError(
            code="ends_before_start",
            message=_("The stay cannot end before it starts: check the dates."),
            field="ends_on",
        )
    if (ends_on - starts_on).days > MAX_STAY_DAYS:
        raise StayError(
            code="too_long_stay", message=_("A stay can last two years at most."), field="ends_on"
        )
    if ends_on < today - datetime.timedelta(days=settings.STAY_RETENTION_DAYS):
        raise StayError(
            code="ended_long_ago",
            message=_(
                "This stay ended more than %(days)s days ago, and stays are kept only until then."
            )
            % {"days": settings.STAY_RETENTION_DAYS},
            field="ends_on",
        )
    if ends_on.year > today.year + MAX_YEARS_AHEAD:
        raise StayError(
            code="too_far_ahead",
            message=_("The stay must end within %(years)s years.") % {"years": MAX_YEARS_AHEAD},
            field="ends_on",
        )


def _programme_id(student: User) -> int | None:
    return (
        StudentProgramme.objects.filter(user=student).values_list("programme_id", flat=True).first()
    )


def _ects(value: Decimal | None) -> Decimal:
    try:
        ects = Decimal(value) if value is not None else None
    except (InvalidOperation, TypeError, ValueError):
        ects = None
    if ects is None or not ects.is_finite() or not ECTS_MIN <= ects <= ECTS_MAX:
        raise StayError(
            code="plan_b_ects",
            message=_("Give the ECTS credits of each plan-B course, from 0.5 to 60."),
            field="plan_b",
        )
    return ects.quantize(Decimal("0.1"))


def _plan_b(rows: Sequence[PlanBInput], *, student: User) -> list[PlanBRow]:
    """The plan-B courses cleaned: a chosen course gives its own code, title and credits."""
    if len(rows) > MAX_PLAN_B:
        raise StayError(
            code="plan_b_too_many",
            message=_("List %(count)s plan-B courses at most.") % {"count": MAX_PLAN_B},
            field="plan_b",
        )
    programme_id = _programme_id(student) if any(row.course for row in rows) else None
    cleaned = []
    for row in rows:
        if row.course is not None:
            if row.course.programme_id != programme_id:
                raise StayError(
                    code="plan_b_not_yours",
                    message=_("Choose a course of your own study programme."),
                    field="plan_b",
                )
            cleaned.append(
                PlanBRow(
                    course=row.course,
                    code=row.course.code,
                    title=row.course.title,
                    ects=row.course.ects,
                )
            )
            continue
        code = (row.code or "").replace("\x00", "").strip()
        title = (row.title or "").replace("\x00", "").strip()
        if not code or not title or row.ects is None:
            raise StayError(
                code="plan_b_incomplete",
                message=_(
                    "Give each plan-B course's code, title and ECTS credits, "
                    "or choose it from your programme's courses."
                ),
                field="plan_b",
            )
        if len(code) > 40 or len(title) > 255:
            raise StayError(
                code="too_long",
                message=_("Keep course codes under 40 and titles under 255 characters."),
                field="plan_b",
            )
        cleaned.append(PlanBRow(course=None, code=code, title=title, ects=_ects(row.ects)))
    return cleaned


def _values(data: StayInput, *, student: User, today: datetime.date) -> dict[str, object]:
    """The stay's fields from ``data``, checked; raises ``StayError`` at the first problem."""
    host_name = _text(data.host_name, name="host_name")
    if data.agreement is None and not host_name:
        raise StayError(
            code="host_missing",
            message=_(
                "Choose the exchange agreement you travel on, or type the name of your host "
                "if your stay is outside the agreements."
            ),
            field="agreement",
        )
    if data.agreement is not None and host_name:
        raise StayError(
            code="host_both",
            message=_("Choose an exchange agreement or type the name of your host, not both."),
            field="host_name",
        )
    institution = data.agreement.institution if data.agreement is not None else None
    city = _text(data.city, name="city") or (institution.city if institution else "")
    if not city:
        raise StayError(code="city_required", message=REQUIRED["city"], field="city")
    country = (data.country or "").strip().upper() or (
        str(institution.country) if institution else ""
    )
    if country not in dict(countries):
        raise StayError(
            code="country_required",
            message=_("Choose the country you stay in."),
            field="country",
        )
    _dates(data.starts_on, data.ends_on, today)
    second = {
        "second_name": _text(data.second_name, name="second_name"),
        "second_phone": _phone(data.second_phone, name="second_phone"),
        "second_email": _email(data.second_email, name="second_email"),
    }
    if any(second.values()) and not (second["second_name"] and second["second_phone"]):
        raise StayError(
            code="second_incomplete",
            message=_(
                "Give the second contact's name and phone number, or leave the second contact "
                "empty."
            ),
            field="second_name" if not second["second_name"] else "second_phone",
        )
    return {
        "agreement": data.agreement,
        "host_name": host_name,
        "city": city,
        "country": country,
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "local_address": _text(data.local_address, name="local_address"),
        "local_phone": _phone(data.local_phone, name="local_phone"),
        "emergency_name": _text(data.emergency_name, name="emergency_name", required=True),
        "emergency_relation": _text(data.emergency_relation, name="emergency_relation"),
        "emergency_phone": _phone(data.emergency_phone, name="emergency_phone", required=True),
        "emergency_email": _email(data.emergency_email, name="emergency_email"),
        **second,
    }


def _consent(data: StayInput) -> None:
    if not data.consent:
        raise StayError(
            code="consent_required",
            message=_("Tick the box to agree that we keep these details as described."),
            field="consent",
        )


def _own(stay: StayAbroad, user: User | AnonymousUser) -> None:
    if not user.is_authenticated or stay.student_id != user.pk:
        raise StayError(code="forbidden", message=_("This is not your stay."))


def _not_erased(stay: StayAbroad) -> None:
    if stay.erased_at is not None:
        raise StayError(
            code="erased",
            message=_(
                "The personal details of this stay were erased after it ended, so it can no "
                "longer be changed."
            ),
        )


def _locked(stay: StayAbroad) -> StayAbroad:
    """The stay's row afresh, locked until the transaction ends."""
    return StayAbroad.objects.select_for_update().get(pk=stay.pk)


def _plan_b_replace(stay: StayAbroad, rows: list[PlanBRow]) -> None:
    stay.plan_b_courses.all().delete()
    PlanBCourse.objects.bulk_create(
        PlanBCourse(
            stay=stay,
            course=row.course,
            code=row.code,
            title=row.title,
            ects=row.ects,
            sort_order=index,
        )
        for index, row in enumerate(rows)
    )


# --- The student's writes ----------------------------------------------------------------------


@transaction.atomic
def stay_create(
    *, student: User, data: StayInput, now: datetime.datetime | None = None
) -> StayAbroad:
    """Register a stay of ``student`` with its plan-B courses, and their consent.

    Raises ``StayError``: ``host_missing``, ``host_both``, ``city_required``,
    ``country_required``, ``ends_before_start``, ``too_long_stay``,
    ``ended_long_ago``, ``too_far_ahead``, ``emergency_name_required``,
    ``emergency_phone_required``, ``phone_invalid``, ``email_invalid``,
    ``second_incomplete``, ``plan_b_*``, ``too_long`` or ``consent_required``.
    """
    if not student.is_authenticated:
        raise StayError(code="forbidden", message=_("Log in to register a stay abroad."))
    moment = now or timezone.now()
    values = _values(data, student=student, today=_today(moment))
    plan_b = _plan_b(data.plan_b, student=student)
    _consent(data)
    stay = StayAbroad.objects.create(student=student, consented_at=moment, **values)
    _plan_b_replace(stay, plan_b)
    return stay


@transaction.atomic
def stay_update(
    *,
    stay: StayAbroad,
    user: User | AnonymousUser,
    data: StayInput,
    now: datetime.datetime | None = None,
) -> StayAbroad:
    """Change every field of the student's own stay and replace its plan-B courses.

    Raises ``StayError`` ``forbidden`` (not the student's), ``erased`` (its personal
    details are gone) and the refusals of ``stay_create``.
    """
    _own(stay, user)
    locked = _locked(stay)
    _not_erased(locked)
    moment = now or timezone.now()
    values = _values(data, student=user, today=_today(moment))  # type: ignore[arg-type]
    plan_b = _plan_b(data.plan_b, student=user)  # type: ignore[arg-type]
    _consent(data)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.consented_at = moment
    locked.save()
    _plan_b_replace(locked, plan_b)
    return locked


@transaction.atomic
def stay_contact_update(
    *, stay: StayAbroad, user: User | AnonymousUser, local_phone: str, local_address: str
) -> StayAbroad:
    """The quick change: the phone and address abroad of the student's own stay.

    Raises ``StayError`` ``forbidden``, ``erased``, ``phone_invalid`` or ``too_long``.
    """
    _own(stay, user)
    locked = _locked(stay)
    _not_erased(locked)
    locked.local_phone = _phone(local_phone, name="local_phone")
    locked.local_address = _text(local_address, name="local_address")
    locked.save(update_fields=["local_phone", "local_address", "updated_at"])
    return locked


@transaction.atomic
def stay_delete(*, stay: StayAbroad, user: User | AnonymousUser) -> None:
    """Delete the student's own stay with its plan-B courses.

    Raises ``StayError`` ``forbidden``.
    """
    _own(stay, user)
    _locked(stay).delete()


# --- Retention ---------------------------------------------------------------------------------


def retention_cutoff(*, today: datetime.date) -> datetime.date:
    """Stays that ended before this day have passed their retention."""
    return today - datetime.timedelta(days=settings.STAY_RETENTION_DAYS)


@transaction.atomic
def stays_erase_expired(*, now: datetime.datetime | None = None) -> int:
    """Blank the personal fields of the stays whose retention has run out; returns how many.

    A stay has run out when ``ends_on + STAY_RETENTION_DAYS`` is before today
    (on that day itself it is kept). Its ``PERSONAL_FIELDS`` are emptied and
    ``erased_at`` set; so are the message and ``erased_at`` of its safety checks
    (the answers' counts stay with the crisis). Nothing else of the stay or of
    other stays changes, and a second run erases nothing more. The count is logged.
    """
    moment = now or timezone.now()
    cutoff = retention_cutoff(today=_today(moment))
    expired = StayAbroad.objects.filter(ends_on__lt=cutoff, erased_at__isnull=True)
    keys = list(expired.select_for_update().values_list("pk", flat=True))
    if not keys:
        logger.info("Stays abroad: no personal details to erase")
        return 0
    StayAbroad.objects.filter(pk__in=keys).update(
        erased_at=moment, **dict.fromkeys(StayAbroad.PERSONAL_FIELDS, "")
    )
    answers = SafetyCheck.objects.filter(stay_id__in=keys, erased_at__isnull=True).update(
        message="", erased_at=moment
    )
    logger.info(
        "Stays abroad: personal details of %d stay(s) erased, %d safety answer(s) with them",
        len(keys),
        answers,
    )
    return len(keys)
