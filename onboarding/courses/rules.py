"""Who may take a course: student status, length of stay, and the prerequisite.

Pure functions over a course, a profile and the student's levels, with no
database access: the enrolment service runs them under the course's lock,
the course page runs them to explain before anyone clicks, and suggestions
run them to offer only courses a student may take.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onboarding.accounts.models import StudentStatus

from .levels import level_label, level_rank

# Statuses whose stay is their whole programme: without a departure date the
# stay counts as open-ended (it passes any minimum and no maximum).
OPEN_ENDED_STATUSES = (StudentStatus.INTERNATIONAL_DEGREE, StudentStatus.PHD)


@dataclass(frozen=True)
class Refusal:
    """Why a student may not take a course: a code and a translated sentence."""

    code: str
    message: str


def stay_months(arrival, departure):
    """Whole calendar months from ``arrival`` to ``departure`` (10 Aug to 9 Dec is 3, to 10 Dec 4)."""
    months = (departure.year - arrival.year) * 12 + (departure.month - arrival.month)
    if departure.day < arrival.day:
        months -= 1
    return max(months, 0)


def profile_stay_months(profile):
    """The length of the profile's stay in whole months; None when open-ended.

    Raises ``LookupError`` when it cannot be known: no arrival date, or no
    departure date for a status whose stay is not open-ended.
    """
    if profile.arrival_date is None:
        raise LookupError("arrival")
    if profile.departure_date is None:
        if profile.status in OPEN_ENDED_STATUSES:
            return None
        raise LookupError("departure")
    return stay_months(profile.arrival_date, profile.departure_date)


def _months(count):
    return ngettext("%(count)s month", "%(count)s months", count) % {"count": count}


def eligibility_refusal(*, course, profile):
    """Why ``profile`` may not take ``course`` (status and length of stay), or None if it may.

    The refusal codes: ``no_profile``, ``status_not_admitted``, ``stay_unknown``,
    ``stay_too_short`` and ``stay_too_long``.
    """
    if profile is None:
        return Refusal(
            "no_profile",
            _(
                "Fill in your student profile first: who may take a course depends on your "
                "status and the length of your stay."
            ),
        )
    if course.allowed_statuses and profile.status not in course.allowed_statuses:
        return Refusal(
            "status_not_admitted",
            _("This course is only for: %(statuses)s.")
            % {"statuses": ", ".join(str(label) for label in course.status_labels())},
        )
    if course.min_stay_months is None and course.max_stay_months is None:
        return None
    try:
        months = profile_stay_months(profile)
    except LookupError:
        return Refusal(
            "stay_unknown",
            _(
                "Give your arrival and departure dates in your profile: who may take this "
                "course depends on the length of your stay."
            ),
        )
    if (
        course.min_stay_months is not None
        and months is not None
        and months < course.min_stay_months
    ):
        return Refusal(
            "stay_too_short",
            _(
                "This course is for students staying at least %(minimum)s; your stay is "
                "%(stay)s. Choose a shorter course."
            )
            % {"minimum": _months(course.min_stay_months), "stay": _months(months)},
        )
    if course.max_stay_months is not None and (months is None or months > course.max_stay_months):
        return Refusal(
            "stay_too_long",
            _(
                "This short course is for students staying at most %(maximum)s. Choose one "
                "of the longer courses."
            )
            % {"maximum": _months(course.max_stay_months)},
        )
    return None


def prerequisite_refusal(*, course, placement_level=None, passed_level=None):
    """Why the student lacks the course's prerequisite, or None if they meet it.

    The prerequisite is met by a passed course that reached the required
    level (``passed_level``: the highest level reached by a passed course) or
    a placement result at or above it (``placement_level``). The refusal's
    code is ``prerequisite_missing``.
    """
    required = course.prerequisite_level
    if not required:
        return None
    if max(level_rank(placement_level), level_rank(passed_level)) >= level_rank(required):
        return None
    return Refusal(
        "prerequisite_missing",
        _(
            "This course requires Norwegian at level %(level)s: pass a course that reaches "
            "it, or take the placement test."
        )
        % {"level": level_label(required)},
    )


def course_refusal(*, course, profile, placement_level=None, passed_level=None):
    """The first reason the student may not take ``course``, or None (eligibility, then prerequisite)."""
    return eligibility_refusal(course=course, profile=profile) or prerequisite_refusal(
        course=course, placement_level=placement_level, passed_level=passed_level
    )
