"""Admin views of exchange: the staff reports, confirming agreements, moderation, the import upload."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from .apps import REPORT_PERMISSION
from .errors import ExchangeError
from .forms import ImportForm, ModerationForm
from .imports import csv_template, file_rows, rows_import
from .models import Agreement, ExperienceReport
from .permissions import edits_any_unit, is_exchange_staff, owned_by_user_q
from .selectors import agreement_stale_list, programmes_without_window, reports_to_moderate
from .services import agreement_confirm, report_moderate

IMPORT_PERMISSION = "exchange.add_agreement"
GAP_REASONS = {
    "no_agreement_in_field": gettext_lazy("No agreement in the programme's field and level."),
    "placement_in_window": gettext_lazy(
        "The window falls on the mandatory placement, and no partner in the field arranges it."
    ),
    "wrong_semester": gettext_lazy(
        "Agreements in the field exist, but none in the window's semester."
    ),
}


class WindowReportView(WagtailAdminTemplateMixin, TemplateView):
    """Programmes with no usable agreement for their exchange window."""

    page_title = gettext_lazy("Programmes without an exchange window")
    header_icon = "warning"
    template_name = "exchange/admin/window_report.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm(REPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["gaps"] = [
            {"gap": gap, "reason": GAP_REASONS[gap.reason]} for gap in programmes_without_window()
        ]
        return context


class StaleAgreementsView(WagtailAdminTemplateMixin, TemplateView):
    """Agreements not confirmed for 12 months: all for staff, their units' for editors."""

    page_title = gettext_lazy("Agreements to confirm")
    header_icon = "time"
    template_name = "exchange/admin/stale_agreements.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not (request.user.has_perm(REPORT_PERMISSION) or edits_any_unit(request.user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["agreements"] = agreement_stale_list().filter(owned_by_user_q(self.request.user))
        return context


@require_POST
def confirm(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """Confirm that an agreement's information is up to date: one click."""
    agreement = get_object_or_404(Agreement.objects.select_related("owner_unit"), pk=agreement_id)
    try:
        agreement_confirm(user=request.user, agreement=agreement)
    except ExchangeError as error:
        if error.code == "forbidden":
            raise PermissionDenied from error
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("'%(agreement)s' is confirmed as up to date.") % {"agreement": agreement}
        )
    return redirect("exchange_admin:stale_agreements")


class ModerationView(WagtailAdminTemplateMixin, TemplateView):
    """Experience reports waiting for the owner unit: read, then publish or decline."""

    page_title = gettext_lazy("Experience reports to moderate")
    header_icon = "doc-full"
    template_name = "exchange/admin/moderation.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not (is_exchange_staff(request.user) or edits_any_unit(request.user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        forms = kwargs.get("forms") or {}
        context["rows"] = [
            {
                "report": report,
                "form": forms.get(report.pk) or ModerationForm(prefix=f"r{report.pk}"),
            }
            for report in reports_to_moderate(user=self.request.user)
        ]
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        report = get_object_or_404(
            ExperienceReport.objects.select_related("agreement__owner_unit"),
            pk=request.POST.get("report"),
        )
        form = ModerationForm(request.POST, prefix=f"r{report.pk}")
        if form.is_valid():
            try:
                report_moderate(
                    user=request.user,
                    report=report,
                    publish=form.cleaned_data["decision"] == "publish",
                    note=form.cleaned_data["note"],
                )
            except ExchangeError as error:
                if error.code == "forbidden":
                    raise PermissionDenied from error
                form.add_error("note", str(error.message))
            else:
                messages.success(request, _("'%(title)s' is moderated.") % {"title": report.title})
                return redirect("exchange_admin:moderation")
        return self.render_to_response(self.get_context_data(forms={report.pk: form}), status=400)


class ImportView(WagtailAdminTemplateMixin, TemplateView):
    """Upload a CSV of partners and agreements; errors are reported row by row."""

    page_title = gettext_lazy("Import agreements")
    header_icon = "upload"
    template_name = "exchange/admin/import.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ImportForm())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        upload = form.cleaned_data["file"]
        try:
            rows = file_rows(upload.name, upload.read().decode("utf-8"))
        except UnicodeDecodeError:
            form.add_error("file", _("Save the file as UTF-8."))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        except ExchangeError as error:
            form.add_error("file", str(error.message))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        result = rows_import(
            rows, user=request.user, import_valid=form.cleaned_data["import_valid"]
        )
        status = 200 if result.written else 400
        return self.render_to_response(
            self.get_context_data(form=form, result=result), status=status
        )


def import_template(request: HttpRequest) -> HttpResponse:
    """The CSV header row, to start a file from."""
    if not request.user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied
    response = HttpResponse(csv_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="agreements-template.csv"'
    return response


def export_json(request: HttpRequest) -> HttpResponse:
    """Every agreement and factsheet as EWP-shaped JSON (docs/exchange.md)."""
    import json

    from django.utils import timezone

    from .exports import agreements_export

    if not request.user.has_perm(REPORT_PERMISSION):
        raise PermissionDenied
    response = HttpResponse(
        json.dumps(agreements_export(), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"agreements-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
