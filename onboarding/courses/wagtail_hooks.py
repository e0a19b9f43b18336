"""Admin wiring of Norwegian courses: the coverage report in the reports menu, its permission,
a Cancel course button, and a guard that a course people have places on is cancelled (so they
are told) before it is hidden or deleted.
"""

from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from onboarding.bookings.admin_guard import (
    ORGANISER_BUTTONS_HOOK,
    PEOPLE_GUARD_HOOK,
    OrganiserButtons,
    PeopleGuard,
)

from . import selectors
from .apps import COVERAGE_PERMISSION
from .models import NorwegianCoursePage


class CoverageMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(COVERAGE_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_coverage_menu_item():
    # The report is a page of the site (in the person's language), not of the admin.
    return CoverageMenuItem(
        _("Norwegian course coverage"),
        reverse("courses:coverage"),
        name="norwegian-course-coverage",
        icon_name="group",
        order=1310,
    )


@hooks.register("register_permissions")
def register_coverage_permission():
    return Permission.objects.filter(
        content_type__app_label="courses", codename="view_coverage_report"
    )


# --- The course's own pages from the page explorer ----------------------------------------


@hooks.register(ORGANISER_BUTTONS_HOOK)
def course_organiser_buttons() -> OrganiserButtons:
    return OrganiserButtons(
        page_class=NorwegianCoursePage,
        links=[
            (_("Participants"), "courses:participants", "group"),
            (_("Cancel course"), "courses:cancel_course", "cross"),
        ],
    )


# --- Courses with people on them are cancelled, not hidden ---------------------------------


def _alone(title: str, count: int) -> str:
    return ngettext(
        "“%(title)s” has %(count)s person with a place or on the waitlist. Cancel the course "
        "first, which tells them; then it can be unpublished or deleted.",
        "“%(title)s” has %(count)s people with a place or on the waitlist. Cancel the course "
        "first, which tells them; then it can be unpublished or deleted.",
        count,
    ) % {"title": title, "count": count}


def _under(count: int, title: str, listing: str) -> str:
    return ngettext(
        "%(count)s Norwegian course under “%(title)s” that has not ended has people with a "
        "place or on the waitlist: %(courses)s. Cancel it first, which tells them.",
        "%(count)s Norwegian courses under “%(title)s” that have not ended have people with a "
        "place or on the waitlist: %(courses)s. Cancel them first, which tells them.",
        count,
    ) % {"count": count, "title": title, "courses": listing}


@hooks.register(PEOPLE_GUARD_HOOK)
def course_people_guard() -> PeopleGuard:
    return PeopleGuard(
        with_people=selectors.courses_with_people,
        when=lambda course: formats.date_format(course.starts_on, "SHORT_DATE_FORMAT"),
        cancel_url=lambda course: reverse("courses:cancel_course", args=[course.pk]),
        cancel_label=_("Cancel course"),
        alone=_alone,
        under=_under,
    )
