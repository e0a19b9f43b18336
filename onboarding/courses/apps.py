from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

COVERAGE_PERMISSION = "courses.view_coverage_report"


def course_topic_allowed(user, key):
    """Anyone logged in may follow the places of a live, public course (``course:<id>``)."""
    if not key.isdigit():
        return False
    from .selectors import course_get

    return course_get(course_id=int(key)) is not None


class CoursesConfig(AppConfig):
    name = "onboarding.courses"
    label = "courses"
    verbose_name = _("Norwegian courses")

    def ready(self):
        from wagtail.signals import page_published

        from onboarding.checklists.people import register_course_provider
        from onboarding.live.kinds import Channel, NotificationKind, register_kind
        from onboarding.live.topics import register_topic
        from onboarding.units.services import international_staff_permissions_register

        from . import signal_handlers
        from .models import NorwegianCoursePage
        from .plan import plan_course_suggestion

        register_kind(
            NotificationKind(
                code="course_place_given",
                label=_("You got a place on a Norwegian course"),
                description=_("A place became free on a course you are on the waitlist for."),
                mandatory=True,
                default_channel=Channel.EMAIL,
                context_keys=("course_title", "starts_on", "levels"),
            ),
            replace=True,
        )
        register_kind(
            NotificationKind(
                code="course_cancelled",
                label=_("A Norwegian course you applied for is cancelled"),
                description=_("The language centre has cancelled the course."),
                mandatory=True,
                default_channel=Channel.EMAIL,
                context_keys=("course_title", "starts_on", "levels", "reason"),
            ),
            replace=True,
        )
        register_kind(
            NotificationKind(
                code="course_changed",
                label=_("A Norwegian course you applied for has changed"),
                description=_("The language centre has changed the course's schedule or place."),
                default_channel=Channel.EMAIL,
                context_keys=(
                    "course_title",
                    "starts_on",
                    "levels",
                    "location",
                    "online",
                    "changed",
                ),
            ),
            replace=True,
        )
        register_topic("course", course_topic_allowed, replace=True)
        register_course_provider(plan_course_suggestion)
        international_staff_permissions_register(COVERAGE_PERMISSION)
        page_published.connect(
            signal_handlers.course_published,
            sender=NorwegianCoursePage,
            dispatch_uid="courses_course_published",
        )
