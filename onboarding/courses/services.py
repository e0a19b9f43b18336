"""Writes of the courses app: enrolment, cancellation, waitlist, results, placement.

Enrolment and cancellation go through the capacity engine
(``onboarding.activities.capacity``), the very functions event signups call:
one transaction that locks the course's row, checks the rules on the fresh
row, counts and writes. This module adds only the course's own rules (the
application window, who may take it, the prerequisite, the cancellation
deadline) as the engine's ``check`` callback. Live hints (the course's free
places) and notifications leave only after the transaction commits.
"""

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cms.middleware import page_cache_clear
from onboarding.accounts.profile_services import ProfileError, profile_set_norwegian_level
from onboarding.activities import capacity
from onboarding.activities.capacity import BookingError, BookingStatus
from onboarding.activities.services import organiser_texts
from onboarding.live.kinds import per_reader, translated_field
from onboarding.live.services import notify, topic_publish

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

# --- Live hints and notifications ---------------------------------------------------------


def places_payload(*, course_id, places, promoted=0):
    """The live hint about a course's places: what every open page of the course re-reads."""
    return {"type": "course.places", "course": course_id, "promoted": promoted, **places.as_dict()}


def _publish_places(course_id, places, promoted=0):
    topic_publish(
        topic=f"course:{course_id}",
        payload=places_payload(course_id=course_id, places=places, promoted=promoted),
    )


def _course_context(course):
    return {
        "course_title": translated_field(course, "title"),
        "starts_on": course.starts_on,
        "levels": course.levels_label,
    }


def _notify_promoted(course, promoted):
    if promoted:
        notify(
            recipients=[enrolment.person for enrolment in promoted],
            kind="course_place_given",
            context=_course_context(course),
            url=course,
        )


def _local(moment):
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


# --- Enrolment ----------------------------------------------------------------------------


def _check_application(course, now):
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


def _already_enrolled(enrolment):
    if enrolment.status == BookingStatus.WAITLISTED:
        position = capacity.waitlist_position(booking=enrolment)
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
def enrolment_create(*, course, user, now=None):
    """Enrol ``user`` on ``course``: a place if one is free, else the waitlist; returns the enrolment.

    Runs through the capacity engine (``capacity.booking_create``) that event
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
    ``position`` set) or ``full`` (no place and no waitlist).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        raise EnrolmentError(code="login_required", message=_("Log in to apply for a course."))
    # The rules read the person's profile, placement and results: before the lock.
    student = student_get(user=user)

    def check(locked):
        _check_application(locked, now or timezone.now())
        refusal = student.refusal(locked)
        if refusal is not None:
            raise EnrolmentError(code=refusal.code, message=refusal.message)

    try:
        result = capacity.booking_create(
            booking_model=Enrolment, holder_id=course.pk, person=user, check=check, now=now
        )
    except NorwegianCoursePage.DoesNotExist as error:
        raise EnrolmentError(code="not_found", message=_("This course does not exist.")) from error
    except BookingError as error:
        if error.code == "already_booked":
            raise _already_enrolled(error.booking) from error
        raise EnrolmentError(
            code="full", message=_("The course is full, and it has no waitlist.")
        ) from error
    _publish_places(course.pk, result.places)
    return result.booking


def enrolment_message(*, enrolment):
    """What to tell a person right after applying: their place, or their place in the queue."""
    if enrolment.status == BookingStatus.WAITLISTED:
        position = capacity.waitlist_position(booking=enrolment)
        return _(
            "The course is full. You are on the waitlist, as number %(position)s; you will be "
            "told if you get a place."
        ) % {"position": position}
    return _("You have a place on the course.")


@transaction.atomic
def enrolment_cancel(*, enrolment, user, now=None):
    """Give up ``user``'s own place (or waitlist place); a freed place goes to the next in line.

    Runs through the capacity engine (``capacity.booking_cancel``). A place
    can be given up until the course's cancellation deadline (the first day
    when none is set); a waitlist place until the course ends. Each freed
    place is given to exactly one waitlisted person, in arrival order, who is
    told through the notification centre; open pages of the course hear the
    new count. Returns the cancelled enrolment.

    Raises ``EnrolmentError`` ``forbidden`` (someone else's enrolment),
    ``not_enrolled`` (already cancelled) or ``cancellation_closed``.
    """
    if user is None or not user.is_authenticated or enrolment.person_id != user.pk:
        raise EnrolmentError(code="forbidden", message=_("This enrolment is not yours."))

    def check(course, fresh):
        moment = now or timezone.now()
        if fresh.status == BookingStatus.CONFIRMED and not course.may_cancel(moment):
            raise EnrolmentError(
                code="cancellation_closed",
                message=_(
                    "The cancellation deadline has passed. Contact the language centre to give "
                    "up your place."
                ),
                enrolment=fresh,
            )
        if fresh.status == BookingStatus.WAITLISTED and course.has_ended(moment):
            raise EnrolmentError(
                code="cancellation_closed", message=_("The course is over."), enrolment=fresh
            )

    try:
        result = capacity.booking_cancel(
            booking_model=Enrolment, booking_id=enrolment.pk, check=check, now=now
        )
    except BookingError as error:
        raise EnrolmentError(
            code="not_enrolled", message=_("You are not enrolled on this course.")
        ) from error
    _notify_promoted(result.holder, result.promoted)
    _publish_places(result.holder.pk, result.places, promoted=len(result.promoted))
    return result.booking


@transaction.atomic
def course_waitlist_fill(*, course, now=None):
    """Give every free place of ``course`` to its waitlist (after more places were published).

    Runs through ``capacity.waitlist_fill``. Promoted people are told through
    the notification centre; open pages hear the new count. Returns the
    promoted enrolments (none when no place is free).
    """
    result = capacity.waitlist_fill(booking_model=Enrolment, holder_id=course.pk, now=now)
    if result.promoted:
        _notify_promoted(result.holder, result.promoted)
        _publish_places(result.holder.pk, result.places, promoted=len(result.promoted))
    return result.promoted


# --- Calling a course off -----------------------------------------------------------------


@transaction.atomic
def course_cancel(*, course, by, reason_nb="", reason_en="", now=None):
    """Call ``course`` off: every place and waitlist place is cancelled, and each person told.

    Only the course's editors (the language centre, the International
    Section: whoever may see the participants) may. Under the course's lock
    (so that no enrolment slips in after it) it checks that the course is not
    cancelled already and is not over, cancels every active enrolment, and
    records the cancellation with its reason. Everyone who held a place or a
    waitlist place hears it through the notification centre
    (``course_cancelled``, which nobody can turn off), in their own language;
    open pages of the course hear the new count. The page stays published and
    says that the course is cancelled. Returns the :class:`CourseCancellation`,
    with ``told``: how many people were told.

    Raises ``CourseCancelError`` ``forbidden``, ``message_too_long``,
    ``not_found``, ``already_cancelled`` or ``course_over``.
    """
    if not course_may_manage(course=course, user=by):
        raise CourseCancelError(
            code="forbidden", message=_("Only the course's teachers can cancel it.")
        )
    texts = organiser_texts(reason_nb, reason_en, error_class=CourseCancelError)
    moment = now or timezone.now()

    def check(locked):
        if CourseCancellation.objects.filter(course_id=locked.pk).exists():
            raise CourseCancelError(
                code="already_cancelled", message=_("This course is already cancelled.")
            )
        if locked.has_ended(moment):
            raise CourseCancelError(
                code="course_over",
                message=_("The course is over; it can no longer be cancelled."),
            )

    try:
        result = capacity.bookings_cancel_all(
            booking_model=Enrolment, holder_id=course.pk, check=check, now=moment
        )
    except NorwegianCoursePage.DoesNotExist as error:
        raise CourseCancelError(
            code="not_found", message=_("This course does not exist.")
        ) from error
    cancellation = CourseCancellation.objects.create(
        course=result.holder,
        cancelled_at=moment,
        cancelled_by=by,
        reason_nb=texts["nb"],
        reason_en=texts["en"],
    )
    recipients = [enrolment.person for enrolment in result.cancelled]
    if recipients:
        notify(
            recipients=recipients,
            kind="course_cancelled",
            context={**_course_context(result.holder), "reason": per_reader(texts)},
            url=result.holder,
        )
    _publish_places(result.holder.pk, result.places)
    # Cached copies of the course page and the catalogue must say so now.
    transaction.on_commit(page_cache_clear)
    cancellation.told = len(recipients)
    return cancellation


# --- Results ------------------------------------------------------------------------------


@transaction.atomic
def enrolment_result_set(*, enrolment, result, by, now=None):
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


@transaction.atomic
def placement_record(*, user, answers, now=None):
    """Store a placement self-assessment and put its level on the student's profile; returns it.

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
        result.profile_updated = False
    else:
        result.profile_updated = True
    return result
