"""Admin wiring of units: the confirm action, the staff report, log actions, permissions."""

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

import onboarding.http  # noqa: F401  (registers the <id:...> path converter)
from onboarding.hooks import PERSONAL_DATA
from onboarding.privacy.register import Erasure, LegalBasis, PersonalData, Purpose

from . import admin_views
from .models import Follow, UnitConfirmation


@hooks.register("register_admin_urls")
def register_units_admin_urls():
    urls = [
        path("<id:page_id>/confirm/", admin_views.confirm, name="confirm"),
        path(
            "reports/units-to-confirm/",
            admin_views.StaleUnitsReportView.as_view(),
            name="stale_units",
        ),
        path(
            "reports/units-to-confirm/results/",
            admin_views.StaleUnitsReportView.as_view(results_only=True),
            name="stale_units_results",
        ),
    ]
    return [path("units/", include((urls, "units_admin"), namespace="units_admin"))]


class UnitReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.REPORT_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_stale_units_menu_item():
    return UnitReportsMenuItem(
        _("Units to confirm"),
        reverse("units_admin:stale_units"),
        name="units-to-confirm",
        icon_name="time",
        order=1300,
    )


@hooks.register("register_log_actions")
def register_unit_log_actions(actions):
    actions.register_action(
        "units.confirm", _("Confirm up to date"), _("Confirmed the page is up to date")
    )


@hooks.register("register_permissions")
def register_unit_permissions():
    return Permission.objects.filter(
        content_type__app_label="units",
        codename__in=["change_unit_structure", "view_unit_reports"],
    )


@hooks.register(PERSONAL_DATA)
def units_personal_data() -> list[PersonalData]:
    return [
        PersonalData(
            model=Follow,
            subjects=("user",),
            fields=Follow.PERSONAL_FIELDS,
            other_fields=("id",),
            purpose=Purpose.FOLLOWS,
            legal_basis=LegalBasis.CONSENT,
        ),
        PersonalData(
            model=UnitConfirmation,
            subjects=("confirmed_by",),
            fields=UnitConfirmation.PERSONAL_FIELDS,
            other_fields=("id", "unit"),
            context=("unit",),
            purpose=Purpose.ACCOUNTABILITY,
            legal_basis=LegalBasis.PUBLIC_TASK,
            erasure=Erasure.ANONYMISE,
        ),
    ]
