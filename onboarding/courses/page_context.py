"""What the course catalogue and a course page show besides their own fields.

Read-only assembly for the page models' ``get_context``: the builders read
through the selectors (and the catalogue's filter from the request), and
never write. The places endpoint in views.py words places and standing with
the same helpers.
"""

from dataclasses import replace
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onboarding.accounts.models import NorwegianLevel
from onboarding.bookings import selectors as booking_selectors
from onboarding.bookings.models import BookingStatus
from onboarding.bookings.selectors import Places, waitlist_text

from . import selectors
from .forms import CourseFilterForm
from .levels import level_label
from .models import Enrolment, NorwegianCourseCatalogPage, NorwegianCoursePage
from .plan import application_sentence

# --- Places -------------------------------------------------------------------------------


def _unlimited_text(count: int) -> str:
    return ngettext(
        "%(count)s student has a place; there is no limit.",
        "%(count)s students have a place; there is no limit.",
        count,
    ) % {"count": count}


def places_text(places: Places) -> str:
    """The sentence about free places a course shows (courses.js shows the server's copy)."""
    return booking_selectors.places_text(places, unlimited=_unlimited_text)


def my_status(enrolment: Enrolment | None, position: int | None) -> dict[str, Any] | None:
    """The person's own standing on a course (a place or a waitlist number), or None."""
    if enrolment is None:
        return None
    if enrolment.status == BookingStatus.CONFIRMED:
        return {"status": "confirmed", "position": None, "text": _("You have a place.")}
    return {
        "status": "waitlisted",
        "position": position,
        "text": _("You are on the waitlist, as number %(position)s.") % {"position": position},
    }


# --- Pages --------------------------------------------------------------------------------


def catalogue_context(
    request: HttpRequest, *, catalogue: NorwegianCourseCatalogPage, now: datetime | None = None
) -> dict[str, Any]:
    """What the catalogue shows: the filters, the courses with their places, the person's level."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    form = CourseFilterForm(
        request.GET or None, semesters=selectors.catalogue_semesters(today=today)
    )
    student = selectors.student_get(user=request.user)
    rows = selectors.course_rows(
        selectors.course_list(filters=form.filters(), today=today, now=now),
        user=request.user,
        student=student,
    )
    level = student.level if student.user else None
    if level is not None:
        # The same judgement as the placement result's: "Fits your level", or why not.
        rows = selectors.courses_fit(rows, student=student, level=level, now=now)
    rows = [replace(row, application_text=application_sentence(row.course, now)) for row in rows]
    is_filtering = form.is_bound and any(request.GET.get(name) for name in form.fields)
    return {
        "form": form,
        "courses": rows,
        "student": student,
        # A level not set is no level to name ("None yet" is a choice label, not a level).
        "my_level": level_label(level) if level and level != NorwegianLevel.NONE else "",
        "is_filtering": is_filtering,
        "placement_url": reverse("courses:placement"),
        "my_enrolments": selectors.enrolments_of(user=request.user, today=today),
        "may_view_coverage": selectors.may_view_coverage(user=request.user),
    }


def course_context(
    request: HttpRequest, *, course: NorwegianCoursePage, now: datetime | None = None
) -> dict[str, Any]:
    """What a course page shows besides its own fields: places, the person's standing, the rules."""
    now = now or timezone.now()
    user = request.user
    enrolment = selectors.enrolment_for(course=course, user=user)
    if enrolment is not None and not enrolment.is_active:
        enrolment = None
    position = selectors.enrolment_position(enrolment=enrolment)
    places = selectors.course_places(course=course)
    cancellation = selectors.course_cancellation(course=course)
    refusal = None
    if user.is_authenticated and enrolment is None and cancellation is None:
        refusal = selectors.student_get(user=user).refusal(course)
    parallel = None
    round_application = None
    if enrolment is None and cancellation is None:
        parallel = selectors.parallel_enrolment(course=course, user=user)
        round_application = selectors.round_application_for(
            round=selectors.round_for_course(course=course), user=user
        )
    may_cancel = enrolment is not None and (
        course.may_cancel(now) if enrolment.status == "confirmed" else not course.has_ended(now)
    )
    my_pool = booking_selectors.pool_standing(
        places=places,
        holder=course,
        booking=enrolment,
        profile=lambda: selectors.student_get(user=user).profile,
    )
    return {
        "course": course,
        # Read only when the course's facts are rendered, not when they come from the cache.
        "unit": lambda: course.unit,
        "places": places,
        "places_text": places_text(places),
        "waitlist_text": waitlist_text(places),
        "enrolment": enrolment,
        "position": position,
        "my_status": my_status(enrolment, position),
        "my_pool": my_pool,
        "my_pool_free": places.free_for(my_pool.key) if my_pool else None,
        "application_state": course.application_state(now),
        "application_text": application_sentence(course, now),
        "refusal": refusal,
        "parallel": parallel,
        "round_application": round_application,
        "may_cancel": may_cancel,
        "has_ended": course.has_ended(now),
        "cancellation": cancellation,
        "may_manage": selectors.course_may_manage(course=course, user=user),
        "placement_url": reverse("courses:placement"),
    }
