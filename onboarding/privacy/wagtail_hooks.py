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
from .models import AccountErasure, PersonalDataExport
from .register import Erasure, LegalBasis, PersonalData, Purpose, Retention
from .services import ERASE_PERMISSION

# How long the records of what staff did with people's data are kept: five years.
RECORD_DAYS = 5 * 365


@hooks.register("register_admin_urls")
def register_privacy_admin_urls() -> list[URLPattern | URLResolver]:
    urls = [
        path("exports/", admin_views.ExportLogView.as_view(), name="export_log"),
        path(
            "exports/results/",
            admin_views.ExportLogView.as_view(results_only=True),
            name="export_log_results",
        ),
        path("accounts/delete/", admin_views.AccountEraseView.as_view(), name="account_erase"),
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


class AccountEraseMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(ERASE_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_account_erase_menu_item() -> MenuItem:
    return AccountEraseMenuItem(
        _("Delete an account"),
        reverse("privacy_admin:account_erase"),
        name="account-erase",
        icon_name="bin",
        order=1410,
    )


@hooks.register("register_permissions")
def register_privacy_permissions() -> QuerySet[Permission]:
    return Permission.objects.filter(
        content_type__app_label="privacy", codename__in=["view_export_log", "erase_account"]
    )


@hooks.register(INTERNATIONAL_STAFF_PERMISSIONS)
def international_staff_permissions() -> Iterable[str]:
    return [admin_views.LOG_PERMISSION, ERASE_PERMISSION]


@hooks.register(PERSONAL_DATA)
def privacy_personal_data() -> Iterable[PersonalData]:
    return [
        PersonalData(
            model=PersonalDataExport,
            subjects=("exported_by",),
            # The name stays when the account goes: the log must still say who it was.
            fields=("exported_by_name", "exported_at"),
            other_fields=("id", "kind", "subject", "path", "people", "reason"),
            context=("kind", "subject", "people", "reason"),
            purpose=Purpose.ACCOUNTABILITY,
            legal_basis=LegalBasis.LEGAL_OBLIGATION,
            retention=Retention(days=RECORD_DAYS, after="exported_at"),
            erasure=Erasure.KEEP,
        ),
        PersonalData(
            model=AccountErasure,
            subjects=("by",),
            fields=("by_name",),
            other_fields=("id", "account_id", "erased_at", "reason", "counts"),
            context=("erased_at",),
            purpose=Purpose.ACCOUNTABILITY,
            legal_basis=LegalBasis.LEGAL_OBLIGATION,
            retention=Retention(days=RECORD_DAYS, after="erased_at"),
            erasure=Erasure.KEEP,
        ),
    ]
