"""The staff report of gaps in the responsibility matrix."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from .levels import Level
from .selectors import responsibility_gaps

REPORT_PERMISSION = "responsibilities.view_gap_report"


class GapReportView(WagtailAdminTemplateMixin, TemplateView):
    """Areas without an owner, levels breaking the rules, assignments to units that are gone."""

    page_title = _("Responsibility gaps")
    header_icon = "warning"
    template_name = "responsibilities/admin/gap_report.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(REPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        levels = dict(Level.choices)
        context["gaps"] = [
            {"gap": gap, "level_label": levels.get(gap.level, "")} for gap in responsibility_gaps()
        ]
        return context
