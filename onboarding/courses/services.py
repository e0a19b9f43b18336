"""Writes of the courses app: enrolment, cancellation, waitlist, results, placement.

Enrolment and cancellation go through the booking engine (``onboarding.bookings``)
and the layer every holder shares around it (``bookings.holders``), the very
functions event signups call: one transaction that locks the course's row,
checks the rules on the fresh row, counts and writes. This module adds only the
course's own rules (the application window, who may take it, the prerequisite)
as the engine's ``check`` callback. Live hints (the course's free places) and
notifications leave only after the transaction commits.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import OperationalError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onboarding.accounts.profile_selectors import profile_get
from onboarding.accounts.profile_services import ProfileError, profile_set_norwegian_level
from onboarding.bookings import holders
from onboarding.bookings.errors import BookingError
from onboarding.bookings.holders import HolderCancelled, HolderKind, Refusal
from onboarding.bookings.models import BookingStatus
from onboarding.bookings.pools import person_facts
from onboarding.bookings.selectors import Places, waitlist_position
from onboarding.bookings.services import holder_lock
from onboarding.live.kinds import translated_field
from onboarding.live.services import notify

from .allocation import Applicant, allocate
from .errors import CourseCancelError, EnrolmentError, PlacementError, ResultError
from .models import (
    AllocationRound,
    CourseCancellation,
    CourseResult,
    Enrolment,
    NorwegianCoursePage,
    PlacementResult,
    PriorityRule,
    RoundApplication,
    RoundOutcome,
)
from .placement import PlacementAnswerError, clean_answers, placement_score
from .selectors import (
    course_may_manage,
    parallel_enrolment,
    round_courses,
    round_for_course,
    student_get,
)

# --- The course as a holder ---------------------------------------------------------------


def course_notice(course: NorwegianCoursePage) -> dict[str, Any]:
    """The context every notification about ``course`` starts from."""
    return {
        "course_title": translated_field(course, "title"),
        "starts_on": course.starts_on,
        "levels": course.levels_label,
        "location": course.location,
        "online": course.online,
    }


COURSES = HolderKind(
    booking_model=Enrolment,
    cancellation_model=CourseCancellation,
    topic="course",
    notice=course_notice,
    promoted_kind="course_place_given",
    changed_kind="course_changed",
    cancelled_kind="course_cancelled",
    may_manage=lambda course, user: course_may_manage(course=course, user=user),
    booking_name="enrolment",
    refusals={
        "not_found": Refusal(
            EnrolmentError, "not_found", gettext_lazy("This course does not exist.")
        ),
        "full": Refusal(
            EnrolmentError, "full", gettext_lazy("The course is full, and it has no waitlist.")
        ),
        "not_yours": Refusal(
            EnrolmentError, "forbidden", gettext_lazy("This enrolment is not yours.")
        ),
        "not_booked": Refusal(
            EnrolmentError, "not_enrolled", gettext_lazy("You are not enrolled on this course.")
        ),
        "deadline_passed": Refusal(
            EnrolmentError,
            "cancellation_closed",
            gettext_lazy(
                "The cancellation deadline has passed. Contact the language centre to give "
                "up your place."
            ),
        ),
        "over_for_waitlist": Refusal(
            EnrolmentError, "cancellation_closed", gettext_lazy("The course is over.")
        ),
        "not_manager": Refusal(
            CourseCancelError,
            "forbidden",
            gettext_lazy("Only the course's teachers can cancel it."),
        ),
        "already_cancelled": Refusal(
            CourseCancelError,
            "already_cancelled",
            gettext_lazy("This course is already cancelled."),
        ),
        "over": Refusal(
            CourseCancelError,
            "course_over",
            gettext_lazy("The course is over; it can no longer be cancelled."),
        ),
    },
)


def places_payload(*, course_id: int, places: Places, promoted: int = 0) -> dict[str, Any]:
    """The live hint about a course's places: what every open page of the course re-reads."""
    return holders.places_payload(
        kind=COURSES, holder_id=course_id, places=places, promoted=promoted
    )


def _local(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


# --- Enrolment ----------------------------------------------------------------------------


def _check_application(course: NorwegianCoursePage, now: datetime) -> None:
    if not course.live:
        raise EnrolmentError(code="not_found", message=_("This course is not published."))
    if CourseCancellation.objects.filter(course_id=course.pk).exists():
        raise EnrolmentError(
            code="cancelled", message=_("This course is cancelled; you cannot apply for it.")
        )
    state = course.application_state(now)
    if state == "not_open":
        raise EnrolmentError(
            code="not_open",
            message=_("The application has not opened yet. It opens %(opens)s.")
            % {"opens": _local(course.application_opens_at)},
        )
    if state == "closed":
        raise EnrolmentError(
            code="closed",
            message=_("The application closed %(closed)s.")
            % {"closed": _local(course.application_closes_at)},
        )


def _check_one_per_level(course: NorwegianCoursePage, user: Any) -> None:
    """Refuse a second place at ``course``'s level and semester (under the person's lock).

    The course's lock does not cover a parallel course, so the person's own
    row is locked first: two applications by one person to two parallel
    courses then run one after the other, and the second sees the first.
    """
    try:
        list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    except OperationalError as error:
        raise EnrolmentError(
            code="busy", message=_("Many people are applying right now. Try again.")
        ) from error
    held = parallel_enrolment(course=course, user=user)
    if held is None:
        return
    semester = course.semester
    if held.status == BookingStatus.WAITLISTED:
        message = _(
            "You are already on the waitlist for %(course)s, a course at the same level in "
            "%(semester)s. You can hold one place per level and semester: leave that waitlist "
            "first, or swap."
        )
    else:
        message = _(
            "You already have a place on %(course)s, a course at the same level in %(semester)s. "
            "You can hold one place per level and semester: swap to this course, or give that "
            "place up first."
        )
    raise EnrolmentError(
        code="same_level_held",
        message=message % {"course": held.course.title, "semester": semester},
        enrolment=held,
    )


def _already_enrolled(enrolment: Enrolment) -> EnrolmentError:
    if enrolment.status == BookingStatus.WAITLISTED:
        position = waitlist_position(booking=enrolment)
        return EnrolmentError(
            code="already_enrolled",
            message=_("You are already on the waitlist, as number %(position)s.")
            % {"position": position},
            enrolment=enrolment,
            position=position,
        )
    return EnrolmentError(
        code="already_enrolled",
        message=_("You already have a place on this course."),
        enrolment=enrolment,
    )


@transaction.atomic
def enrolment_create(
    *, course: NorwegianCoursePage, user: Any, now: datetime | None = None
) -> Enrolment:
    """Enrol ``user`` on ``course``: a place if one is free, else the waitlist; returns the enrolment.

    Runs through the booking engine (``bookings.holders.booking_place``) that event
    signups use. Under the course's lock it checks on the fresh row that the
    course is published and not cancelled, that the application is open (``application_opens_at``
    inclusive, ``application_closes_at`` exclusive), that the person's status
    and length of stay admit them, and that they meet the prerequisite (a
    passed course reaching the level, or a placement result at it). The
    enrolment is confirmed while places remain, waitlisted in arrival order
    when full and the course has a waitlist. After commit, every open page
    of the course hears the new count. A person who cancelled may enrol
    again, at the back of the queue.

    Raises ``EnrolmentError`` with code ``login_required``, ``not_found``,
    ``cancelled``, ``not_open``, ``closed``, ``no_profile``, ``status_not_admitted``,
    ``stay_unknown``, ``stay_too_short``, ``stay_too_long``,
    ``prerequisite_missing``, ``already_enrolled`` (``enrolment`` and
    ``position`` set), ``same_level_held`` (a place or waitlist place on a
    parallel course: same level and semester; ``enrolment`` is that one),
    ``round`` (the course gives its places in an application round), ``full``
    (no place and no waitlist) or ``busy`` (too many at once: try again).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        raise EnrolmentError(code="login_required", message=_("Log in to apply for a course."))
    # The rules read the person's profile, placement and results: before the lock.
    student = student_get(user=user)

    def check(locked: NorwegianCoursePage) -> None:
        _check_application(locked, now or timezone.now())
        if locked.allocated_in_round:
            raise EnrolmentError(
                code="round",
                message=_(
                    "Places on this course are given in an application round: rank the courses "
                    "you want before the deadline."
                ),
            )
        refusal = student.refusal(locked)
        if refusal is not None:
            raise EnrolmentError(code=refusal.code, message=refusal.message)
        _check_one_per_level(locked, user)

    result = holders.booking_place(
        kind=COURSES,
        holder_id=course.pk,
        person=user,
        check=check,
        already=_already_enrolled,
        now=now,
        facts=person_facts(student.profile),
    )
    enrolment: Enrolment = result.booking
    return enrolment


def enrolment_message(*, enrolment: Enrolment) -> str:
    """What to tell a person right after applying: their place, or their place in the queue."""
    if enrolment.status == BookingStatus.WAITLISTED:
        position = waitlist_position(booking=enrolment)
        return _(
            "The course is full. You are on the waitlist, as number %(position)s; you will be "
            "told if you get a place."
        ) % {"position": position}
    return _("You have a place on the course.")


@transaction.atomic
def enrolment_swap(
    *, held: Enrolment, course: NorwegianCoursePage, user: Any, now: datetime | None = None
) -> Enrolment:
    """Move ``user`` from ``held`` to a parallel ``course``: all or nothing. Returns the new one.

    Gives up the held place (its waitlist moves up) and takes a place on
    ``course``, in one transaction: if ``course`` has no free place (it
    would only give a waitlist place) or refuses for any other reason,
    nothing changes and the student keeps the place they held. Both courses
    are locked in id order first, so that two swaps in opposite directions
    cannot deadlock.

    Raises ``EnrolmentError`` ``not_parallel`` (not the same level and
    semester), ``swap_full``, and whatever giving up and applying raise.
    """
    if (held.course.year, held.course.term, held.course.level_from) != (
        course.year,
        course.term,
        course.level_from,
    ) or held.course_id == course.pk:
        raise EnrolmentError(
            code="not_parallel",
            message=_("You can only swap between courses of the same level and semester."),
        )
    for course_id in sorted({held.course_id, course.pk}):
        try:
            holder_lock(booking_model=Enrolment, holder_id=course_id)
        except (BookingError, NorwegianCoursePage.DoesNotExist) as error:
            raise EnrolmentError(
                code="busy", message=_("Many people are applying right now. Try again.")
            ) from error
    enrolment_cancel(enrolment=held, user=user, now=now)
    enrolment = enrolment_create(course=course, user=user, now=now)
    if enrolment.status != BookingStatus.CONFIRMED:
        raise EnrolmentError(
            code="swap_full",
            message=_(
                "%(course)s has no free place, so you keep the place you have. Join its "
                "waitlist only if you are ready to lose your place."
            )
            % {"course": course.title},
        )
    return enrolment


def enrolment_cancel(
    *, enrolment: Enrolment | None, user: Any, now: datetime | None = None
) -> Enrolment:
    """Give up ``user``'s own place (or waitlist place); a freed place goes to the next in line.

    Runs through ``bookings.holders.booking_give_up``. A place can be given up
    until the course's cancellation deadline (the first day when none is set);
    a waitlist place until the course ends. Each freed place is given to
    exactly one waitlisted person, in arrival order, who is told through the
    notification centre; open pages of the course hear the new count. Returns
    the cancelled enrolment.

    Raises ``EnrolmentError`` ``forbidden`` (someone else's enrolment),
    ``not_enrolled`` (none, or already cancelled), ``cancellation_closed`` or ``busy``.
    """
    cancelled: Enrolment = holders.booking_give_up(
        kind=COURSES, booking=enrolment, user=user, now=now
    )
    return cancelled


def enrolments_release(*, user: Any, now: datetime | None = None) -> int:
    """Give up every place and waitlist place ``user`` holds on courses not yet over (their
    account is being deleted), whatever the cancellation deadline; the waitlist moves up and
    is told.

    Returns how many were given up. Raises ``BookingError`` ``busy``.
    """
    return holders.bookings_release(kind=COURSES, user=user, now=now)


def course_waitlist_fill(
    *, course: NorwegianCoursePage, now: datetime | None = None
) -> list[Enrolment]:
    """Give every free place of ``course`` to its waitlist (after more places were published).

    Promoted people are told through the notification centre; open pages hear
    the new count. Returns the promoted enrolments (none when no place is free).
    """
    return holders.holder_waitlist_fill(kind=COURSES, holder=course, now=now)


def course_publication_followup(
    *, course: NorwegianCoursePage, changes: Iterable[str] = ()
) -> list[Enrolment]:
    """What follows publishing a course: places it gained go to its waitlist at once, and a new
    time or place is announced to everyone with a place or on the waitlist
    (``course_changed``). Returns the promoted enrolments.
    """
    return holders.holder_publication_followup(kind=COURSES, holder=course, changes=changes)


# --- Calling a course off -----------------------------------------------------------------


def course_cancel(
    *,
    course: NorwegianCoursePage,
    by: Any,
    reason_nb: str = "",
    reason_en: str = "",
    now: datetime | None = None,
) -> HolderCancelled:
    """Call ``course`` off: every place and waitlist place is cancelled, and each person told.

    Only the course's editors (the language centre, the International
    Section: whoever may see the participants) may. Under the course's lock
    (so that no enrolment slips in after it) it checks that the course is not
    cancelled already and is not over, cancels every active enrolment, and
    records the cancellation with its reason. Everyone who held a place or a
    waitlist place hears it through the notification centre
    (``course_cancelled``, which nobody can turn off), in their own language;
    open pages of the course hear the new count. The page stays published and
    says that the course is cancelled. Returns a ``HolderCancelled``: the
    :class:`CourseCancellation` and ``told``, how many people were told.

    Raises ``CourseCancelError`` ``forbidden``, ``message_too_long``,
    ``not_found``, ``already_cancelled``, ``course_over`` or ``busy``.
    """
    return holders.holder_cancel(
        kind=COURSES, holder=course, by=by, reason_nb=reason_nb, reason_en=reason_en, now=now
    )


# --- Results ------------------------------------------------------------------------------


@transaction.atomic
def enrolment_result_set(
    *, enrolment: Enrolment, result: str, by: Any, now: datetime | None = None
) -> Enrolment:
    """Record that a student passed (or did not pass) the course; ``""`` clears it. Returns it.

    Only the course's editors (the language centre, the International
    Section) may. A passed course meets the prerequisite of the courses that
    require the level it reaches.

    Raises ``ResultError`` ``forbidden``, ``invalid_result`` or
    ``not_confirmed`` (a waitlisted or cancelled enrolment has no result).
    """
    course = enrolment.course
    if not course_may_manage(course=course, user=by):
        raise ResultError(
            code="forbidden", message=_("Only the course's teachers can record results.")
        )
    if result not in ("", *CourseResult.values):
        raise ResultError(code="invalid_result", message=_("Choose passed or not passed."))
    fresh = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if fresh.status != BookingStatus.CONFIRMED:
        raise ResultError(
            code="not_confirmed",
            message=_("%(name)s has no place on this course.") % {"name": fresh.person},
            enrolment=fresh,
        )
    now = now or timezone.now()
    fresh.result = result
    fresh.result_recorded_at = now if result else None
    fresh.result_recorded_by = by if result else None
    fresh.save(update_fields=["result", "result_recorded_at", "result_recorded_by"])
    return fresh


# --- Placement ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacementRecorded:
    """A placement just recorded, and whether its level went to the student's profile."""

    result: PlacementResult
    profile_updated: bool

    @property
    def level(self) -> str:
        return self.result.level


@transaction.atomic
def placement_record(
    *, user: Any, answers: Mapping[str, Any], now: datetime | None = None
) -> PlacementRecorded:
    """Store a placement self-assessment and put its level on the student's profile.

    Returns a :class:`PlacementRecorded`: the stored result and whether the profile has its level.

    ``answers`` maps each skill to the levels whose statements were ticked
    (see ``placement``). The suggested level goes to the profile's Norwegian
    level through the accounts service, so the arrival plan and the
    suggestions use it; without a profile the result is kept and
    ``profile_updated`` is False.

    Raises ``PlacementError`` ``login_required`` or ``invalid_answers``.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        raise PlacementError(
            code="login_required", message=_("Log in to keep your placement result.")
        )
    try:
        cleaned = clean_answers(answers)
        level, skills = placement_score(cleaned)
    except PlacementAnswerError as error:
        raise PlacementError(
            code="invalid_answers", message=_("Choose statements from the lists.")
        ) from error
    result = PlacementResult.objects.create(
        user=user,
        level=level,
        answers=cleaned,
        taken_at=now or timezone.now(),
        **skills,
    )
    try:
        profile_set_norwegian_level(user=user, level=level)
    except ProfileError as error:
        if error.code != "no_profile":
            raise
        return PlacementRecorded(result=result, profile_updated=False)
    return PlacementRecorded(result=result, profile_updated=True)


# --- Application rounds -------------------------------------------------------------------

# The order of statuses under the "by status" rule.
STATUS_PRIORITY = {"international_degree": 0, "phd": 1, "incoming_exchange": 2}
ROUND_RESULT_KIND = "course_round_result"


def round_get_or_create(*, course: NorwegianCoursePage) -> AllocationRound:
    round, _created = AllocationRound.objects.get_or_create(
        year=course.year, term=course.term, level=course.level_from
    )
    return round


@transaction.atomic
def round_apply(
    *,
    course: NorwegianCoursePage,
    user: Any,
    choices: Sequence[int],
    now: datetime | None = None,
) -> RoundApplication:
    """Rank the courses of ``course``'s round (first choice first); applying again replaces it.

    Every chosen course must be in the round and admit the student (status,
    stay, prerequisite); the application must be open on ``course``. A
    student who holds a place or waitlist place at the level and semester
    already cannot apply. Returns the application.

    Raises ``EnrolmentError`` ``login_required``, ``not_round``, ``not_open``,
    ``closed``, ``allocated``, ``no_choice``, ``not_in_round``, the
    eligibility codes of ``enrolment_create`` and ``same_level_held``.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        raise EnrolmentError(code="login_required", message=_("Log in to apply for a course."))
    if not course.allocated_in_round:
        raise EnrolmentError(
            code="not_round", message=_("This course gives its places first come, first served.")
        )
    now = now or timezone.now()
    _check_application(course, now)
    round = round_get_or_create(course=course)
    round = AllocationRound.objects.select_for_update().get(pk=round.pk)
    if round.allocated_at is not None:
        raise EnrolmentError(
            code="allocated", message=_("The places of this round have been given already.")
        )
    in_round = {c.pk: c for c in round_courses(year=round.year, term=round.term, level=round.level)}
    ranked = list(dict.fromkeys(choices))
    if not ranked:
        raise EnrolmentError(code="no_choice", message=_("Choose at least one course."))
    if any(course_id not in in_round for course_id in ranked):
        raise EnrolmentError(
            code="not_in_round", message=_("Choose among the courses of this round.")
        )
    student = student_get(user=user)
    for course_id in ranked:
        refusal = student.refusal(in_round[course_id])
        if refusal is not None:
            raise EnrolmentError(
                code=refusal.code,
                message=_("%(course)s: %(reason)s")
                % {"course": in_round[course_id].title, "reason": refusal.message},
            )
    _check_one_per_level(course, user)
    application, _created = RoundApplication.objects.update_or_create(
        round=round, person=user, defaults={"choices": ranked, "applied_at": now}
    )
    return application


@transaction.atomic
def round_withdraw(*, course: NorwegianCoursePage, user: Any) -> bool:
    """Withdraw ``user``'s application to ``course``'s round before it is allocated."""
    round = round_for_course(course=course)
    if round is None or user is None or not user.is_authenticated:
        return False
    if round.allocated_at is not None:
        raise EnrolmentError(
            code="allocated", message=_("The places of this round have been given already.")
        )
    deleted, _detail = RoundApplication.objects.filter(round=round, person=user).delete()
    return deleted > 0


def _rule_key(rule: str, profile: Any) -> int:
    if profile is None:
        return 9
    if rule == PriorityRule.DEGREE_FIRST:
        return 0 if profile.status == "international_degree" else 1
    if rule == PriorityRule.STATUS:
        return STATUS_PRIORITY.get(profile.status, 9)
    if rule == PriorityRule.LONGER_STAY:
        if profile.arrival_date and profile.departure_date:
            return -(profile.departure_date - profile.arrival_date).days
        return 0
    return 0


def round_priority_order(
    applications: Sequence[RoundApplication], *, rules: Sequence[str], seed: str
) -> list[RoundApplication]:
    """The applications in priority order: the rules in turn, then the lot drawn with ``seed``.

    The lot shuffles the applicants (ordered by person id first) with a
    generator seeded by ``seed``: the same seed gives the same order again.
    """
    lot = sorted(applications, key=lambda a: a.person_id)
    random.Random(seed).shuffle(lot)
    position = {a.pk: index for index, a in enumerate(lot)}

    def key(application: RoundApplication) -> tuple[int, ...]:
        profile = getattr(application.person, "student_profile", None)
        return (*(_rule_key(rule, profile) for rule in rules), position[application.pk])

    return sorted(applications, key=key)


@dataclass
class RoundPlan:
    """An allocation worked out (and, unless a preview, carried out)."""

    round: AllocationRound
    seed: str
    order: list[RoundApplication]
    courses: dict[int, NorwegianCoursePage]
    places: dict[int, int]
    placed: dict[int, int]  # {application pk: course id}
    ranks: dict[int, int]
    waitlisted: dict[int, int]  # {application pk: position}
    nothing: list[int]
    applied: bool = False


def _round_check(round: AllocationRound, by: Any, now: datetime) -> list[NorwegianCoursePage]:
    courses = round_courses(year=round.year, term=round.term, level=round.level)
    if not courses or not all(course_may_manage(course=c, user=by) for c in courses):
        raise EnrolmentError(
            code="forbidden", message=_("Only the language centre can allocate this round.")
        )
    if round.allocated_at is not None:
        raise EnrolmentError(
            code="allocated", message=_("The places of this round have been given already.")
        )
    still_open = [c for c in courses if c.application_closes_at > now]
    if still_open:
        raise EnrolmentError(
            code="still_open",
            message=_("Applications to %(course)s are open until %(closes)s: allocate after that.")
            % {
                "course": still_open[0].title,
                "closes": _local(still_open[0].application_closes_at),
            },
        )
    return courses


def round_allocate(
    *,
    round: AllocationRound,
    by: Any,
    seed: str | None = None,
    preview: bool = False,
    now: datetime | None = None,
) -> RoundPlan:
    """Allocate the round's places by its priority rules, the lot and the students' rankings.

    The applicants come in priority order (``round_priority_order``; a new
    seed is drawn unless given, and recorded), and ``allocation.allocate``
    gives the free places of the round's courses by min-cost flow: one place
    per student, who gets a place follows the order strictly, then as many
    first choices as possible. With ``preview`` nothing is written.

    Otherwise, in one transaction under the round's lock, each place becomes
    an enrolment through the booking engine (priority order; the courses'
    locks, capacities and the one-place-per-level rule hold as for anyone
    applying), then the others join the waitlist of their first choice in
    priority order (when it keeps one). Each applicant hears the result in
    their own language. A late cancellation meanwhile only frees a place,
    which the engine gives to the waitlist as always.

    Raises ``EnrolmentError`` ``forbidden``, ``allocated`` or ``still_open``.
    """
    now = now or timezone.now()
    seed = seed or secrets.token_hex(8)
    with transaction.atomic():
        round = AllocationRound.objects.select_for_update().get(pk=round.pk)
        courses = {c.pk: c for c in _round_check(round, by, now)}
        applications = list(round.applications.select_related("person__student_profile"))
        order = round_priority_order(applications, rules=round.priority_rules, seed=seed)
        places = {pk: _free_places(course) for pk, course in courses.items()}
        result = allocate(
            [Applicant(a.pk, tuple(c for c in a.choices if c in courses)) for a in order], places
        )
        plan = RoundPlan(
            round=round,
            seed=seed,
            order=order,
            courses=courses,
            places=places,
            placed=dict(result.placed),
            ranks=dict(result.ranks),
            waitlisted={},
            nothing=[],
        )
        if preview:
            plan.nothing = [a.pk for a in order if a.pk not in plan.placed]
            return plan
        _round_apply(plan, by=by, now=now)
    return plan


def _free_places(course: NorwegianCoursePage) -> int:
    confirmed = Enrolment.objects.filter(course=course, status=BookingStatus.CONFIRMED).count()
    return max(course.capacity - confirmed, 0) if course.capacity is not None else 10**6


def _round_book(course: NorwegianCoursePage, user: Any, now: datetime) -> Enrolment:
    def check(locked: NorwegianCoursePage) -> None:
        if CourseCancellation.objects.filter(course_id=locked.pk).exists():
            raise EnrolmentError(code="cancelled", message=_("This course is cancelled."))
        _check_one_per_level(locked, user)

    result = holders.booking_place(
        kind=COURSES,
        holder_id=course.pk,
        person=user,
        check=check,
        already=_already_enrolled,
        now=now,
        facts=person_facts(profile_get(user=user)),
    )
    enrolment: Enrolment = result.booking
    return enrolment


def _round_apply(plan: RoundPlan, *, by: Any, now: datetime) -> None:
    """Turn the plan into enrolments and outcomes, and tell each applicant (in the transaction)."""
    for priority, application in enumerate(plan.order, start=1):
        application.priority = priority
        application.outcome, application.course, application.choice_rank = (
            RoundOutcome.NONE,
            None,
            None,
        )
        course_id = plan.placed.get(application.pk)
        if course_id is None:
            continue
        try:
            enrolment = _round_book(plan.courses[course_id], application.person, now)
        except EnrolmentError:
            continue  # A place elsewhere at this level meanwhile, or the course was called off.
        if enrolment.status == BookingStatus.CONFIRMED:
            application.outcome = RoundOutcome.PLACED
            application.course = plan.courses[course_id]
            application.choice_rank = plan.ranks[application.pk]
    for application in plan.order:
        if application.outcome == RoundOutcome.PLACED:
            continue
        first = next((c for c in application.choices if c in plan.courses), None)
        if first is None or not plan.courses[first].waitlist_enabled:
            plan.nothing.append(application.pk)
            continue
        try:
            enrolment = _round_book(plan.courses[first], application.person, now)
        except EnrolmentError:
            plan.nothing.append(application.pk)
            continue
        application.course = plan.courses[first]
        application.choice_rank = 1
        if enrolment.status == BookingStatus.CONFIRMED:  # a place freed meanwhile
            application.outcome = RoundOutcome.PLACED
        else:
            application.outcome = RoundOutcome.WAITLISTED
            plan.waitlisted[application.pk] = waitlist_position(booking=enrolment) or 0
    RoundApplication.objects.bulk_update(
        plan.order, ["priority", "outcome", "course", "choice_rank"]
    )
    plan.round.seed = plan.seed
    plan.round.allocated_at = now
    plan.round.allocated_by = by if getattr(by, "is_authenticated", False) else None
    plan.round.save(update_fields=["seed", "allocated_at", "allocated_by"])
    for application in plan.order:
        _round_tell(application, plan)
    plan.applied = True


def _round_tell(application: RoundApplication, plan: RoundPlan) -> None:
    context: dict[str, Any] = {"outcome": application.outcome, "level": plan.round.level}
    url: Any = ""
    if application.course is not None:
        context.update(course_notice(application.course))
        context["choice_rank"] = application.choice_rank
        context["position"] = plan.waitlisted.get(application.pk)
        url = application.course
    notify(recipients=[application.person], kind=ROUND_RESULT_KIND, context=context, url=url)


@transaction.atomic
def round_rules_set(*, round: AllocationRound, rules: Sequence[str], by: Any) -> AllocationRound:
    """Set the round's priority rules (in order, before the lot) until it is allocated.

    Raises ``EnrolmentError`` ``forbidden``, ``allocated`` or ``invalid_rules``.
    """
    round = AllocationRound.objects.select_for_update().get(pk=round.pk)
    courses = round_courses(year=round.year, term=round.term, level=round.level)
    if not courses or not all(course_may_manage(course=c, user=by) for c in courses):
        raise EnrolmentError(
            code="forbidden", message=_("Only the language centre can allocate this round.")
        )
    if round.allocated_at is not None:
        raise EnrolmentError(
            code="allocated", message=_("The places of this round have been given already.")
        )
    cleaned = list(dict.fromkeys(rule for rule in rules if rule))
    if any(rule not in PriorityRule.values for rule in cleaned):
        raise EnrolmentError(code="invalid_rules", message=_("Choose rules from the list."))
    round.priority_rules = cleaned
    round.save(update_fields=["priority_rules"])
    return round
