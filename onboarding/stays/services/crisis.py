"""Writes of crises and their safety checks: declare, answer, acknowledge, remind, close.

The International Section's staff declare a crisis (``crisis_declare``) for
its areas: countries, or cities in a country. In one transaction it makes the
crisis and one safety check for every student whose stay overlaps today (the
local date in Oslo) in one of the areas, one per student however many of
their stays match. When it commits, each student has a must-reach
notification (site and email, in their own language) with two one-click
answer links (``tokens``), their open pages get a hint to show the check, and
the board's open pages a hint to re-read.

A student answers "I am safe" or "I need help", with an optional message
(``check_answer``), on the site or through a link; a second answer changes
the first. A call for help goes to the crisis's duty officer, who
acknowledges it (``check_acknowledge``); a later "I am safe" clears it.
``crisis_remind`` (run by ``manage.py crisis_remind``) reminds those who have
not answered, once per interval, and ``crisis_close`` closes the crisis with
its counts kept for the record.

Every write runs in one transaction; a refusal raises ``CrisisError`` with a
code and a translated message and changes nothing. Declaring reaches 2,000
students with a fixed number of queries: the stays in one query, the checks
and the notifications each in one ``bulk_create``, each notification carrying
its reader's own answer links from the start.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from onboarding.live.kinds import translated_field
from onboarding.live.services import notify, topic_publish

from ..errors import CrisisError
from ..models import CheckAnswer, Crisis, CrisisArea, SafetyCheck, Severity, StayAbroad
from ..selectors.crisis import (
    SAFETY_TOPIC,
    board_topic,
    check_counts,
    duty_officer_choices,
    may_acknowledge,
    may_manage_crises,
    place_key,
)
from ..tokens import answer_token_make

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User

logger = logging.getLogger(__name__)

CHECK_KIND = "safety_check"
REMINDER_KIND = "safety_check_reminder"
HELP_KIND = "crisis_help_asked"

MAX_TITLE = 200
MAX_MESSAGE = 5000
MAX_ANSWER_MESSAGE = 2000
MAX_AREAS = 30
MAX_CITY = 100
REMINDER_HOURS = (1, 72)
ACKNOWLEDGE_MINUTES = (5, 24 * 60)
# Rows written or changed per query: every batch costs the same number of queries.
ROW_BATCH = 2000

# Stand-ins rendered into the links of a notification once per language, then replaced
# by each person's own (letters only, so that reversing a URL leaves them as they are).
_TOKEN_MARK = "VELKOMMENANSWERTOKEN"  # noqa: S105 (a stand-in, no secret)
_CHECK_MARK = "987654321987654321"
_SAFE_MARK = "VELKOMMEN-SAFE-LINK"
_HELP_MARK = "VELKOMMEN-HELP-LINK"


@dataclass(frozen=True)
class AreaInput:
    """An area to declare a crisis for: a country (ISO code), and a city in it or "" for all."""

    country: str
    city: str = ""


@dataclass(frozen=True)
class Declared:
    """A declared crisis and how many students it reached."""

    crisis: Crisis
    reached: int


@dataclass(frozen=True)
class Reminded:
    """What one run of ``crisis_remind`` did: open crises looked at, reminders sent."""

    crises: int
    reminders: int


# --- Shared pieces -----------------------------------------------------------------------------


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _text(value: str | None, *, limit: int, field: str, required: bool) -> str:
    """``value`` stripped, without NUL characters (no database stores them); refuses empty or long."""
    text = (value or "").replace("\x00", "").strip()
    if required and not text:
        raise CrisisError(
            code="required", message=_("Fill this in, in both languages."), field=field
        )
    if len(text) > limit:
        raise CrisisError(
            code="too_long",
            message=_("Keep it under %(count)s characters.") % {"count": limit},
            field=field,
        )
    return text


def _require_staff(user: User | AnonymousUser) -> None:
    if not may_manage_crises(user):
        raise CrisisError(
            code="forbidden",
            message=_("Only the International Section's staff declare and close crises."),
        )


def _absolute(path: str) -> str:
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"


def _languages() -> list[str]:
    return [code for code, _label in settings.LANGUAGES]


def _crisis_context(crisis: Crisis) -> dict[str, Any]:
    """What the notification templates read of a crisis (``crisis`` in each kind's context)."""
    return {
        "number": crisis.pk,
        "title": translated_field(crisis, "title"),
        "message": translated_field(crisis, "message"),
        "severity": crisis.severity,
        "areas": [
            {"country": str(area.country), "city": area.city}
            for area in crisis.areas.all()
            if area.country
        ],
        "declared_at": crisis.declared_at,
    }


def _publish(crisis: Crisis, *, students: bool = False) -> None:
    """Hints after commit: the board's open pages re-read it; with ``students``, every page
    that shows a person's open checks re-reads theirs."""
    topic_publish(
        topic=board_topic(crisis),
        payload={"type": "crisis.board", "crisis": crisis.pk, "open": crisis.is_open},
    )
    if students:
        topic_publish(topic=SAFETY_TOPIC, payload={"type": "safety.checks", "crisis": crisis.pk})


# --- Telling the students ----------------------------------------------------------------------


def _per_language_paths() -> dict[str, tuple[str, str]]:
    """(answer link path, check page path) with stand-ins, in each language."""
    paths = {}
    for language in _languages():
        with translation.override(language):
            paths[language] = (
                reverse("stays:answer_link", kwargs={"answer_token": _TOKEN_MARK}),
                reverse("stays:check_detail", kwargs={"check_id": int(_CHECK_MARK)}),
            )
    return paths


def _links_block(language: str) -> str:
    """The two answer links of a notification in one language, with stand-ins for the links."""
    with translation.override(language):
        return render_to_string(
            "stays/crisis/email_links.txt",
            {
                "safe_link": _SAFE_MARK,
                "help_link": _HELP_MARK,
                "days": settings.SAFETY_CHECK_LINK_DAYS,
            },
        ).strip()


def _checks_tell(
    crisis: Crisis, checks: Sequence[SafetyCheck], *, kind: str, email: bool = True
) -> int:
    """Tell each check's student, in their language, with their own answer links.

    The notification centre renders one text per language for all of them and
    adds each person's own part (``notify``'s ``personal``): the answer links
    signed for their check alone, and the link to their own check page.
    """
    if not checks:
        return 0
    by_student = {check.student_id: check for check in checks}
    people = get_user_model().objects.filter(pk__in=list(by_student))
    languages = _languages()
    fallback = {}
    for language in languages:
        with translation.override(language):
            fallback[language] = reverse("stays:check_list")
    paths = _per_language_paths()
    blocks: dict[str, str] = {}

    def personal(user: Any, language: str) -> tuple[str, str]:
        check = by_student[user.pk]
        language = language if language in paths else languages[0]
        answer_path, check_path = paths[language]
        if language not in blocks:
            blocks[language] = _links_block(language)
        links = {
            answer: _absolute(
                answer_path.replace(
                    _TOKEN_MARK,
                    answer_token_make(
                        check_id=check.pk, student_id=check.student_id, answer=answer
                    ),
                )
            )
            for answer in (CheckAnswer.SAFE, CheckAnswer.HELP)
        }
        block = (
            blocks[language]
            .replace(_SAFE_MARK, links[CheckAnswer.SAFE])
            .replace(_HELP_MARK, links[CheckAnswer.HELP])
        )
        return block, check_path.replace(_CHECK_MARK, str(check.pk))

    created = notify(
        recipients=people,
        kind=kind,
        context={"crisis": _crisis_context(crisis)},
        url=fallback,
        email=email,
        personal=personal,
    )
    return len(created)


# --- Declaring ---------------------------------------------------------------------------------


def _areas_clean(areas: Iterable[AreaInput]) -> list[tuple[str, str]]:
    """(country code, city) of each area, each once (cities compared by ``place_key``)."""
    cleaned: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for area in areas:
        code = (area.country or "").strip().upper()
        if not code or code not in countries:
            raise CrisisError(
                code="unknown_country", message=_("Choose a country from the list."), field="areas"
            )
        city = " ".join((area.city or "").replace("\x00", "").split())
        if len(city) > MAX_CITY:
            raise CrisisError(
                code="too_long",
                message=_("Keep a city's name under %(count)s characters.") % {"count": MAX_CITY},
                field="areas",
            )
        key = (code, place_key(city))
        if key not in seen:
            seen.add(key)
            cleaned.append((code, city))
    if not cleaned:
        raise CrisisError(
            code="no_area",
            message=_("Name at least one affected country, or a city in a country."),
            field="areas",
        )
    if len(cleaned) > MAX_AREAS:
        raise CrisisError(
            code="too_many_areas",
            message=_("Name at most %(count)s areas.") % {"count": MAX_AREAS},
            field="areas",
        )
    # A country named whole covers its cities.
    whole = {code for code, city in cleaned if not city}
    return [(code, city) for code, city in cleaned if not city or code not in whole]


def stays_reached(*, areas: Sequence[tuple[str, str]], today: datetime.date) -> dict[int, int]:
    """{student id: stay id} of the active students with a stay overlapping ``today`` in one of
    ``areas`` ((country, city), city "" for the whole country); a student's stay is the first
    by start of theirs that matches. One query."""
    whole = {code for code, city in areas if not city}
    cities = {(code, place_key(city)) for code, city in areas if city}
    rows = (
        StayAbroad.objects.filter(
            country__in={code for code, _city in areas},
            starts_on__lte=today,
            ends_on__gte=today,
            student__is_active=True,
        )
        .order_by("starts_on", "pk")
        .values_list("pk", "student_id", "country", "city")
    )
    reached: dict[int, int] = {}
    for stay_id, student_id, country, city in rows:
        if student_id in reached:
            continue
        code = str(country)
        if code in whole or (code, place_key(city)) in cities:
            reached[student_id] = stay_id
    return reached


def _duty_officer_check(duty_officer: User | None) -> User:
    if duty_officer is None or not may_manage_crises(duty_officer):
        raise CrisisError(
            code="duty_officer",
            message=_("Choose a duty officer among the International Section's staff."),
            field="duty_officer",
        )
    return duty_officer


def _range(value: int, bounds: tuple[int, int], *, field: str) -> int:
    low, high = bounds
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise CrisisError(
            code="out_of_range",
            message=_("Choose a number from %(low)s to %(high)s.") % {"low": low, "high": high},
            field=field,
        )
    return value


def crisis_declare(
    *,
    user: User | AnonymousUser,
    title_nb: str,
    title_en: str,
    message_nb: str,
    message_en: str,
    severity: str,
    areas: Iterable[AreaInput],
    duty_officer: User | None,
    reminder_hours: int = 6,
    acknowledge_minutes: int = 60,
    now: datetime.datetime | None = None,
    notify_students: bool = True,
    email: bool = True,
) -> Declared:
    """Declare a crisis and send a safety check to every student with a stay there today.

    Makes the crisis, its areas and one check per reached student
    (``stays_reached``: stays overlapping the local date of ``now`` in one of
    the areas) in one transaction; after it commits, each student gets a
    must-reach notification with their answer links (site and email in their
    language; ``email=False`` keeps it to the site, for demo data), and open
    pages get their hints. ``notify_students=False`` records the checks of a
    past crisis without telling anyone (demo data).

    Raises ``CrisisError`` ``forbidden`` (not staff), ``required`` or
    ``too_long`` (a title or message in either language), ``severity``,
    ``unknown_country``, ``no_area``, ``too_many_areas``, ``duty_officer``
    (not an active member of staff) or ``out_of_range`` (the reminder interval
    or the time to acknowledge).
    """
    _require_staff(user)
    moment = _now(now)
    texts = {
        "title_nb": _text(title_nb, limit=MAX_TITLE, field="title_nb", required=True),
        "title_en": _text(title_en, limit=MAX_TITLE, field="title_en", required=True),
        "message_nb": _text(message_nb, limit=MAX_MESSAGE, field="message_nb", required=True),
        "message_en": _text(message_en, limit=MAX_MESSAGE, field="message_en", required=True),
    }
    if severity not in Severity.values:
        raise CrisisError(
            code="severity", message=_("Choose one of the severities."), field="severity"
        )
    cleaned = _areas_clean(areas)
    officer = _duty_officer_check(duty_officer)
    reminder_hours = _range(reminder_hours, REMINDER_HOURS, field="reminder_hours")
    acknowledge_minutes = _range(
        acknowledge_minutes, ACKNOWLEDGE_MINUTES, field="acknowledge_minutes"
    )
    # The day in Oslo, whatever time zone the request or task runs in.
    today = timezone.localdate(moment, timezone=timezone.get_default_timezone())
    with transaction.atomic():
        crisis = Crisis(
            severity=severity,
            duty_officer=officer,
            reminder_hours=reminder_hours,
            acknowledge_minutes=acknowledge_minutes,
            declared_by=user if user.is_authenticated else None,
            declared_at=moment,
            **texts,
        )
        crisis.save()
        CrisisArea.objects.bulk_create(
            CrisisArea(crisis=crisis, country=code, city=city) for code, city in cleaned
        )
        reached = stays_reached(areas=cleaned, today=today)
        checks = SafetyCheck.objects.bulk_create(
            [
                SafetyCheck(crisis=crisis, student_id=student_id, stay_id=stay_id, sent_at=moment)
                for student_id, stay_id in reached.items()
            ],
            batch_size=ROW_BATCH,
        )
        # The hints first: after the commit they go out before the 2,000 unread counts and the
        # emails, so that every open page shows its check as soon as it can.
        _publish(crisis, students=notify_students and bool(checks))
        if notify_students:
            _checks_tell(crisis, checks, kind=CHECK_KIND, email=email)
    logger.info("Crisis %s declared: %d students reached", crisis.pk, len(checks))
    return Declared(crisis=crisis, reached=len(checks))


# --- Answering ---------------------------------------------------------------------------------


def _help_tell(check: SafetyCheck, *, email: bool = True) -> None:
    """Tell the duty officer of a call for help, in their language, with a link to the board
    (every one of the staff, if the duty officer's account is no longer active)."""
    crisis = check.crisis
    stay = check.stay
    officer = crisis.duty_officer
    # A duty officer whose account has gone is replaced by every one of the staff.
    recipients = [officer] if officer.is_active else list(duty_officer_choices())
    notify(
        recipients=recipients,
        kind=HELP_KIND,
        context={
            "crisis": _crisis_context(crisis),
            "student": check.student.display_name,
            "email": check.student.email,
            "phone": stay.local_phone if stay is not None else "",
            "city": stay.city if stay is not None else "",
            "country": str(stay.country) if stay is not None else "",
            "message": check.message,
            "asked_at": check.help_asked_at,
            "minutes": crisis.acknowledge_minutes,
        },
        url=f"{reverse('crises_admin:board', kwargs={'crisis_id': crisis.pk})}#check-{check.pk}",
        email=email,
    )


def check_answer(
    *,
    check: SafetyCheck,
    student: User | AnonymousUser,
    answer: str,
    message: str = "",
    now: datetime.datetime | None = None,
    notify_duty_officer: bool = True,
    email: bool = True,
) -> SafetyCheck:
    """Record ``student``'s answer to their check: "safe" or "help", with an optional message.

    ``student`` is the person answering: signed in, or proven by an answer
    link. A second answer replaces the first (``answer_count`` counts them,
    ``answered_at`` is the latest); "help" starts a call for help and tells
    the duty officer (a call that is still waiting keeps its start), "safe"
    ends it. The board's open pages get a hint. ``email=False`` tells the duty
    officer on the site only, ``notify_duty_officer=False`` not at all (demo
    data of a past crisis).

    Raises ``CrisisError`` ``invalid_answer``, ``too_long`` (the message),
    ``not_yours`` (someone else's check) or ``closed`` (the crisis is closed).
    """
    if answer not in (CheckAnswer.SAFE, CheckAnswer.HELP):
        raise CrisisError(
            code="invalid_answer",
            message=_("Choose “I am safe” or “I need help”."),
            field="answer",
        )
    text = _text(message, limit=MAX_ANSWER_MESSAGE, field="message", required=False)
    moment = _now(now)
    with transaction.atomic():
        locked = (
            SafetyCheck.objects.select_for_update(of=("self",))
            .select_related("student", "stay")
            .filter(pk=check.pk)
            .first()
        )
        if (
            locked is None
            or not student.is_authenticated
            or not student.is_active
            or locked.student_id != student.pk
        ):
            raise CrisisError(
                code="not_yours", message=_("This safety check was sent to someone else.")
            )
        # Read after the lock: a crisis closed meanwhile is seen closed.
        crisis = Crisis.objects.select_related("duty_officer").get(pk=locked.crisis_id)
        if crisis.closed_at is not None:
            raise CrisisError(
                code="closed",
                message=_(
                    "This crisis was closed on %(date)s, so answers are no longer recorded. "
                    "If you need help, call the emergency number where you are or the "
                    "International Section."
                )
                % {"date": timezone.localtime(crisis.closed_at).date().isoformat()},
            )
        waiting = locked.answer == CheckAnswer.HELP and locked.acknowledged_at is None
        locked.crisis = crisis
        locked.answer = answer
        locked.message = text
        locked.answered_at = moment
        locked.answer_count = F("answer_count") + 1
        if answer == CheckAnswer.HELP:
            if not waiting or locked.help_asked_at is None:
                locked.help_asked_at = moment
            locked.acknowledged_at = None
            locked.acknowledged_by = None
        else:
            locked.help_asked_at = None
            locked.acknowledged_at = None
            locked.acknowledged_by = None
        locked.save(
            update_fields=[
                "answer",
                "message",
                "answered_at",
                "answer_count",
                "help_asked_at",
                "acknowledged_at",
                "acknowledged_by",
            ]
        )
        locked.refresh_from_db(fields=["answer_count"])
        if answer == CheckAnswer.HELP and notify_duty_officer:
            _help_tell(locked, email=email)
        _publish(crisis)
    return locked


def check_acknowledge(
    *, check: SafetyCheck, user: User | AnonymousUser, now: datetime.datetime | None = None
) -> SafetyCheck:
    """The duty officer (or any of the staff) has seen a call for help: stop its clock.

    Raises ``CrisisError`` ``forbidden``, ``closed``, ``no_call`` (the check
    is not a call for help) or ``already_acknowledged`` (someone else was first).
    """
    moment = _now(now)
    with transaction.atomic():
        locked = SafetyCheck.objects.select_for_update().filter(pk=check.pk).first()
        if locked is None:
            raise CrisisError(code="no_call", message=_("This safety check no longer exists."))
        crisis = Crisis.objects.get(pk=locked.crisis_id)
        if not may_acknowledge(user=user, crisis=crisis):
            raise CrisisError(
                code="forbidden",
                message=_("Only the duty officer and the International Section's staff do this."),
            )
        if crisis.closed_at is not None:
            raise CrisisError(code="closed", message=_("This crisis is closed."))
        if locked.answer != CheckAnswer.HELP or locked.help_asked_at is None:
            raise CrisisError(code="no_call", message=_("The student no longer asks for help."))
        if locked.acknowledged_at is not None:
            raise CrisisError(
                code="already_acknowledged",
                message=_("%(name)s acknowledged this call at %(time)s.")
                % {
                    "name": locked.acknowledged_by.display_name if locked.acknowledged_by else "",
                    "time": timezone.localtime(locked.acknowledged_at).strftime("%H:%M"),
                },
            )
        locked.acknowledged_at = moment
        locked.acknowledged_by = user  # type: ignore[assignment]
        locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
        locked.crisis = crisis
        _publish(crisis)
    return locked


# --- Reminding ---------------------------------------------------------------------------------


def _due(cutoff: datetime.datetime) -> Q:
    """Checks still without an answer whose last reminder (or the check itself) is old enough."""
    return Q(answer=CheckAnswer.PENDING) & (
        Q(last_reminded_at__isnull=True, sent_at__lte=cutoff) | Q(last_reminded_at__lte=cutoff)
    )


def crisis_remind(*, now: datetime.datetime | None = None) -> Reminded:
    """Remind, once per interval, the students who have not answered an open crisis's check.

    A check is due when it has no answer and its last reminder (or, before
    the first, the check itself) is at least the crisis's ``reminder_hours``
    old. The due checks are locked (in the order of their ids) and claimed with
    a conditional ``UPDATE ... WHERE`` (still due), so two runs at once (the
    second waits for the first's locks and then finds nothing due), or a second
    run in the same interval, remind nobody twice. Each reminder is a must-reach
    notification with fresh answer links, as the first was.
    """
    moment = _now(now)
    crises = list(Crisis.objects.filter(closed_at__isnull=True).order_by("pk"))
    sent = 0
    for crisis in crises:
        due = _due(moment - datetime.timedelta(hours=crisis.reminder_hours))
        with transaction.atomic():
            # Locked in one order: a second run waits here until the first commits, then
            # finds the rows it reminded no longer due (PostgreSQL checks them again).
            candidates = list(
                SafetyCheck.objects.select_for_update()
                .filter(due, crisis=crisis)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            if (
                not candidates
                or not Crisis.objects.filter(pk=crisis.pk, closed_at__isnull=True).exists()
            ):
                continue
            claimed = SafetyCheck.objects.filter(due, pk__in=candidates).update(
                last_reminded_at=moment, reminders_sent=F("reminders_sent") + 1
            )
            if not claimed:
                continue
            checks = list(
                SafetyCheck.objects.filter(pk__in=candidates, last_reminded_at=moment).order_by(
                    "pk"
                )
            )
            _checks_tell(crisis, checks, kind=REMINDER_KIND)
            _publish(crisis)
            sent += len(checks)
    if sent:
        logger.info("Safety checks: %d reminders sent", sent)
    return Reminded(crises=len(crises), reminders=sent)


# --- Closing -----------------------------------------------------------------------------------


def crisis_close(
    *, crisis: Crisis, user: User | AnonymousUser, now: datetime.datetime | None = None
) -> Crisis:
    """Close a crisis: no more answers or reminders; its counts are kept in ``summary``.

    The checks are locked while the counts are taken, so an answer given at
    the same moment is either counted or refused as too late. Raises
    ``CrisisError`` ``forbidden`` or ``already_closed``.
    """
    _require_staff(user)
    moment = _now(now)
    with transaction.atomic():
        locked = Crisis.objects.select_for_update().get(pk=crisis.pk)
        if locked.closed_at is not None:
            raise CrisisError(code="already_closed", message=_("This crisis is already closed."))
        checks = SafetyCheck.objects.filter(crisis=locked)
        list(checks.select_for_update().values_list("pk", flat=True))
        counts = check_counts(checks)
        locked.closed_at = moment
        locked.closed_by = user  # type: ignore[assignment]
        locked.summary = {
            "checks": counts.checks,
            "safe": counts.safe,
            "help": counts.help,
            "pending": counts.pending,
            "help_acknowledged": counts.help_acknowledged,
            "reminders": counts.reminders,
            "declared_at": locked.declared_at.isoformat(),
            "closed_at": moment.isoformat(),
        }
        locked.save(update_fields=["closed_at", "closed_by", "summary"])
        _publish(locked, students=counts.pending + counts.help > 0)
    return locked
