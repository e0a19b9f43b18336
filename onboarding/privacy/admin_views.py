"""The International Section's log of personal-data exports, and deleting an account on request."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView

from .errors import PrivacyError
from .models import ExportKind, PersonalDataExport
from .selectors import erasures_list, exports_list
from .services import ERASE_PERMISSION, account_erase

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
    """Every download of people's data: who, what, when, how many people and why, newest first."""

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
        Column("reason", label=gettext_lazy("Reason")),
    ]
    list_export = [
        "exported_at",
        "exported_by_name",
        "get_kind_display",
        "subject",
        "people",
        "reason",
    ]
    export_headings = {
        "exported_at": gettext_lazy("Exported"),
        "exported_by_name": gettext_lazy("Exported by"),
        "get_kind_display": gettext_lazy("Export"),
        "subject": gettext_lazy("Of"),
        "people": gettext_lazy("People"),
        "reason": gettext_lazy("Reason"),
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


class AccountEraseForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("The person's email address"))
    reason = forms.CharField(
        label=gettext_lazy("Their request"),
        max_length=300,
        help_text=gettext_lazy("When and how they asked, e.g. “email of 2 December”."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("Delete the account and its personal data now. This cannot be undone.")
    )


class AccountEraseView(WagtailAdminTemplateMixin, FormView):
    """Delete a person's account on their request, as the register says; recorded with the
    request and who did it."""

    page_title = gettext_lazy("Delete an account")
    header_icon = "bin"
    template_name = "privacy/admin/account_erase.html"
    form_class = AccountEraseForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm(ERASE_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["erasures"] = erasures_list()[:50]
        return context

    def form_valid(self, form: AccountEraseForm) -> HttpResponse:
        user = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if user is None:
            form.add_error("email", _("No account has this email address."))
            return self.form_invalid(form)
        try:
            account_erase(user=user, by=self.request.user, reason=form.cleaned_data["reason"])
        except PrivacyError as error:
            form.add_error(None, str(error.message))
            return self.form_invalid(form)
        messages.success(self.request, _("The account has been deleted and the person told."))
        return redirect("privacy_admin:account_erase")
