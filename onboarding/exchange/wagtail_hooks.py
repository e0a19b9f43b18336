"""Admin wiring of exchange: partners, agreements and programmes, the reports, moderation, import."""

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

import onboarding.http  # noqa: F401  (registers the <id:...> path converter)
from onboarding.hooks import INTERNATIONAL_STAFF_PERMISSIONS, PERSONAL_DATA, SEARCH_SOURCES
from onboarding.privacy.register import LegalBasis, PersonalData, Purpose

from . import admin_views
from .apps import REPORT_PERMISSION
from .forms import AgreementAdminForm
from .models import Agreement, ExperienceReport, Institution, Programme, StudentProgramme
from .permissions import (
    OwnerUnitPermissionPolicy,
    edits_any_unit,
    is_exchange_staff,
    owned_by_user_q,
)
from .services import agreement_confirm

# Unit editors edit their units' agreements; the International Section edits all.
register_permission_policy(Agreement, OwnerUnitPermissionPolicy(Agreement))


class InstitutionViewSet(SnippetViewSet):
    model = Institution
    icon = "site"
    menu_label = _("Partner institutions")
    menu_name = "exchange-institutions"
    list_display = ["name", "schac_code", "country", "city"]
    list_filter = ["country"]
    search_fields = ["name_nb", "name_en", "schac_code", "city"]
    # The listing keeps searching the columns (the model is indexed for the site search).
    search_backend_name = None
    ordering = ["name"]


class InstanceCheckedMixin:
    """Wagtail checks the model permission; this also checks the agreement's owner unit."""

    instance_permission = "change"

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.instance_permission, instance
        ):
            raise PermissionDenied
        return instance


class AgreementEditView(InstanceCheckedMixin, snippet_views.EditView):
    pass


class AgreementDeleteView(InstanceCheckedMixin, snippet_views.DeleteView):
    instance_permission = "delete"


class AgreementIndexView(snippet_views.IndexView):
    """Unit editors list their units' agreements; staff list all."""

    def get_base_queryset(self):
        return super().get_base_queryset().filter(owned_by_user_q(self.request.user))


class AgreementViewSet(SnippetViewSet):
    model = Agreement
    icon = "doc-full-inverse"
    menu_label = _("Exchange agreements")
    menu_name = "exchange-agreements"
    list_display = [
        "reference",
        "institution",
        "mobility_format",
        "owner_unit",
        "valid_to",
        "last_confirmed",
    ]
    list_filter = ["agreement_type", "mobility_format"]
    search_fields = ["reference"]
    ordering = ["reference"]
    edit_handler = ObjectList(Agreement.panels, base_form_class=AgreementAdminForm)
    edit_view_class = AgreementEditView
    delete_view_class = AgreementDeleteView
    index_view_class = AgreementIndexView


class ProgrammeViewSet(SnippetViewSet):
    model = Programme
    icon = "list-ul"
    menu_label = _("Study programmes")
    menu_name = "exchange-programmes"
    list_display = ["name", "code", "level", "owner_unit"]
    search_fields = ["name_nb", "name_en", "code"]
    ordering = ["name"]


class ExchangeViewSetGroup(SnippetViewSetGroup):
    items = (AgreementViewSet, InstitutionViewSet, ProgrammeViewSet)
    menu_icon = "globe"
    menu_label = _("Exchange")
    menu_name = "exchange"
    menu_order = 260


register_snippet(ExchangeViewSetGroup)

admin_urls = [
    path("window-report/", admin_views.WindowReportView.as_view(), name="window_report"),
    path("to-confirm/", admin_views.StaleAgreementsView.as_view(), name="stale_agreements"),
    path("confirm/<id:agreement_id>/", admin_views.confirm, name="confirm"),
    path("moderation/", admin_views.ModerationView.as_view(), name="moderation"),
    path("import/", admin_views.ImportView.as_view(), name="import"),
    path("import/template.csv", admin_views.import_template, name="import_template"),
    path("export.json", admin_views.export_json, name="export"),
]


@hooks.register("register_admin_urls")
def register_exchange_admin_urls():
    return [path("exchange/", include((admin_urls, "exchange_admin"), namespace="exchange_admin"))]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(REPORT_PERMISSION)


class UnitWorkMenuItem(MenuItem):
    """Shown to the International Section and to the editors of any unit."""

    def is_shown(self, request):
        return is_exchange_staff(request.user) or edits_any_unit(request.user)


@hooks.register("register_reports_menu_item")
def register_window_report_menu_item():
    return ReportMenuItem(
        _("Programmes without an exchange window"),
        reverse("exchange_admin:window_report"),
        name="exchange-window-report",
        icon_name="warning",
        order=1320,
    )


@hooks.register("register_reports_menu_item")
def register_stale_agreements_menu_item():
    return UnitWorkMenuItem(
        _("Agreements to confirm"),
        reverse("exchange_admin:stale_agreements"),
        name="exchange-stale-agreements",
        icon_name="time",
        order=1330,
    )


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    return UnitWorkMenuItem(
        _("Experience reports"),
        reverse("exchange_admin:moderation"),
        name="exchange-moderation",
        icon_name="doc-full",
        order=261,
    )


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    class ImportMenuItem(MenuItem):
        def is_shown(self, request):
            return request.user.has_perm(admin_views.IMPORT_PERMISSION)

    return ImportMenuItem(
        _("Import agreements"),
        reverse("exchange_admin:import"),
        name="exchange-import",
        icon_name="upload",
        order=262,
    )


@hooks.register("after_edit_snippet")
def confirm_on_edit(request, instance):
    """Saving an agreement in the admin confirms it as up to date."""
    if isinstance(instance, Agreement):
        agreement_confirm(user=request.user, agreement=instance)


@hooks.register("register_permissions")
def register_exchange_permissions():
    return Permission.objects.filter(content_type__app_label="exchange")


@hooks.register(INTERNATIONAL_STAFF_PERMISSIONS)
def exchange_staff_permissions():
    """The International Section keeps every partner, agreement and programme, and reads the reports."""
    return [
        f"exchange.{action}_{model}"
        for model in ("institution", "agreement", "programme", "experiencereport")
        for action in ("add", "change", "delete", "view")
    ] + [REPORT_PERMISSION]


@hooks.register(PERSONAL_DATA)
def exchange_personal_data() -> list[PersonalData]:
    return [
        PersonalData(
            model=StudentProgramme,
            subjects=("user",),
            fields=("programme", "semester"),
            other_fields=("id",),
            purpose=Purpose.EXCHANGE,
            legal_basis=LegalBasis.PUBLIC_TASK,
        ),
        PersonalData(
            model=ExperienceReport,
            subjects=("author",),
            fields=(
                "language",
                "year",
                "season",
                "title",
                "text",
                "rating_academic",
                "rating_housing",
                "rating_support",
                "rating_social",
                "status",
                "moderated_by",
                "moderated_at",
                "moderation_note",
                "created_at",
            ),
            other_fields=("id", "agreement"),
            context=("agreement",),
            purpose=Purpose.EXCHANGE,
            legal_basis=LegalBasis.CONSENT,
        ),
    ]


@hooks.register(SEARCH_SOURCES)
def destination_search_sources():
    """Destinations for the site search: partners with an agreement, each to its destination page."""
    from django.db.models import Exists, OuterRef

    from cms.search.sources import SearchHit, SearchSource

    def queryset():
        has_agreement = Exists(Agreement.objects.filter(institution=OuterRef("pk")))
        return Institution.objects.filter(
            pk__in=Institution.objects.filter(has_agreement).values("pk")
        )

    def hit(institution):
        return SearchHit(
            title=institution.name,
            url=reverse("exchange:destination", args=[institution.schac_code]),
            summary=f"{institution.city}, {institution.country.name}",
        )

    return [
        SearchSource(
            key="destination",
            name=_("Destination"),
            plural=_("Destinations"),
            model=Institution,
            order=60,
            queryset=queryset,
            hit=hit,
        )
    ]
