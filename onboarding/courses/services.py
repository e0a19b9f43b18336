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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onboarding.accounts.profile_services import ProfileError, profile_set_norwegian_level
from onboarding.bookings import holders
from onboarding.bookings.holders import HolderCancelled, HolderKind, Refusal
from onboarding.bookings.models import BookingStatus
from onboarding.bookings.selectors import Places, waitlist_position
from onboarding.live.kinds import translated_field

from .errors import CourseCancelError, EnrolmentError, PlacementError, ResultError
from .models import (
    CourseCancellation,
    CourseResult,
    Enrolment,
    NorwegianCoursePage,
    PlacementResult,
)
from .placement import PlacementAnswerError, clean_answers, placement_score
from .selectors import course_may_manage, student_get

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
    ``position`` set), ``full`` (no place and no waitlist) or ``busy`` (too
    many at once: try again).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        raise EnrolmentError(code="login_required", message=_("Log in to apply for a course."))
    # The rules read the person's profile, placement and results: before the lock.
    student = student_get(user=user)

    def check(locked: NorwegianCoursePage) -> None:
        _check_application(locked, now or timezone.now())
        refusal = student.refusal(locked)
        if refusal is not None:
            raise EnrolmentError(code=refusal.code, message=refusal.message)

    result = holders.booking_place(
        kind=COURSES,
        holder_id=course.pk,
        person=user,
        check=check,
        already=_already_enrolled,
        now=now,
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
