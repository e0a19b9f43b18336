"""The coordinators' dashboard in the Wagtail admin: progress on their own units' checklists.

A coordinator is an editor of the International Section, a faculty or a
department (Wagtail page permissions on its branch). They see the
checklists under their units and, on each, only the students of their
units: a faculty's coordinator never sees another faculty's students, in
the pages, the CSV or the charts.
"""

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .charts import completion_by_item_chart, completion_by_week_chart
from .page_context import due_label
from .selectors import checklist_progress, coordinator_checklist_get, coordinator_checklists

# Spreadsheet programs run a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class CoordinatorMixin(WagtailAdminTemplateMixin):
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        self.scope, self.checklists = coordinator_checklists(user=request.user)
        if not self.scope.units:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("checklists_admin:index"), "label": _("Arrival progress")}
        ]


class DashboardView(CoordinatorMixin, TemplateView):
    """Each of the coordinator's checklists with its students, completion and who is overdue."""

    template_name = "checklists/admin/dashboard.html"
    page_title = gettext_lazy("Arrival progress")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": _("Arrival progress")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [
            checklist_progress(checklist=checklist, scope=self.scope)
            for checklist in self.checklists
        ]
        context["units"] = self.scope.units
        return context


class ChecklistProgressView(CoordinatorMixin, TemplateView):
    """One checklist: completion per item, each student's progress, who is overdue, charts."""

    template_name = "checklists/admin/checklist_progress.html"

    def get_checklist(self):
        checklist = next((c for c in self.checklists if c.pk == self.kwargs["checklist_id"]), None)
        if checklist is None:
            # Not one of the coordinator's checklists (or none at all): the same answer.
            raise PermissionDenied
        return checklist

    def get_page_title(self):
        return self.get_checklist().title

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        checklist = self.get_checklist()
        progress = checklist_progress(checklist=checklist, scope=self.scope)
        for row in progress.items:
            row.offset_label = due_label(row.item)
        only_overdue = self.request.GET.get("overdue") == "1"
        context.update(
            checklist=checklist,
            progress=progress,
            students=progress.overdue_students if only_overdue else progress.students,
            only_overdue=only_overdue,
            item_chart=completion_by_item_chart(progress),
            week_chart=completion_by_week_chart(progress),
            weeks=progress.weekly_completion(),
        )
        return context


def _cell(value):
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def checklist_progress_csv(request, checklist_id):
    """The students' progress on one of the coordinator's checklists, as CSV."""
    scope, checklist = coordinator_checklist_get(user=request.user, checklist_id=checklist_id)
    if checklist is None:
        raise PermissionDenied
    progress = checklist_progress(checklist=checklist, scope=scope)
    filename = f"{slugify(checklist.title) or 'checklist'}-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(response)
    items = [row.item for row in progress.items]
    writer.writerow(
        [
            _("Name"),
            _("Email"),
            _("Status"),
            _("Faculty"),
            _("Department"),
            _("Arrival date"),
            _("Items done"),
            _("Items"),
            _("Required items done"),
            _("Overdue items"),
        ]
        + [item.title for item in items]
    )
    for row in progress.students:
        profile = row.profile
        done = {entry.pk: entry.done_at for entry in row.entries}
        writer.writerow(
            [
                _cell(profile.user.get_full_name()),
                _cell(profile.user.email),
                profile.get_status_display(),
                _cell(profile.faculty.title if profile.faculty_id else ""),
                _cell(profile.department.title if profile.department_id else ""),
                profile.arrival_date.isoformat() if profile.arrival_date else "",
                row.done_count,
                row.total,
                row.required_done,
                len(row.overdue),
            ]
            + [
                timezone.localtime(done[item.pk]).date().isoformat() if done.get(item.pk) else ""
                for item in items
            ]
        )
    return response
