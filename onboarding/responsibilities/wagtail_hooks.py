"""Admin wiring of the matrix: areas with their assignments, and the gap report."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from onboarding.hooks import GAP_CHECKS, INTERNATIONAL_STAFF_PERMISSIONS

from . import admin_views
from .models import ResponsibilityArea
from .selectors import (
    areas_without_owner,
    assignments_to_missing_units,
    kinds_without_units,
    levels_breaking_rules,
)


class ResponsibilityAreaViewSet(SnippetViewSet):
    """Areas and their assignments, edited together so the matrix rules see the whole set."""

    model = ResponsibilityArea
    icon = "table"
    menu_label = _("Responsibility matrix")
    menu_name = "responsibility-matrix"
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "sort_order"]
    ordering = ["sort_order", "pk"]
    search_fields = ["name_nb", "name_en"]


register_snippet(ResponsibilityAreaViewSet)


@hooks.register("register_admin_urls")
def register_gap_report_url():
    return [
        path(
            "responsibilities/gaps/",
            admin_views.GapReportView.as_view(),
            name="responsibilities_gap_report",
        )
    ]


class GapReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.REPORT_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_gap_report_menu_item():
    return GapReportMenuItem(
        _("Responsibility gaps"),
        reverse("responsibilities_gap_report"),
        name="responsibility-gaps",
        icon_name="warning",
        order=1310,
    )


@hooks.register("register_permissions")
def register_matrix_permissions():
    return Permission.objects.filter(
        content_type__app_label="responsibilities", codename="view_gap_report"
    )


# --- What this app gives the others, and its own gap checks --------------------------------


@hooks.register(INTERNATIONAL_STAFF_PERMISSIONS)
def matrix_staff_permissions():
    """The International Section owns the matrix: it edits the areas and reads the gap report."""
    return [
        "responsibilities.add_responsibilityarea",
        "responsibilities.change_responsibilityarea",
        "responsibilities.delete_responsibilityarea",
        "responsibilities.view_responsibilityarea",
        "responsibilities.view_gap_report",
    ]


# The matrix's own checks come before other apps' (order -1): each yields ``Gap``s.
for _check in (
    areas_without_owner,
    levels_breaking_rules,
    assignments_to_missing_units,
    kinds_without_units,
):
    hooks.register(GAP_CHECKS, _check, order=-1)
