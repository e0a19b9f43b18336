from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

COVERAGE_PERMISSION = "courses.view_coverage_report"


class CoursesConfig(AppConfig):
    name = "onboarding.courses"
    label = "courses"
    verbose_name = _("Norwegian courses")

    def ready(self):
        from wagtail.signals import page_published

        from . import signal_handlers
        from .models import NorwegianCoursePage

        page_published.connect(
            signal_handlers.course_published,
            sender=NorwegianCoursePage,
            dispatch_uid="courses_course_published",
        )
