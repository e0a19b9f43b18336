"""Admin wiring of Norwegian courses: the coverage report in the reports menu, its permission."""

from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .apps import COVERAGE_PERMISSION


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
