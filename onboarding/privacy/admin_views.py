"""The International Section's log of personal-data exports, in the admin's reports."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

from .models import ExportKind, PersonalDataExport
from .selectors import exports_list

LOG_PERMISSION = "privacy.view_export_log"


class ExportFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=gettext_lazy("Export"), choices=ExportKind.choices)
    exported_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Exported"), widget=DateRangePickerWidget
    )

    class Meta:
        model = PersonalDataExport
        fields = ["kind", "exported_at"]


class ExportLogView(ReportView):
    """Every download of people's data: who, what, when and how many people, newest first."""

    page_title = gettext_lazy("Exports of personal data")
    header_icon = "download"
    index_url_name = "privacy_admin:export_log"
    index_results_url_name = "privacy_admin:export_log_results"
    filterset_class = ExportFilterSet
    paginate_by = 50
    columns = [
        DateColumn("exported_at", label=gettext_lazy("Exported")),
        Column("exported_by_name", label=gettext_lazy("Exported by")),
        Column("kind", label=gettext_lazy("Export"), accessor="get_kind_display"),
        Column("subject", label=gettext_lazy("Of")),
        Column("people", label=gettext_lazy("People")),
    ]
    list_export = ["exported_at", "exported_by_name", "get_kind_display", "subject", "people"]
    export_headings = {
        "exported_at": gettext_lazy("Exported"),
        "exported_by_name": gettext_lazy("Exported by"),
        "get_kind_display": gettext_lazy("Export"),
        "subject": gettext_lazy("Of"),
        "people": gettext_lazy("People"),
    }

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm(LOG_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[PersonalDataExport]:
        return exports_list()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["no_results_message"] = _("No personal data has been exported.")
        return context
