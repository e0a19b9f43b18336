"""Writes of pre-approval cases and changes to learning agreements: the case's life.

A student opens a case for a destination and semester (``case_create``), adds
lines (``line_add``, ``line_from_precedent``), and submits it
(``case_submit``): the responsibility matrix names the unit that answers it
and the unit it escalates to (``routing.case_route``), and the unit's promised
times are copied onto the case. Advisers decide line by line
(``line_decide``), ask the student (``case_ask``) or wait for the host
institution (``host_wait``, ``host_answered``); the student answers
(``case_answer``) and may change lines that need information. When every line
has a final decision the case is decided: approved lines become earlier
decisions (precedents) and a pre-approval case gets its learning agreement.
``cases_escalate`` (run by ``manage.py approvals_escalate``) sends each late
case to its accountable unit, once.

Every write runs in one transaction and locks the case row where two people
could act at once; a refusal raises ``ApprovalError`` with a code and a
translated message and changes nothing. Every step is recorded as a
``CaseStep`` (who, what, when, the line and decision, whom the case waits for
after it), and ``case.waiting_for`` follows the last step. After each step
the case's open pages get a hint on the topic ``approval_case:<id>``; the other
side is told through the notification centre, in each reader's language.

The same steps serve both kinds of case: a change (``kind = change``) is
decided, asked, answered and escalated like a pre-approval case, goes to the
unit of the case it amends while that unit exists, and an approved line that
drops an earlier line takes that line out of the learning agreement.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from onboarding.exchange.models import Agreement, Season
from onboarding.exchange.selectors import student_programme
from onboarding.live.kinds import translated_field
from onboarding.live.services import notify, topic_publish
from onboarding.responsibilities.models import Duty
from onboarding.responsibilities.selectors import area_for_duty
from onboarding.units.selectors import unit_editors

from ..clock import WaitingFor
from ..errors import ApprovalError
from ..models import (
    APPROVING,
    FINAL_DECISIONS,
    CaseKind,
    CaseLine,
    CaseStatus,
    CaseStep,
    CourseApproval,
    LearningAgreement,
    LineAction,
    LineDecision,
    LineForeignCourse,
    LineHomeCourse,
    PreApprovalCase,
    PrecedentSource,
    StepKind,
    UnitPromise,
)
from ..permissions import may_handle_case
from ..routing import Route, accountable_unit, case_route
from ..selectors.cases import case_destinations_q, case_topic, semester_dates
from ..selectors.clocks import (
    DEFAULT_DECISION_DAYS,
    DEFAULT_FIRST_RESPONSE_DAYS,
    case_clock,
    case_clocks,
)
from .precedents import FOREIGN_FIELDS, HOME_FIELDS, _foreign, _home, precedent_create

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User

# A case holds at most this many lines, and a line this many courses on each side.
MAX_LINES = 30
MAX_COURSES = 10
# The longest text a step, a note or a comment may hold.
MAX_TEXT = 5000

SUBMITTED_KIND = "approval_case_submitted"
QUESTION_KIND = "approval_case_question"
ANSWERED_KIND = "approval_case_answered"
DECIDED_KIND = "approval_case_decided"
ESCALATED_KIND = "approval_case_escalated"


# --- Shared pieces -----------------------------------------------------------------------------


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _text(value: str | None, *, required: bool, field: str = "text") -> str:
    """``value`` stripped (without NUL characters, which no database stores); refuses empty or long."""
    text = (value or "").replace("\x00", "").strip()
    if required and not text:
        raise ApprovalError(code="text_required", message=_("Write a few words."), field=field)
    if len(text) > MAX_TEXT:
        raise ApprovalError(
            code="text_too_long",
            message=_("Keep it under %(count)s characters.") % {"count": MAX_TEXT},
            field=field,
        )
    return text


def _locked(case: PreApprovalCase) -> PreApprovalCase:
    """The case row afresh, locked until the transaction ends (two people may act at once)."""
    return (
        PreApprovalCase.objects.select_for_update(of=("self",))
        .select_related("agreement__institution", "unit", "accountable_unit", "student", "adviser")
        .get(pk=case.pk)
    )


def _own(case: PreApprovalCase, user: User | AnonymousUser) -> None:
    if not user.is_authenticated or case.student_id != user.pk:
        raise ApprovalError(code="forbidden", message=_("This is not your case."))


def _handler(case: PreApprovalCase, user: User | AnonymousUser) -> None:
    if not user.is_authenticated or case.student_id == user.pk:
        raise ApprovalError(code="forbidden", message=_("You cannot handle your own case."))
    if not may_handle_case(user=user, case=case):
        raise ApprovalError(code="forbidden", message=_("You do not handle this case."))


def _status(case: PreApprovalCase, *allowed: str) -> None:
    if case.status in allowed:
        return
    messages: dict[str, Any] = {
        CaseStatus.DRAFT: _("The case has not been submitted yet."),
        CaseStatus.OPEN: _("The case has been submitted and can no longer be changed this way."),
        CaseStatus.DECIDED: _("The case has been decided."),
        CaseStatus.WITHDRAWN: _("The case has been withdrawn."),
    }
    raise ApprovalError(code=f"case_{case.status}", message=messages[case.status])


def _step(
    case: PreApprovalCase,
    *,
    actor: User | None,
    kind: str,
    waiting_for: str,
    at: datetime.datetime,
    line: CaseLine | None = None,
    decision: str = "",
    text: str = "",
) -> CaseStep:
    """Record one step and keep ``case.waiting_for`` in step with it (the caller saves the case)."""
    step = CaseStep.objects.create(
        case=case,
        at=at,
        actor=actor,
        kind=kind,
        line=line,
        decision=decision,
        waiting_for=waiting_for,
        text=text,
    )
    case.waiting_for = waiting_for
    return step


def _publish(case: PreApprovalCase, step: CaseStep) -> None:
    """A hint to the case's open pages (sent after commit): they re-read the case."""
    topic_publish(
        topic=case_topic(case),
        payload={
            "type": "approval_case.step",
            "case": case.pk,
            "version": step.pk,
            "step": step.kind,
            "status": case.status,
            "waiting_for": case.waiting_for,
        },
    )


def _case_url(case: PreApprovalCase) -> dict[str, str]:
    urls = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            urls[language] = reverse("approvals:case_detail", kwargs={"case_id": case.pk})
    return urls


def _context(case: PreApprovalCase, *, text: str = "", actor: User | None = None) -> dict:
    """What the notification templates read of a case (``case`` in each kind's context)."""
    counts = dict.fromkeys(LineDecision.values, 0)
    for decision in case.lines.values_list("decision", flat=True):
        counts[decision] += 1
    return {
        "case": {
            "number": case.pk,
            "kind": case.kind,
            "destination": translated_field(case.agreement.institution, "name"),
            "year": case.year,
            "season": case.season,
            "student": case.student.display_name,
            "unit": translated_field(case.unit, "title") if case.unit_id else "",
            "actor": actor.display_name if actor is not None else "",
            "lines": sum(counts.values()),
            "approved": counts[LineDecision.APPROVED],
            "conditions": counts[LineDecision.CONDITIONS],
            "refused": counts[LineDecision.REFUSED],
            "needs_info": counts[LineDecision.NEEDS_INFO],
            "text": text,
        }
    }


def _tell(
    case: PreApprovalCase,
    *,
    recipients: Iterable[User],
    kind: str,
    text: str = "",
    actor: User | None = None,
) -> None:
    people = [person for person in recipients if person.is_active]
    if people:
        notify(
            recipients=people,
            kind=kind,
            context=_context(case, text=text, actor=actor),
            url=_case_url(case),
        )


def _advisers(case: PreApprovalCase, *, but: User | None = None) -> list[User]:
    """Whom the student's steps go to: the case's adviser, else the unit's editors."""
    if case.adviser_id and case.adviser is not None:
        people = [case.adviser]
    elif case.unit is not None:
        people = list(unit_editors(unit=case.unit))
    else:
        people = []
    return [person for person in people if but is None or person.pk != but.pk]


# --- Opening a case ----------------------------------------------------------------------------


def _check_destination(
    *, agreement: Agreement, programme: Any, year: int, season: str, today: datetime.date
) -> None:
    if season not in Season.values:
        raise ApprovalError(code="season", message=_("Choose a semester."), field="season")
    if not 2000 <= year <= 2100:
        raise ApprovalError(code="year", message=_("Give a year of the stay."), field="year")
    first, last = semester_dates(year=year, season=season)
    if last < today:
        raise ApprovalError(code="semester_past", message=_("That semester is over."), field="year")
    if not getattr(agreement, season, False):
        raise ApprovalError(
            code="season_closed",
            message=_("The agreement does not offer places in that semester."),
            field="season",
        )
    if agreement.valid_to < first or agreement.valid_from > last:
        raise ApprovalError(
            code="agreement_not_valid",
            message=_("The agreement is not in force in that semester."),
            field="agreement",
        )
    if (
        not Agreement.objects.filter(pk=agreement.pk)
        .filter(case_destinations_q(programme))
        .exists()
    ):
        raise ApprovalError(
            code="destination_closed",
            message=_("This agreement is not open to students of your study programme."),
            field="agreement",
        )


@transaction.atomic
def case_create(
    *,
    student: User,
    agreement: Agreement,
    year: int,
    season: str,
    note: str = "",
    now: datetime.datetime | None = None,
) -> PreApprovalCase:
    """Open a draft pre-approval case for ``agreement`` (the destination) in a semester.

    The student must have told us their study programme (saved in the
    destination finder), and the destination must be open to it: the
    agreement is in force in that semester, offers it, and covers the
    programme's level and subject. Raises ApprovalError ``no_programme``,
    ``season``, ``year``, ``semester_past``, ``season_closed``,
    ``agreement_not_valid``, ``destination_closed`` or ``text_too_long``.
    """
    moment = _now(now)
    mine = student_programme(user=student)
    if mine is None:
        raise ApprovalError(
            code="no_programme",
            message=_(
                "Tell us your study programme first: choose it in the destination finder and "
                "save it as yours."
            ),
            url=reverse("exchange:finder"),
        )
    _check_destination(
        agreement=agreement,
        programme=mine.programme,
        year=year,
        season=season,
        today=timezone.localdate(moment),
    )
    case = PreApprovalCase.objects.create(
        kind=CaseKind.PREAPPROVAL,
        student=student,
        agreement=agreement,
        programme=mine.programme,
        year=year,
        season=season,
        student_note=_text(note, required=False, field="note"),
        waiting_for=WaitingFor.NOBODY,
    )
    _step(case, actor=student, kind=StepKind.CREATED, waiting_for=WaitingFor.NOBODY, at=moment)
    return case


# --- Lines -------------------------------------------------------------------------------------


def _courses(
    foreign: Sequence[Mapping[str, Any]], home: Sequence[Mapping[str, Any]]
) -> tuple[list[LineForeignCourse], list[LineHomeCourse]]:
    """Both sides of a line checked as the precedents check them, as unsaved line courses."""
    if len(foreign) > MAX_COURSES or len(home) > MAX_COURSES:
        raise ApprovalError(
            code="too_many_courses",
            message=_("A line joins at most %(count)s courses on each side.")
            % {"count": MAX_COURSES},
        )
    foreign_rows = [
        LineForeignCourse(**{name: getattr(course, name) for name in FOREIGN_FIELDS}, sort_order=i)
        for i, course in enumerate(_foreign(foreign))
    ]
    home_rows = [
        LineHomeCourse(**{name: getattr(course, name) for name in HOME_FIELDS}, sort_order=i)
        for i, course in enumerate(_home(home))
    ]
    try:
        for foreign_course in foreign_rows:
            foreign_course.full_clean(exclude=["line"])
        for home_course in home_rows:
            home_course.full_clean(exclude=["line", "elective_field"])
    except ValidationError as error:
        raise ApprovalError(
            code="invalid_course", message=" ".join(error.messages), errors=error
        ) from error
    return foreign_rows, home_rows


def _save_courses(
    line: CaseLine, foreign: list[LineForeignCourse], home: list[LineHomeCourse]
) -> None:
    for foreign_course in foreign:
        foreign_course.line = line
    for home_course in home:
        home_course.line = line
    LineForeignCourse.objects.bulk_create(foreign)
    LineHomeCourse.objects.bulk_create(home)


def _editable_line(case: PreApprovalCase, line: CaseLine) -> None:
    """A line may change while its case is a draft, or while it needs information."""
    if line.case_id != case.pk:
        raise ApprovalError(code="line_not_in_case", message=_("That line is not in this case."))
    if case.status == CaseStatus.DRAFT:
        return
    if case.status == CaseStatus.OPEN and line.decision == LineDecision.NEEDS_INFO:
        return
    raise ApprovalError(
        code="line_locked",
        message=_("Only lines of a draft, or lines that need information, can be changed."),
    )


def _check_precedent(case: PreApprovalCase, precedent: CourseApproval | None) -> None:
    if precedent is not None and precedent.institution_id != case.agreement.institution_id:
        raise ApprovalError(
            code="precedent_elsewhere",
            message=_("That earlier decision is for another partner institution."),
        )


@transaction.atomic
def line_add(
    *,
    case: PreApprovalCase,
    user: User,
    foreign: Sequence[Mapping[str, Any]],
    home: Sequence[Mapping[str, Any]],
    comment: str = "",
    precedent: CourseApproval | None = None,
) -> CaseLine:
    """Add a line to the student's draft: ``foreign`` courses (several: a combination) to count
    as ``home`` courses, rows as ``precedent_create`` takes them.

    ``precedent`` is the earlier decision the line started from (at the case's
    partner). Raises ApprovalError ``forbidden``, ``case_<status>``,
    ``too_many_lines``, ``precedent_elsewhere`` or the course checks of the
    precedents (``no_foreign_course``, ``invalid_ects`` ...).
    """
    case = _locked(case)
    _own(case, user)
    _status(case, CaseStatus.DRAFT)
    _check_precedent(case, precedent)
    count = case.lines.count()
    if count >= MAX_LINES:
        raise ApprovalError(
            code="too_many_lines",
            message=_("A case holds at most %(count)s lines.") % {"count": MAX_LINES},
        )
    foreign_rows, home_rows = _courses(foreign, home)
    last = case.lines.order_by("-sort_order").values_list("sort_order", flat=True).first()
    line = CaseLine.objects.create(
        case=case,
        precedent=precedent,
        student_comment=_text(comment, required=False, field="comment"),
        sort_order=0 if last is None else last + 1,
    )
    _save_courses(line, foreign_rows, home_rows)
    return line


def precedent_rows(
    precedent: CourseApproval | CaseLine,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The foreign and home rows of an earlier decision (or of a line), as ``line_add`` takes them."""
    foreign = [
        {name: getattr(course, name) for name in FOREIGN_FIELDS}
        for course in precedent.foreign_courses.all()
    ]
    home = [
        {name: getattr(course, name) for name in HOME_FIELDS}
        for course in precedent.home_courses.all()
    ]
    return foreign, home


def line_from_precedent(
    *, case: PreApprovalCase, user: User, precedent: CourseApproval
) -> CaseLine:
    """Add a line pre-filled with an earlier decision's courses, linked to that decision.

    Raises as ``line_add`` does (``precedent_elsewhere`` for another partner's decision).
    """
    foreign, home = precedent_rows(precedent)
    return line_add(case=case, user=user, foreign=foreign, home=home, precedent=precedent)


def _line_locked(line: CaseLine) -> tuple[PreApprovalCase, CaseLine]:
    case = _locked(line.case)
    fresh = CaseLine.objects.filter(pk=line.pk, case=case).first()
    if fresh is None:
        raise ApprovalError(code="line_not_in_case", message=_("That line is not in this case."))
    return case, fresh


@transaction.atomic
def line_update(
    *,
    line: CaseLine,
    user: User,
    foreign: Sequence[Mapping[str, Any]],
    home: Sequence[Mapping[str, Any]],
    comment: str = "",
    now: datetime.datetime | None = None,
) -> CaseLine:
    """Replace the courses of a line of the student's draft, or of a line that needs information.

    On a submitted case the change is the student's answer: the line is
    pending again, an ANSWER step is recorded, the case waits for the adviser
    (unless other lines still need information) and the adviser is told.
    Raises ApprovalError ``forbidden``, ``line_locked`` or the course checks.
    """
    case, line = _line_locked(line)
    _own(case, user)
    _editable_line(case, line)
    foreign_rows, home_rows = _courses(foreign, home)
    text = _text(comment, required=False, field="comment")
    line.foreign_courses.all().delete()
    line.home_courses.all().delete()
    _save_courses(line, foreign_rows, home_rows)
    if text:
        line.student_comment = text
    if case.status == CaseStatus.OPEN:
        moment = _now(now)
        line.decision = LineDecision.PENDING
        line.save()
        waiting = (
            WaitingFor.STUDENT
            if case.lines.filter(decision=LineDecision.NEEDS_INFO).exists()
            else WaitingFor.ADVISER
        )
        step = _step(
            case,
            actor=user,
            kind=StepKind.ANSWER,
            waiting_for=waiting,
            at=moment,
            line=line,
            text=text or str(_("The courses of the line were changed.")),
        )
        case.save()
        _tell(case, recipients=_advisers(case), kind=ANSWERED_KIND, text=step.text, actor=user)
        _publish(case, step)
    else:
        line.save()
    return line


@transaction.atomic
def line_remove(*, line: CaseLine, user: User, now: datetime.datetime | None = None) -> None:
    """Take a line out of the student's draft, or a line that needs information out of a case.

    On a submitted case the last line cannot go (withdraw the case instead);
    when the lines left all have a final decision, the case is decided.
    Raises ApprovalError ``forbidden``, ``line_locked`` or ``last_line``.
    """
    case, line = _line_locked(line)
    _own(case, user)
    _editable_line(case, line)
    if case.status == CaseStatus.DRAFT:
        line.delete()
        return
    if case.lines.count() <= 1:
        raise ApprovalError(
            code="last_line",
            message=_("This is the case's only line: withdraw the case instead."),
        )
    moment = _now(now)
    described = ", ".join(course.code for course in line.foreign_courses.all())
    line.delete()
    waiting = (
        WaitingFor.STUDENT
        if case.lines.filter(decision=LineDecision.NEEDS_INFO).exists()
        else WaitingFor.ADVISER
    )
    step = _step(
        case,
        actor=user,
        kind=StepKind.ANSWER,
        waiting_for=waiting,
        at=moment,
        text=str(_("Took out the line %(courses)s.") % {"courses": described}),
    )
    if _all_final(case):
        step = _decide_case(case, at=moment, actor=user)
    else:
        _tell(case, recipients=_advisers(case), kind=ANSWERED_KIND, text=step.text, actor=user)
    case.save()
    _publish(case, step)


# --- Submitting --------------------------------------------------------------------------------


def _route_of(case: PreApprovalCase) -> Route:
    """Where ``case`` goes: the unit of the case it amends (a change), else the matrix's unit."""
    amends = case.amends
    if case.kind == CaseKind.CHANGE and amends is not None and amends.unit_id:
        unit = amends.unit
        if unit is not None and unit.live:
            area = area_for_duty(Duty.EXCHANGE_GUIDANCE)
            accountable = accountable_unit(unit=unit, area=area) if area else None
            return Route(unit=unit, accountable_unit=accountable or amends.accountable_unit)
    programme = case.programme or (amends.programme if amends is not None else None)
    if programme is None:
        mine = student_programme(user=case.student)
        programme = mine.programme if mine is not None else None
    if programme is None:
        raise ApprovalError(
            code="no_programme",
            message=_(
                "Tell us your study programme first: choose it in the destination finder and "
                "save it as yours."
            ),
            url=reverse("exchange:finder"),
        )
    if case.programme_id is None:
        case.programme = programme
    return case_route(programme=programme)


def _check_lines(case: PreApprovalCase) -> None:
    lines = list(case.lines.prefetch_related("foreign_courses", "home_courses"))
    if not lines:
        raise ApprovalError(
            code="no_lines", message=_("Add at least one course abroad before you submit.")
        )
    for line in lines:
        if line.action == LineAction.DROP:
            if line.drops_id is None:
                raise ApprovalError(
                    code="drop_without_line", message=_("Say which approved line to drop.")
                )
        elif not line.foreign_courses.all() or not line.home_courses.all():
            raise ApprovalError(
                code="line_incomplete",
                message=_("Every line needs a course abroad and what it counts as."),
            )


@transaction.atomic
def case_submit(
    *, case: PreApprovalCase, user: User, now: datetime.datetime | None = None
) -> PreApprovalCase:
    """Send the student's draft to the unit that answers it; the clocks start.

    The route (unit, accountable unit) and the unit's promised times (its
    ``UnitPromise``, or the defaults) are fixed on the case now. The unit's
    editors are told, each in their language. Raises ApprovalError
    ``forbidden``, ``case_<status>``, ``no_lines``, ``line_incomplete``,
    ``drop_without_line``, ``no_programme`` or ``no_unit``.
    """
    case = _locked(case)
    _own(case, user)
    _status(case, CaseStatus.DRAFT)
    _check_lines(case)
    route = _route_of(case)
    promise = UnitPromise.objects.filter(unit=route.unit).first()
    moment = _now(now)
    case.unit = route.unit
    case.accountable_unit = route.accountable_unit
    case.first_response_days = (
        promise.first_response_days if promise else DEFAULT_FIRST_RESPONSE_DAYS
    )
    case.decision_days = promise.decision_days if promise else DEFAULT_DECISION_DAYS
    case.status = CaseStatus.OPEN
    case.submitted_at = moment
    step = _step(
        case, actor=user, kind=StepKind.SUBMITTED, waiting_for=WaitingFor.ADVISER, at=moment
    )
    case.save()
    _tell(
        case,
        recipients=[p for p in unit_editors(unit=route.unit) if p.pk != user.pk],
        kind=SUBMITTED_KIND,
        actor=user,
    )
    _publish(case, step)
    return case


# --- Deciding ----------------------------------------------------------------------------------


def _all_final(case: PreApprovalCase) -> bool:
    decisions = list(case.lines.values_list("decision", flat=True))
    return bool(decisions) and all(decision in FINAL_DECISIONS for decision in decisions)


def _record_precedent(case: PreApprovalCase, line: CaseLine, day: datetime.date) -> None:
    foreign, home = precedent_rows(line)
    approval = precedent_create(
        institution=case.agreement.institution,
        deciding_unit=case.unit,  # type: ignore[arg-type]
        decided_on=day,
        foreign=foreign,
        home=home,
        isced=case.programme.isced if case.programme_id else None,  # type: ignore[union-attr]
        note=line.comment,
        source=PrecedentSource.CASE,
    )
    line.recorded_as = approval
    line.save(update_fields=["recorded_as"])


def _decide_case(case: PreApprovalCase, *, at: datetime.datetime, actor: User | None) -> CaseStep:
    """Every line has a final decision: record it, keep approved lines as precedents, tell."""
    case.status = CaseStatus.DECIDED
    case.decided_at = at
    if case.first_response_at is None:
        case.first_response_at = at
    step = _step(case, actor=actor, kind=StepKind.DECIDED, waiting_for=WaitingFor.NOBODY, at=at)
    day = timezone.localdate(at)
    approved = list(
        case.lines.filter(decision__in=APPROVING, recorded_as__isnull=True).prefetch_related(
            "foreign_courses", "home_courses"
        )
    )
    for line in approved:
        if line.action == LineAction.ADD:
            _record_precedent(case, line, day)
    if case.kind == CaseKind.PREAPPROVAL and approved:
        LearningAgreement.objects.get_or_create(case=case)
    case.save()
    _tell(case, recipients=[case.student], kind=DECIDED_KIND, actor=actor)
    return step


DECISIONS = (
    LineDecision.APPROVED,
    LineDecision.CONDITIONS,
    LineDecision.REFUSED,
    LineDecision.NEEDS_INFO,
)


@transaction.atomic
def line_decide(
    *,
    line: CaseLine,
    user: User,
    decision: str,
    comment: str = "",
    now: datetime.datetime | None = None,
) -> CaseLine:
    """An adviser decides one line: approved, approved with conditions, refused, needs information.

    Conditions, a refusal and a request for information need a comment. A
    line that needs information sends the case to the student (their clock
    pauses); the first decision is the case's first response. When every line
    has a final decision the case is decided: approved lines become earlier
    decisions of the unit (``recorded_as``), a pre-approval case gets its
    learning agreement, and the student is told. Raises ApprovalError
    ``forbidden``, ``case_<status>``, ``line_not_in_case``, ``decision`` or
    ``comment_required``.
    """
    case, line = _line_locked(line)
    _handler(case, user)
    _status(case, CaseStatus.OPEN)
    if decision not in DECISIONS:
        raise ApprovalError(code="decision", message=_("Choose a decision."), field="decision")
    text = _text(comment, required=False, field="comment")
    if decision != LineDecision.APPROVED and not text:
        raise ApprovalError(
            code="comment_required",
            message=_("Say why, or what is needed, in a comment."),
            field="comment",
        )
    moment = _now(now)
    before = line.decision
    line.decision = decision
    line.comment = text
    line.decided_by = user
    line.decided_at = moment
    line.save()
    if case.first_response_at is None:
        case.first_response_at = moment
    others_need_info = case.lines.filter(decision=LineDecision.NEEDS_INFO).exists()
    waiting: str
    if decision == LineDecision.NEEDS_INFO or others_need_info:
        waiting = WaitingFor.STUDENT
    elif before == LineDecision.NEEDS_INFO and case.waiting_for == WaitingFor.STUDENT:
        waiting = WaitingFor.ADVISER
    else:
        waiting = case.waiting_for
    step = _step(
        case,
        actor=user,
        kind=StepKind.LINE_DECIDED,
        waiting_for=waiting,
        at=moment,
        line=line,
        decision=decision,
        text=text,
    )
    if _all_final(case):
        step = _decide_case(case, at=moment, actor=user)
    else:
        case.save()
        if decision == LineDecision.NEEDS_INFO:
            _tell(case, recipients=[case.student], kind=QUESTION_KIND, text=text, actor=user)
    _publish(case, step)
    return line


# --- Questions, answers, the host institution, comments ---------------------------------------


@transaction.atomic
def case_ask(
    *, case: PreApprovalCase, user: User, text: str, now: datetime.datetime | None = None
) -> CaseStep:
    """An adviser asks the student a question; the case waits for the student (the clock pauses).

    Raises ApprovalError ``forbidden``, ``case_<status>`` or ``text_required``.
    """
    case = _locked(case)
    _handler(case, user)
    _status(case, CaseStatus.OPEN)
    body = _text(text, required=True)
    moment = _now(now)
    if case.first_response_at is None:
        case.first_response_at = moment
    step = _step(
        case,
        actor=user,
        kind=StepKind.QUESTION,
        waiting_for=WaitingFor.STUDENT,
        at=moment,
        text=body,
    )
    case.save()
    _tell(case, recipients=[case.student], kind=QUESTION_KIND, text=body, actor=user)
    _publish(case, step)
    return step


@transaction.atomic
def case_answer(
    *,
    case: PreApprovalCase,
    user: User,
    text: str,
    line: CaseLine | None = None,
    now: datetime.datetime | None = None,
) -> CaseStep:
    """The student answers on their case (about one ``line``, or the whole case).

    The case goes back to the adviser and the clock runs again, unless other
    lines still need information or the case waits for the host institution.
    The case's adviser, or else the unit's advisers, are told. Raises
    ApprovalError ``forbidden``, ``case_<status>``, ``line_not_in_case`` or
    ``text_required``.
    """
    case = _locked(case)
    _own(case, user)
    _status(case, CaseStatus.OPEN)
    if line is not None and line.case_id != case.pk:
        raise ApprovalError(code="line_not_in_case", message=_("That line is not in this case."))
    body = _text(text, required=True)
    if case.waiting_for == WaitingFor.HOST:
        waiting = WaitingFor.HOST
    elif (
        case.lines.filter(decision=LineDecision.NEEDS_INFO)
        .exclude(pk=line.pk if line is not None else 0)
        .exists()
    ):
        waiting = WaitingFor.STUDENT
    else:
        waiting = WaitingFor.ADVISER
    step = _step(
        case,
        actor=user,
        kind=StepKind.ANSWER,
        waiting_for=waiting,
        at=_now(now),
        line=line,
        text=body,
    )
    case.save()
    _tell(case, recipients=_advisers(case), kind=ANSWERED_KIND, text=body, actor=user)
    _publish(case, step)
    return step


@transaction.atomic
def host_wait(
    *, case: PreApprovalCase, user: User, text: str, now: datetime.datetime | None = None
) -> CaseStep:
    """An adviser has asked the host institution; the case waits for it (the clock pauses).

    Raises ApprovalError ``forbidden``, ``case_<status>``, ``host_waiting`` or ``text_required``.
    """
    case = _locked(case)
    _handler(case, user)
    _status(case, CaseStatus.OPEN)
    if case.waiting_for == WaitingFor.HOST:
        raise ApprovalError(
            code="host_waiting", message=_("The case already waits for the host institution.")
        )
    body = _text(text, required=True)
    moment = _now(now)
    if case.first_response_at is None:
        case.first_response_at = moment
    step = _step(
        case,
        actor=user,
        kind=StepKind.HOST_ASKED,
        waiting_for=WaitingFor.HOST,
        at=moment,
        text=body,
    )
    case.save()
    _publish(case, step)
    return step


@transaction.atomic
def host_answered(
    *, case: PreApprovalCase, user: User, text: str, now: datetime.datetime | None = None
) -> CaseStep:
    """The host institution has answered; the case is back with the adviser (the clock runs).

    Raises ApprovalError ``forbidden``, ``case_<status>``, ``host_not_waiting`` or
    ``text_required``.
    """
    case = _locked(case)
    _handler(case, user)
    _status(case, CaseStatus.OPEN)
    if case.waiting_for != WaitingFor.HOST:
        raise ApprovalError(
            code="host_not_waiting",
            message=_("The case does not wait for the host institution."),
        )
    body = _text(text, required=True)
    waiting = (
        WaitingFor.STUDENT
        if case.lines.filter(decision=LineDecision.NEEDS_INFO).exists()
        else WaitingFor.ADVISER
    )
    step = _step(
        case,
        actor=user,
        kind=StepKind.HOST_ANSWERED,
        waiting_for=waiting,
        at=_now(now),
        text=body,
    )
    case.save()
    _publish(case, step)
    return step


@transaction.atomic
def case_comment(
    *, case: PreApprovalCase, user: User, text: str, now: datetime.datetime | None = None
) -> CaseStep:
    """A comment on an open or decided case by either side; whom it waits for does not change.

    An adviser's comment is the case's first response if none came before.
    Raises ApprovalError ``forbidden``, ``case_<status>`` or ``text_required``.
    """
    case = _locked(case)
    if case.student_id != getattr(user, "pk", None):
        _handler(case, user)
    _status(case, CaseStatus.OPEN, CaseStatus.DECIDED)
    body = _text(text, required=True)
    moment = _now(now)
    if (
        case.student_id != user.pk
        and case.status == CaseStatus.OPEN
        and case.first_response_at is None
    ):
        case.first_response_at = moment
    step = _step(
        case, actor=user, kind=StepKind.COMMENT, waiting_for=case.waiting_for, at=moment, text=body
    )
    case.save()
    _publish(case, step)
    return step


@transaction.atomic
def case_withdraw(
    *, case: PreApprovalCase, user: User, now: datetime.datetime | None = None
) -> PreApprovalCase:
    """The student withdraws a draft or an open case; it waits for nobody and its clocks stop.

    Raises ApprovalError ``forbidden`` or ``case_<status>``.
    """
    case = _locked(case)
    _own(case, user)
    _status(case, CaseStatus.DRAFT, CaseStatus.OPEN)
    was_open = case.status == CaseStatus.OPEN
    case.status = CaseStatus.WITHDRAWN
    step = _step(
        case, actor=user, kind=StepKind.WITHDRAWN, waiting_for=WaitingFor.NOBODY, at=_now(now)
    )
    case.save()
    if was_open:
        _publish(case, step)
    return case


# --- Escalation --------------------------------------------------------------------------------


def _escalate_one(case_id: int, *, now: datetime.datetime) -> bool:
    with transaction.atomic():
        case = (
            PreApprovalCase.objects.select_for_update(of=("self",))
            .select_related("agreement__institution", "unit", "accountable_unit", "student")
            .filter(pk=case_id, status=CaseStatus.OPEN, escalated_at__isnull=True)
            .first()
        )
        if case is None or not case_clock(case, now=now).late:
            return False
        case.escalated_at = now
        step = _step(
            case, actor=None, kind=StepKind.ESCALATED, waiting_for=case.waiting_for, at=now
        )
        case.save()
        target = case.accountable_unit or case.unit
        if target is not None:
            _tell(case, recipients=unit_editors(unit=target), kind=ESCALATED_KIND)
        _publish(case, step)
    return True


def cases_escalate(*, now: datetime.datetime | None = None) -> int:
    """Send every open case whose first-response or decision clock is red to its accountable unit.

    Each such case gets one ESCALATED step and ``escalated_at``, and the
    accountable unit's editors are told (the handling unit's when no unit holds
    Accountable); from then on they may handle it too. A case escalates once:
    running this again, or twice at the same time, changes nothing more.
    Returns how many cases escalated now.
    """
    moment = _now(now)
    open_cases = list(
        PreApprovalCase.objects.filter(
            status=CaseStatus.OPEN, escalated_at__isnull=True, submitted_at__isnull=False
        ).only(
            "pk",
            "status",
            "submitted_at",
            "first_response_at",
            "decided_at",
            "first_response_days",
            "decision_days",
        )
    )
    clocks = case_clocks(open_cases, now=moment)
    late = [case.pk for case in open_cases if clocks[case.pk].late]
    return sum(1 for case_id in late if _escalate_one(case_id, now=moment))
