"""Admin wiring of privacy: the export log in the reports menu, for the International Section."""

from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from onboarding.hooks import INTERNATIONAL_STAFF_PERMISSIONS, PERSONAL_DATA

from . import admin_views
from .models import PersonalDataExport
from .register import Erasure, LegalBasis, PersonalData, Purpose


@hooks.register("register_admin_urls")
def register_privacy_admin_urls() -> list[URLPattern | URLResolver]:
    urls = [
        path("exports/", admin_views.ExportLogView.as_view(), name="export_log"),
        path(
            "exports/results/",
            admin_views.ExportLogView.as_view(results_only=True),
            name="export_log_results",
        ),
    ]
    return [path("privacy/", include((urls, "privacy_admin"), namespace="privacy_admin"))]


class ExportLogMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(admin_views.LOG_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_export_log_menu_item() -> MenuItem:
    return ExportLogMenuItem(
        _("Exports of personal data"),
        reverse("privacy_admin:export_log"),
        name="personal-data-exports",
        icon_name="download",
        order=1400,
    )


@hooks.register("register_permissions")
def register_privacy_permissions() -> QuerySet[Permission]:
    return Permission.objects.filter(content_type__app_label="privacy", codename="view_export_log")


@hooks.register(INTERNATIONAL_STAFF_PERMISSIONS)
def international_staff_permissions() -> Iterable[str]:
    return [admin_views.LOG_PERMISSION]


@hooks.register(PERSONAL_DATA)
def privacy_personal_data() -> Iterable[PersonalData]:
    return [
        PersonalData(
            model=PersonalDataExport,
            subjects=("exported_by",),
            # The name stays when the account goes: the log must still say who it was.
            fields=("exported_by_name", "exported_at"),
            other_fields=("id", "kind", "subject", "path", "people"),
            context=("kind", "subject", "people"),
            purpose=Purpose.ACCOUNTABILITY,
            legal_basis=LegalBasis.LEGAL_OBLIGATION,
            erasure=Erasure.ANONYMISE,
        )
    ]
