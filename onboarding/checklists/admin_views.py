"""The coordinators' dashboard in the Wagtail admin: progress on their own units' checklists.

A coordinator is an editor of the International Section, a faculty or a
department (Wagtail page permissions on its branch). They see the
checklists under their units and, on each, only the students of their
units: a faculty's coordinator never sees another faculty's students, in
the pages, the CSV or the charts.
"""

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from onboarding.accounts.models import StudentStatus
from onboarding.privacy.models import ExportKind
from onboarding.privacy.services import export_record

from .charts import completion_by_item_chart, completion_by_week_chart
from .errors import ChecklistError
from .models import SubmissionState
from .page_context import due_label
from .selectors import (
    Cohort,
    checklist_progress,
    checklist_submissions,
    cohort_semesters,
    coordinator_checklist_get,
    coordinator_checklists,
    overdue_reminder_targets,
    submissions_waiting,
)
from .services import document_review, overdue_reminders_send

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


def cohort_from(params: QueryDict) -> Cohort:
    """The cohort a request's ``semester`` and ``status`` name; unknown values mean everyone."""
    semester = params.get("semester", "")
    known = {semester.code for semester, _current in cohort_semesters()}
    status = params.get("status", "")
    return Cohort(
        semester=semester if semester in known else "",
        status=status if status in StudentStatus.values else "",
    )


def filter_query(cohort: Cohort, *, only_overdue: bool = False) -> str:
    """The query string of a cohort (and the overdue filter), for links back to the list."""
    params = {"semester": cohort.semester, "status": cohort.status}
    if only_overdue:
        params["overdue"] = "1"
    return urlencode({key: value for key, value in params.items() if value})


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
        cohort = cohort_from(self.request.GET)
        progress = checklist_progress(checklist=checklist, scope=self.scope, cohort=cohort)
        for row in progress.items:
            row.offset_label = due_label(row.item)
        only_overdue = self.request.GET.get("overdue") == "1"
        labels = dict(StudentStatus.choices)
        context.update(
            checklist=checklist,
            progress=progress,
            students=progress.overdue_students if only_overdue else progress.students,
            only_overdue=only_overdue,
            cohort=cohort,
            semesters=cohort_semesters(today=progress.today),
            statuses=[(code, labels[code]) for code in checklist.statuses or [] if code in labels],
            query=filter_query(cohort, only_overdue=only_overdue),
            has_documents=any(item.asks_document for item in checklist.items.all()),
            documents_waiting=submissions_waiting(checklist=checklist, scope=self.scope),
            item_chart=completion_by_item_chart(progress),
            week_chart=completion_by_week_chart(progress),
            weeks=progress.weekly_completion(),
        )
        return context


class RemindOverdueView(CoordinatorMixin, TemplateView):
    """Remind students of their overdue items: first a confirmation, then the sending (POST).

    The list's form posts the chosen students (``student``) or ``everyone``
    overdue in the filtered list; this view shows who gets a reminder of
    which items, and who gets none because they were reminded today. The
    confirmation posts ``confirm`` and sends, in one transaction.
    """

    template_name = "checklists/admin/remind_confirm.html"
    http_method_names = ["post"]
    page_title = gettext_lazy("Send reminders")

    def get_checklist(self):
        checklist = next((c for c in self.checklists if c.pk == self.kwargs["checklist_id"]), None)
        if checklist is None:
            raise PermissionDenied
        return checklist

    def get_breadcrumbs_items(self):
        checklist = self.get_checklist()
        return super().get_breadcrumbs_items() + [
            {
                "url": reverse("checklists_admin:checklist", args=[checklist.pk]),
                "label": checklist.title,
            },
            {"url": "", "label": _("Send reminders")},
        ]

    def post(self, request, *args, **kwargs):
        checklist = self.get_checklist()
        cohort = cohort_from(request.POST)
        back = reverse("checklists_admin:checklist", args=[checklist.pk])
        query = filter_query(cohort, only_overdue=request.POST.get("overdue") == "1")
        back = f"{back}?{query}#students-heading" if query else f"{back}#students-heading"
        chosen = {int(pk) for pk in request.POST.getlist("student") if pk.isdigit()}
        everyone = "everyone" in request.POST
        if not chosen and not everyone:
            messages.error(request, _("Choose the students to remind, or remind everyone overdue."))
            return HttpResponseRedirect(back)
        if "confirm" in request.POST:
            try:
                result = overdue_reminders_send(
                    coordinator=request.user,
                    checklist_id=checklist.pk,
                    student_ids=chosen,
                    cohort=cohort,
                )
            except ChecklistError as error:
                messages.error(request, error.message)
                return HttpResponseRedirect(back)
            message = ngettext(
                "Reminded %(count)s student of their overdue items.",
                "Reminded %(count)s students of their overdue items.",
                result.students,
            ) % {"count": result.students}
            if result.skipped:
                message += " " + ngettext(
                    "%(count)s student had been reminded today already.",
                    "%(count)s students had been reminded today already.",
                    result.skipped,
                ) % {"count": result.skipped}
            messages.success(request, message)
            return HttpResponseRedirect(back)
        progress = checklist_progress(checklist=checklist, scope=self.scope, cohort=cohort)
        targets = overdue_reminder_targets(
            progress=progress, student_ids=None if everyone else chosen
        )
        if not targets:
            messages.error(
                request, _("None of the chosen students has overdue items on this checklist.")
            )
            return HttpResponseRedirect(back)
        context = self.get_context_data(
            checklist=checklist,
            cohort=cohort,
            overdue=request.POST.get("overdue") == "1",
            to_remind=[target for target in targets if target.entries],
            already=[target for target in targets if not target.entries],
            back=back,
        )
        return self.render_to_response(context)


class DocumentsView(CoordinatorMixin, TemplateView):
    """The documents students uploaded on one checklist: open, verify or return with a comment."""

    template_name = "checklists/admin/documents.html"
    page_title = gettext_lazy("Documents")

    def get_checklist(self):
        checklist = next((c for c in self.checklists if c.pk == self.kwargs["checklist_id"]), None)
        if checklist is None:
            raise PermissionDenied
        return checklist

    def get_breadcrumbs_items(self):
        checklist = self.get_checklist()
        return super().get_breadcrumbs_items() + [
            {
                "url": reverse("checklists_admin:checklist", args=[checklist.pk]),
                "label": checklist.title,
            },
            {"url": "", "label": _("Documents")},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        checklist = self.get_checklist()
        state = self.request.GET.get("state", SubmissionState.SUBMITTED)
        if state not in SubmissionState.values and state != "all":
            state = SubmissionState.SUBMITTED
        context.update(
            checklist=checklist,
            state=state,
            states=SubmissionState.choices,
            submissions=checklist_submissions(
                checklist=checklist, scope=self.scope, state="" if state == "all" else state
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        checklist = self.get_checklist()
        back = reverse("checklists_admin:checklist_documents", args=[checklist.pk])
        submission = next(
            (
                s
                for s in checklist_submissions(checklist=checklist, scope=self.scope)
                if str(s.pk) == request.POST.get("submission")
            ),
            None,
        )
        if submission is None:
            raise PermissionDenied
        decision = request.POST.get("decision")
        try:
            document_review(
                coordinator=request.user,
                submission=submission,
                verified=decision == "verify",
                comment=request.POST.get("comment", ""),
            )
        except ChecklistError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(back)
        name = submission.student.get_full_name() or submission.student.email
        if decision == "verify":
            messages.success(request, _("Verified: %(name)s's document.") % {"name": name})
        else:
            messages.success(request, _("Returned to %(name)s with your comment.") % {"name": name})
        return HttpResponseRedirect(back)


def _cell(value):
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _csv_done(done, item_id):
    """A cell of an item: the date it was done, empty when not done, "–" when not for them."""
    if item_id not in done:
        return "–"
    return timezone.localtime(done[item_id]).date().isoformat() if done[item_id] else ""


def checklist_progress_csv(request, checklist_id):
    """The students' progress on one of the coordinator's checklists, as CSV (the cohort only)."""
    scope, checklist = coordinator_checklist_get(user=request.user, checklist_id=checklist_id)
    if checklist is None:
        raise PermissionDenied
    progress = checklist_progress(checklist=checklist, scope=scope, cohort=cohort_from(request.GET))
    export_record(
        request=request,
        kind=ExportKind.CHECKLIST_PROGRESS,
        subject=checklist.title,
        people=len(progress.students),
    )
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
            _("Semester"),
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
                str(row.semester) if row.semester else "",
                row.done_count,
                row.total,
                row.required_done,
                len(row.overdue),
            ]
            + [_csv_done(done, item.pk) for item in items]
        )
    return response
