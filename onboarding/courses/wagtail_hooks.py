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
from onboarding.hooks import (
    ARRIVAL_PLAN_COURSES,
    INTERNATIONAL_STAFF_PERMISSIONS,
    LIVE_TOPICS,
    NOTIFICATION_KINDS,
    PERSONAL_DATA,
    SEARCH_SOURCES,
)
from onboarding.live.kinds import Channel, NotificationKind
from onboarding.privacy.register import Erasure, LegalBasis, PersonalData, Purpose

from . import selectors
from .apps import COVERAGE_PERMISSION
from .models import (
    AllocationRound,
    CourseCancellation,
    Enrolment,
    NorwegianCoursePage,
    PlacementResult,
    RoundApplication,
)
from .plan import plan_course_suggestion
from .services import enrolments_release


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


# --- What the courses app gives other apps ------------------------------------------------


@hooks.register(NOTIFICATION_KINDS)
def course_notification_kinds():
    """The kinds of notification the courses app sends: a place given, a course cancelled,
    a course's time or place changed."""
    return [
        NotificationKind(
            code="course_place_given",
            label=_("You got a place on a Norwegian course"),
            description=_("A place became free on a course you are on the waitlist for."),
            mandatory=True,
            default_channel=Channel.EMAIL,
            context_keys=("course_title", "starts_on", "levels"),
        ),
        NotificationKind(
            code="course_cancelled",
            label=_("A Norwegian course you applied for is cancelled"),
            description=_("The language centre has cancelled the course."),
            mandatory=True,
            default_channel=Channel.EMAIL,
            context_keys=("course_title", "starts_on", "levels", "reason"),
        ),
        NotificationKind(
            code="course_changed",
            label=_("A Norwegian course you applied for has changed"),
            description=_("The language centre has changed the course's schedule or place."),
            default_channel=Channel.EMAIL,
            context_keys=("course_title", "starts_on", "levels", "location", "online", "changed"),
        ),
        NotificationKind(
            code="course_round_result",
            label=_("The result of a Norwegian course round"),
            description=_("The language centre has allocated the places you applied for."),
            mandatory=True,
            default_channel=Channel.EMAIL,
            context_keys=("outcome", "level"),
        ),
    ]


@hooks.register(LIVE_TOPICS)
def course_topics():
    """The ``course:<id>`` page topic: anyone logged in may follow a live, public course."""
    return {"course": selectors.course_topic_allowed}


@hooks.register(ARRIVAL_PLAN_COURSES)
def arrival_plan_course(*, profile, request):
    """The student's course or waitlist place, or the course to apply for (or None)."""
    return plan_course_suggestion(profile=profile, request=request)


@hooks.register(INTERNATIONAL_STAFF_PERMISSIONS)
def course_staff_permissions():
    """The International Section's staff may read the course coverage report."""
    return [COVERAGE_PERMISSION]


@hooks.register(PERSONAL_DATA)
def courses_personal_data() -> list[PersonalData]:
    return [
        PersonalData(
            model=PlacementResult,
            subjects=("user",),
            fields=PlacementResult.PERSONAL_FIELDS,
            other_fields=("id",),
            purpose=Purpose.COURSES,
            legal_basis=LegalBasis.PUBLIC_TASK,
        ),
        PersonalData(
            model=RoundApplication,
            subjects=("person",),
            fields=RoundApplication.PERSONAL_FIELDS,
            other_fields=("id", "round"),
            context=("round",),
            purpose=Purpose.COURSES,
            legal_basis=LegalBasis.PUBLIC_TASK,
        ),
        PersonalData(
            model=Enrolment,
            subjects=("person",),
            fields=Enrolment.PERSONAL_FIELDS,
            other_fields=("id", "course"),
            context=("course",),
            purpose=Purpose.COURSES,
            legal_basis=LegalBasis.PUBLIC_TASK,
            # Places on courses to come are given up; past ones stay for the figures.
            erasure=Erasure.ANONYMISE,
            release=enrolments_release,
        ),
        PersonalData(
            model=CourseCancellation,
            subjects=("cancelled_by",),
            fields=CourseCancellation.PERSONAL_FIELDS,
            other_fields=("id", "course", "cancelled_at", "reason_nb", "reason_en"),
            context=("course", "cancelled_at"),
            purpose=Purpose.ACCOUNTABILITY,
            legal_basis=LegalBasis.PUBLIC_TASK,
            erasure=Erasure.ANONYMISE,
        ),
        PersonalData(
            model=AllocationRound,
            subjects=("allocated_by",),
            fields=("allocated_at",),
            other_fields=("id", "year", "term", "level", "priority_rules", "seed"),
            context=("year", "term", "level"),
            purpose=Purpose.ACCOUNTABILITY,
            legal_basis=LegalBasis.PUBLIC_TASK,
            erasure=Erasure.ANONYMISE,
        ),
    ]


@hooks.register(SEARCH_SOURCES)
def course_search_sources():
    """Norwegian courses for the site search (live, public course pages), with level and term."""
    import dataclasses

    from cms.search.selectors import page_hit
    from cms.search.sources import SearchSource

    def hit(page):
        note = f"{page.levels_label}, {page.get_term_display()} {page.year}"
        return dataclasses.replace(page_hit(page), note=note)

    return [
        SearchSource(
            key="course",
            name=_("Norwegian course"),
            plural=_("Norwegian courses"),
            model=NorwegianCoursePage,
            order=40,
            hit=hit,
        )
    ]
