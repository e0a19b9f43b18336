"""Admin views of units: the one-click confirmation and the staff report of units to confirm."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from .errors import UnitError
from .models import UnitPage
from .selectors import unit_stale_report
from .services import unit_confirm

REPORT_PERMISSION = "units.view_unit_reports"


@require_POST
def confirm(request, page_id):
    """Confirm that a unit's page is up to date: one click in its editor."""
    unit = get_object_or_404(UnitPage, pk=page_id)
    try:
        unit_confirm(unit=unit, user=request.user)
    except UnitError as error:
        if error.code == "forbidden":
            raise PermissionDenied from error
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("'%(unit)s' is confirmed as up to date.") % {"unit": unit.title}
        )
    return redirect("wagtailadmin_pages:edit", unit.pk)


class StaleUnitsReportView(ReportView):
    """Live units that have not confirmed their page for 12 months, least recent first."""

    page_title = gettext_lazy("Units to confirm")
    header_icon = "time"
    index_url_name = "units_admin:stale_units"
    index_results_url_name = "units_admin:stale_units_results"
    paginate_by = 50
    columns = [
        TitleColumn("title", label=gettext_lazy("Unit"), url_name="wagtailadmin_pages:edit"),
        Column("kind", label=gettext_lazy("Kind"), accessor="get_kind_display"),
        DateColumn("confirmed_on", label=gettext_lazy("Last confirmed")),
        Column("editor_count", label=gettext_lazy("Editors")),
        Column("follower_count", label=gettext_lazy("Followers")),
    ]
    list_export = ["title", "get_kind_display", "confirmed_on", "editor_count", "follower_count"]
    export_headings = {
        "title": gettext_lazy("Unit"),
        "get_kind_display": gettext_lazy("Kind"),
        "confirmed_on": gettext_lazy("Last confirmed"),
        "editor_count": gettext_lazy("Editors"),
        "follower_count": gettext_lazy("Followers"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(REPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return unit_stale_report()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["no_results_message"] = _(
            "Every unit has confirmed its page in the last 12 months."
        )
        return context
