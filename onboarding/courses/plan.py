"""The Norwegian course on the arrival plan's "Your people": the student's place, or what to apply for.

Registered for the ``ARRIVAL_PLAN_COURSES`` hook in ``wagtail_hooks.py``. A student
with a place (or a waitlist place) on a course of this semester or the next
sees it; a student offered nothing sees the course that fits them and when
its application opens (or until when it is open).
"""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from onboarding.accounts.models import NorwegianLevel
from onboarding.units.kinds import UnitKind
from onboarding.units.models import UnitPage

from .levels import level_label
from .selectors import Student, catalogue_get, passed_level, placement_latest, student_standing


def _date(moment):
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def _day(day):
    return formats.date_format(day, "DATE_FORMAT")


def application_sentence(course, now=None):
    """When the course's application opens, or until when it is open, in words."""
    state = course.application_state(now)
    if state == "not_open":
        return _("The application opens %(date)s.") % {"date": _date(course.application_opens_at)}
    if state == "open":
        return _("The application is open until %(date)s.") % {
            "date": _date(course.application_closes_at)
        }
    return _("The application has closed.")


def _fit_sentence(student):
    level = student.level
    if student.placement is not None and student.placement.level == NorwegianLevel.NONE:
        return _("It is for beginners, as your placement result says you are new to Norwegian.")
    if student.placement is not None:
        return _("It fits your placement result, %(level)s.") % {
            "level": level_label(student.placement.level)
        }
    if level == NorwegianLevel.NONE:
        return _("It is for beginners, as your profile says you are new to Norwegian.")
    return _("It fits the Norwegian level in your profile, %(level)s.") % {
        "level": level_label(level)
    }


def _placement_link():
    return {"info_url": reverse("courses:placement"), "info_title": _("Take the placement test")}


def _catalogue_link(request):
    catalogue = catalogue_get()
    if catalogue is None:
        return {}
    return {"info_url": catalogue.get_url(request) or "", "info_title": _("All Norwegian courses")}


def plan_course_suggestion(*, profile, request=None):
    """The ``CourseSuggestion`` for the student of ``profile``; None leaves the default in place."""
    from onboarding.checklists.people import CourseSuggestion

    user = profile.user
    student = Student(
        user=user,
        profile=profile,
        placement=placement_latest(user=user),
        passed_level=passed_level(user=user),
    )
    standing = student_standing(student=student)
    course = standing.course
    links = _catalogue_link(request) if student.placement else _placement_link()
    if standing.state == "enrolled":
        return CourseSuggestion(
            title=course.title,
            text=_("You have a place. The course starts %(date)s.")
            % {"date": _day(course.starts_on)},
            url=course.get_url(request) or "",
            unit=standing.unit,
            **_catalogue_link(request),
        )
    if standing.state == "waitlisted":
        return CourseSuggestion(
            title=course.title,
            text=_(
                "You are on the waitlist, as number %(position)s. You will be told if you get "
                "a place."
            )
            % {"position": standing.position},
            url=course.get_url(request) or "",
            unit=standing.unit,
            **_catalogue_link(request),
        )
    if course is None:
        centre = UnitPage.objects.live().filter(kind=UnitKind.LANGUAGE_CENTRE).first()
        return CourseSuggestion(
            title=_("Norwegian courses"),
            text=_(
                "No course at your level is open to you this semester or the next yet. The "
                "language centre can advise you."
            ),
            url=(centre.get_url(request) or "") if centre else "",
            unit=centre,
            **links,
        )
    return CourseSuggestion(
        title=course.title,
        text=" ".join(
            [
                _fit_sentence(student),
                application_sentence(course),
                _("%(semester)s, %(format)s, %(levels)s.")
                % {
                    "semester": course.semester.label,
                    "format": course.get_course_format_display().lower(),
                    "levels": course.levels_label,
                },
            ]
        ),
        url=course.get_url(request) or "",
        unit=standing.unit,
        **links,
    )
