"""Writes of requests to come home early: the request's life, from asking to the decision.

A student abroad asks to come home early from one of their own stays
(``request_create``): a reason (with a crisis, the open crisis they have a safety check in),
an explanation, the day they come home (within the stay), and the plan-B courses they would
take at home instead, copied onto the request. The request goes to the faculty of their
study programme, or to the International Section (``selectors.returns.return_unit``), and
its decision is promised within the unit's decision days (its ``UnitPromise``) or
``settings.STAY_RETURN_DECISION_DAYS``, fixed now. The faculty asks the student
(``request_ask``; the clock pauses until ``request_answer``), comments
(``request_comment``) and decides (``request_decide``): approved or refused, with a note
and, when approved, what happens to the learning agreement. The student may withdraw while
it is undecided (``request_withdraw``).

Every write runs in one transaction and locks the request's row (or, when asking, the
stay's) where two people could act at once; a refusal raises ``ReturnError`` with a code and
a translated message and changes nothing. Every step is recorded as an
``EarlyReturnStep`` (who, what, when, whom the request waits for after it), the decision
clock is read from them (the pre-approval cases' clock), and the other side is told through
the notification centre, in each reader's language, once the transaction commits.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from onboarding.approvals.clock import WaitingFor
from onboarding.approvals.models import UnitPromise
from onboarding.exchange.models import StudentProgramme
from onboarding.live.kinds import translated_field
from onboarding.live.services import notify
from onboarding.units.selectors import unit_editors

from ..errors import ReturnError
from ..models import (
    AgreementOutcome,
    Crisis,
    EarlyReturnRequest,
    EarlyReturnStep,
    PlanBCourse,
    ProgrammeCourse,
    ReturnReason,
    ReturnStatus,
    ReturnStepKind,
    StayAbroad,
)
from ..selectors.returns import may_handle_request, open_crises, return_unit, stay_may_return

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User

# The longest explanation, question, answer, comment or note.
MAX_TEXT = 5000
# A request holds at most this many plan-B courses.
MAX_COURSES = 20

SUBMITTED_KIND = "stays_return_submitted"
QUESTION_KIND = "stays_return_question"
ANSWERED_KIND = "stays_return_answered"
DECIDED_KIND = "stays_return_decided"
WITHDRAWN_KIND = "stays_return_withdrawn"

DECISIONS = (ReturnStatus.APPROVED, ReturnStatus.REFUSED)


@dataclass(frozen=True)
class PlanBInput:
    """One plan-B course as the student gives it: typed, kept from the stay, or picked from the
    programme's courses (``course_id``)."""

    code: str
    title: str
    ects: Decimal | str | None
    course_id: int | None = None


# --- Shared pieces -----------------------------------------------------------------------------


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _text(value: str | None, *, required: bool, field: str = "text") -> str:
    """``value`` stripped (without NUL characters, which no database stores); refuses empty or long."""
    text = (value or "").replace("\x00", "").strip()
    if required and not text:
        raise ReturnError(code="text_required", message=_("Write a few words."), field=field)
    if len(text) > MAX_TEXT:
        raise ReturnError(
            code="text_too_long",
            message=_("Keep it under %(count)s characters.") % {"count": MAX_TEXT},
            field=field,
        )
    return text


def _locked(request: EarlyReturnRequest) -> EarlyReturnRequest:
    """The request's row afresh, locked until the transaction ends (two people may act at once)."""
    return (
        EarlyReturnRequest.objects.select_for_update(of=("self",))
        .select_related("stay", "student", "unit")
        .get(pk=request.pk)
    )


def _own(request: EarlyReturnRequest, user: User | AnonymousUser) -> None:
    if not user.is_authenticated or request.student_id != user.pk:
        raise ReturnError(code="forbidden", message=_("This is not your request."))


def _handler(request: EarlyReturnRequest, user: User | AnonymousUser) -> None:
    if user.is_authenticated and request.student_id == user.pk:
        raise ReturnError(code="forbidden", message=_("You cannot handle your own request."))
    if not may_handle_request(user=user, request=request):
        raise ReturnError(code="forbidden", message=_("You do not handle this request."))


def _undecided(request: EarlyReturnRequest) -> None:
    if request.status == ReturnStatus.SUBMITTED:
        return
    if request.status == ReturnStatus.WITHDRAWN:
        raise ReturnError(code="withdrawn", message=_("The request has been withdrawn."))
    raise ReturnError(code="already_decided", message=_("The request has been decided already."))


def _step(
    request: EarlyReturnRequest,
    *,
    actor: User | None,
    kind: str,
    waiting_for: str,
    at: datetime.datetime,
    text: str = "",
) -> EarlyReturnStep:
    """Record one step and keep ``request.waiting_for`` in step with it (the caller saves)."""
    step = EarlyReturnStep.objects.create(
        request=request, at=at, actor=actor, kind=kind, waiting_for=waiting_for, text=text
    )
    request.waiting_for = waiting_for
    return step


def _in_each_language(make: Callable[[], Any]) -> dict[str, str]:
    """A per-language context value: what ``make()`` gives in each of the site's languages."""
    values = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            values[language] = str(make())
    return values


def _context(
    request: EarlyReturnRequest, *, text: str = "", actor: User | None = None
) -> dict[str, Any]:
    """What the notification templates read of a request (``request`` in each kind's context)."""
    stay = request.stay
    outcome = request.agreement_outcome
    return {
        "request": {
            "number": request.pk,
            "student": request.student.display_name,
            "place": _in_each_language(lambda: f"{stay.city}, {countries.name(str(stay.country))}"),
            "unit": translated_field(request.unit, "title"),
            "actor": actor.display_name if actor is not None else "",
            "reason": _in_each_language(lambda: ReturnReason(request.reason).label),
            "return_on": _in_each_language(lambda: formats.date_format(request.return_on)),
            "status": request.status,
            "decision": _in_each_language(lambda: ReturnStatus(request.status).label),
            "outcome": (
                _in_each_language(lambda: AgreementOutcome(outcome).label) if outcome else ""
            ),
            "text": text,
        }
    }


def request_urls(request: EarlyReturnRequest) -> dict[str, str]:
    """The student's page of ``request`` in each language."""
    return _in_each_language(
        lambda: reverse("stays:return_detail", kwargs={"request_id": request.pk})
    )


def _tell_student(
    request: EarlyReturnRequest, *, kind: str, text: str = "", actor: User | None = None
) -> None:
    if request.student.is_active:
        notify(
            recipients=[request.student],
            kind=kind,
            context=_context(request, text=text, actor=actor),
            url=request_urls(request),
        )


def _tell_unit(
    request: EarlyReturnRequest,
    *,
    kind: str,
    recipients: Iterable[User] | None = None,
    text: str = "",
    actor: User | None = None,
) -> None:
    """Tell the unit's editors (or ``recipients``), but not the one who acted."""
    people = recipients if recipients is not None else unit_editors(unit=request.unit)
    chosen = [
        person for person in people if person.is_active and (actor is None or person.pk != actor.pk)
    ]
    if chosen:
        notify(
            recipients=chosen,
            kind=kind,
            context=_context(request, text=text, actor=actor),
            url=reverse("stays_returns:request", args=[request.pk]),
        )


# --- Asking ------------------------------------------------------------------------------------


def _check_stay(stay: StayAbroad, *, today: datetime.date) -> None:
    if stay.ends_on < today:
        raise ReturnError(
            code="stay_over", message=_("This stay is over: there is nothing to come home from.")
        )
    if not stay_may_return(stay, today=today):
        raise ReturnError(
            code="stay_not_started",
            message=_(
                "You can ask to come home from a stay once it has begun, or in the two weeks "
                "before it begins."
            ),
        )


def _check_return_on(stay: StayAbroad, return_on: Any) -> datetime.date:
    if not isinstance(return_on, datetime.date) or isinstance(return_on, datetime.datetime):
        raise ReturnError(
            code="return_date", message=_("Give the date you come home."), field="return_on"
        )
    if not stay.starts_on <= return_on < stay.ends_on:
        raise ReturnError(
            code="return_date",
            message=_(
                "The date you come home must be within your stay: from %(start)s and before "
                "%(end)s."
            )
            % {
                "start": formats.date_format(stay.starts_on),
                "end": formats.date_format(stay.ends_on),
            },
            field="return_on",
        )
    return return_on


def _check_crisis(student: User, reason: str, crisis: Crisis | None) -> Crisis | None:
    if reason != ReturnReason.CRISIS:
        return None
    crises = open_crises(user=student)
    if crisis is not None:
        if crisis.pk not in {open_crisis.pk for open_crisis in crises}:
            raise ReturnError(
                code="crisis",
                message=_("Choose one of the open crises you have had a safety check in."),
                field="crisis",
            )
        return crisis
    if crises:
        raise ReturnError(code="crisis_required", message=_("Choose the crisis."), field="crisis")
    return None


def _ects(value: Decimal | str | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _plan_b(student: User, courses: Sequence[PlanBInput], *, language: str) -> list[PlanBCourse]:
    """The plan-B courses checked, as unsaved rows in the order given."""
    if len(courses) > MAX_COURSES:
        raise ReturnError(
            code="too_many_courses",
            message=_("A request holds at most %(count)s plan-B courses.") % {"count": MAX_COURSES},
            field="courses",
        )
    picked = [course.course_id for course in courses if course.course_id is not None]
    catalogue: dict[int, ProgrammeCourse] = {}
    if picked:
        mine = StudentProgramme.objects.filter(user=student).first()
        if mine is not None:
            catalogue = ProgrammeCourse.objects.filter(
                programme_id=mine.programme_id, pk__in=picked
            ).in_bulk()
    rows: list[PlanBCourse] = []
    seen: set[str] = set()
    for order, given in enumerate(courses):
        programme_course = None
        if given.course_id is not None:
            programme_course = catalogue.get(given.course_id)
            if programme_course is None:
                raise ReturnError(
                    code="course_not_in_programme",
                    message=_("Pick the courses from your own study programme."),
                    field="courses",
                )
        code = (given.code or "").replace("\x00", "").strip()
        title = (given.title or "").replace("\x00", "").strip()
        ects = _ects(given.ects)
        if programme_course is not None:
            code = code or programme_course.code
            title = (
                title
                or getattr(programme_course, f"title_{language}", "")
                or str(programme_course.title)
            )
            ects = ects if ects is not None else programme_course.ects
        key = code.casefold().replace(" ", "")
        if key and key in seen:
            raise ReturnError(
                code="course_twice",
                message=_("%(code)s is on the list twice.") % {"code": code},
                field="courses",
            )
        seen.add(key)
        row = PlanBCourse(
            course=programme_course,
            code=code,
            title=title,
            ects=ects,  # type: ignore[misc]
            sort_order=order,
        )
        try:
            row.full_clean(exclude=["stay", "request"], validate_constraints=False)
        except ValidationError as error:
            label = code or title or str(order + 1)
            raise ReturnError(
                code="course_invalid",
                message=_("Check the plan-B course %(course)s: %(problems)s")
                % {"course": label, "problems": " ".join(error.messages)},
                field="courses",
            ) from error
        rows.append(row)
    return rows


@transaction.atomic
def request_create(
    *,
    student: User,
    stay: StayAbroad,
    reason: str,
    return_on: datetime.date,
    explanation: str = "",
    crisis: Crisis | None = None,
    courses: Sequence[PlanBInput] = (),
    now: datetime.datetime | None = None,
) -> EarlyReturnRequest:
    """The student asks to come home early from their ``stay``; the decision clock starts.

    The stay must be the student's own, have begun (or begin within two weeks) and not have
    ended, and have no other request waiting for a decision. With the reason "crisis", the
    crisis is one of the open crises the student has a safety check in (required when there
    is one). ``return_on`` falls within the stay, before its last day. ``courses`` are
    copied onto the request as its plan-B courses. The request goes to the faculty of the
    student's programme, or to the International Section, with the unit's promised decision
    days (or ``STAY_RETURN_DECISION_DAYS``); its editors are told, each in their language.

    Raises ReturnError ``not_your_stay``, ``stay_over``, ``stay_not_started``,
    ``open_request``, ``reason``, ``crisis``, ``crisis_required``, ``text_required``,
    ``text_too_long``, ``return_date``, ``too_many_courses``, ``course_not_in_programme``,
    ``course_twice``, ``course_invalid`` or ``no_unit``.
    """
    if not student.is_authenticated or stay.student_id != student.pk:
        raise ReturnError(code="not_your_stay", message=_("This is not your stay."))
    moment = _now(now)
    # Two requests sent at once for one stay: the second waits here, then sees the first.
    stay = StayAbroad.objects.select_for_update().get(pk=stay.pk)
    _check_stay(stay, today=timezone.localdate(moment))
    waiting = EarlyReturnRequest.objects.filter(stay=stay, status=ReturnStatus.SUBMITTED).first()
    if waiting is not None:
        raise ReturnError(
            code="open_request",
            message=_(
                "You have already asked to come home from this stay, and the request is waiting "
                "for a decision. Add to it, or withdraw it first."
            ),
            request=waiting,
        )
    if reason not in ReturnReason.values:
        raise ReturnError(code="reason", message=_("Choose a reason."), field="reason")
    crisis = _check_crisis(student, reason, crisis)
    text = _text(explanation, required=reason == ReturnReason.OTHER, field="explanation")
    day = _check_return_on(stay, return_on)
    rows = _plan_b(student, courses, language=student.language or settings.LANGUAGE_CODE)
    unit = return_unit(student=student)
    if unit is None:
        raise ReturnError(
            code="no_unit",
            message=_(
                "No faculty or International Section can receive your request yet. Please "
                "contact the International Section directly."
            ),
        )
    promise = UnitPromise.objects.filter(unit=unit).first()
    request = EarlyReturnRequest.objects.create(
        stay=stay,
        student=student,
        reason=reason,
        crisis=crisis,
        explanation=text,
        return_on=day,
        status=ReturnStatus.SUBMITTED,
        waiting_for=WaitingFor.ADVISER,
        unit=unit,
        decision_days=promise.decision_days if promise else settings.STAY_RETURN_DECISION_DAYS,
        submitted_at=moment,
    )
    for row in rows:
        row.request = request
    PlanBCourse.objects.bulk_create(rows)
    _step(
        request,
        actor=student,
        kind=ReturnStepKind.SUBMITTED,
        waiting_for=WaitingFor.ADVISER,
        at=moment,
        text=text,
    )
    _tell_unit(request, kind=SUBMITTED_KIND, text=text, actor=student)
    return request


@transaction.atomic
def request_withdraw(
    *, request: EarlyReturnRequest, user: User, now: datetime.datetime | None = None
) -> EarlyReturnRequest:
    """The student withdraws their undecided request; it waits for nobody and its clock stops.

    The unit's editors are told. Raises ReturnError ``forbidden``, ``already_decided`` or
    ``withdrawn``.
    """
    request = _locked(request)
    _own(request, user)
    _undecided(request)
    request.status = ReturnStatus.WITHDRAWN
    _step(
        request,
        actor=user,
        kind=ReturnStepKind.WITHDRAWN,
        waiting_for=WaitingFor.NOBODY,
        at=_now(now),
    )
    request.save()
    _tell_unit(request, kind=WITHDRAWN_KIND, actor=user)
    return request


@transaction.atomic
def request_answer(
    *, request: EarlyReturnRequest, user: User, text: str, now: datetime.datetime | None = None
) -> EarlyReturnStep:
    """The student answers the faculty's question; the request is back with the faculty and
    its clock runs again. Whoever asked is told (else the unit's editors).

    Raises ReturnError ``forbidden``, ``already_decided``, ``withdrawn``, ``not_asked`` or
    ``text_required``.
    """
    request = _locked(request)
    _own(request, user)
    _undecided(request)
    if request.waiting_for != WaitingFor.STUDENT:
        raise ReturnError(
            code="not_asked",
            message=_("Nobody waits for an answer from you on this request."),
            field="text",
        )
    body = _text(text, required=True)
    asked = (
        request.steps.filter(kind=ReturnStepKind.QUESTION, actor__isnull=False)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    step = _step(
        request,
        actor=user,
        kind=ReturnStepKind.ANSWER,
        waiting_for=WaitingFor.ADVISER,
        at=_now(now),
        text=body,
    )
    request.save()
    asker = asked.actor if asked is not None else None
    recipients = (
        [asker]
        if asker is not None and asker.is_active and may_handle_request(user=asker, request=request)
        else None
    )
    _tell_unit(request, kind=ANSWERED_KIND, recipients=recipients, text=body, actor=user)
    return step


# --- The faculty's side ------------------------------------------------------------------------


@transaction.atomic
def request_ask(
    *, request: EarlyReturnRequest, user: User, text: str, now: datetime.datetime | None = None
) -> EarlyReturnStep:
    """The faculty asks the student a question; the request waits for the student and its
    clock pauses until they answer. The student is told, in their language.

    Raises ReturnError ``forbidden``, ``already_decided``, ``withdrawn`` or ``text_required``.
    """
    request = _locked(request)
    _handler(request, user)
    _undecided(request)
    body = _text(text, required=True)
    step = _step(
        request,
        actor=user,
        kind=ReturnStepKind.QUESTION,
        waiting_for=WaitingFor.STUDENT,
        at=_now(now),
        text=body,
    )
    request.save()
    _tell_student(request, kind=QUESTION_KIND, text=body, actor=user)
    return step


@transaction.atomic
def request_comment(
    *, request: EarlyReturnRequest, user: User, text: str, now: datetime.datetime | None = None
) -> EarlyReturnStep:
    """A comment by the faculty on an undecided or decided request, kept in its steps (the
    student sees it there); whom it waits for does not change.

    Raises ReturnError ``forbidden``, ``withdrawn`` or ``text_required``.
    """
    request = _locked(request)
    _handler(request, user)
    if request.status == ReturnStatus.WITHDRAWN:
        raise ReturnError(code="withdrawn", message=_("The request has been withdrawn."))
    body = _text(text, required=True)
    step = _step(
        request,
        actor=user,
        kind=ReturnStepKind.COMMENT,
        waiting_for=request.waiting_for,
        at=_now(now),
        text=body,
    )
    request.save()
    return step


@transaction.atomic
def request_decide(
    *,
    request: EarlyReturnRequest,
    user: User,
    decision: str,
    note: str = "",
    outcome: str = "",
    now: datetime.datetime | None = None,
) -> EarlyReturnRequest:
    """The faculty approves or refuses the request, once; the clock stops and the student is
    told, in their language.

    An approval says what happens to the learning agreement (``AgreementOutcome``: it stays
    as it is, ends at the return, or the plan-B courses replace what was not completed
    abroad; the last needs plan-B courses on the request). A refusal says why in the note.

    Raises ReturnError ``forbidden``, ``already_decided``, ``withdrawn``, ``decision``,
    ``outcome_required``, ``no_plan_b``, ``note_required`` or ``text_too_long``.
    """
    request = _locked(request)
    _handler(request, user)
    _undecided(request)
    if decision not in DECISIONS:
        raise ReturnError(code="decision", message=_("Choose a decision."), field="decision")
    body = _text(note, required=False, field="note")
    if decision == ReturnStatus.APPROVED:
        if outcome not in AgreementOutcome.values:
            raise ReturnError(
                code="outcome_required",
                message=_("Say what happens to the learning agreement."),
                field="outcome",
            )
        if outcome == AgreementOutcome.REPLACED and not request.plan_b_courses.exists():
            raise ReturnError(
                code="no_plan_b",
                message=_("The request has no plan-B courses to replace the courses abroad."),
                field="outcome",
            )
    else:
        if not body:
            raise ReturnError(
                code="note_required", message=_("Say why the request is refused."), field="note"
            )
        outcome = ""
    moment = _now(now)
    request.status = decision
    request.decided_at = moment
    request.decided_by = user
    request.decision_note = body
    request.agreement_outcome = outcome
    _step(
        request,
        actor=user,
        kind=ReturnStepKind.DECIDED,
        waiting_for=WaitingFor.NOBODY,
        at=moment,
        text=body,
    )
    request.save()
    _tell_student(request, kind=DECIDED_KIND, text=body, actor=user)
    return request
