"""The advisers' tools in the Wagtail admin: the queue of pre-approval cases, its CSV, and each
unit's response times and promise.

The queue shows the cases the person handles (``permissions.handled_cases_q``:
every unit's for the International Section's staff, a faculty's or a
department's for their editors), each with the clock that matters now, late
cases first. Advisers filter it, give chosen cases to another adviser at
once (all or none), and download it as CSV. A unit's page shows its response
times (the public page's figures and chart) and the form for its promised
times.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import include, path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from onboarding.http import parse_id  # (importing it registers the <id:...> path converter)
from onboarding.privacy.models import ExportKind
from onboarding.privacy.services import export_record
from onboarding.units.models import UnitPage

from .charts import response_chart
from .clock import Light
from .errors import ApprovalError
from .forms.queue import PromiseForm, QueueFilterForm, ReassignForm
from .permissions import may_advise_unit
from .selectors.queue import (
    QueueRow,
    adviser_units,
    may_use_queue,
    queue_advisers,
    queue_cases,
    queue_list,
    unit_advisers,
)
from .selectors.stats import ADVISING_KINDS, response_times
from .services.queue import cases_reassign, promise_set

if TYPE_CHECKING:
    from onboarding.accounts.models import User

PAGE_SIZE = 100
DAY_TENTH = Decimal("0.1")
# Spreadsheet programs run a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


class QueueMixin(WagtailAdminTemplateMixin):
    """For the International Section's staff and the editors of faculties and departments."""

    header_icon = "tasks"
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_use_queue(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def filter_form(request: HttpRequest, data: QueryDict | None) -> QueueFilterForm:
    """The queue's filters over ``data`` (None: the defaults), with the person's units and advisers."""
    user = request.user
    return QueueFilterForm(
        data if data else None, units=adviser_units(user), advisers=queue_advisers(user)
    )


def reassign_choices(rows: list[QueueRow], unit_id: int | None) -> list[tuple[str, list[User]]]:
    """The advisers the listed cases may go to, by unit: the filtered unit's, else each listed
    case's unit's (editors of the unit and above it, and staff)."""
    units: dict[int, UnitPage] = {}
    for row in rows:
        unit = row.case.unit
        if unit is not None and (unit_id is None or unit.pk == unit_id):
            units.setdefault(unit.pk, unit)
    advisers = unit_advisers(sorted(units.values(), key=lambda unit: unit.path))
    return [(units[pk].title, people) for pk, people in advisers.items()]


class QueueView(QueueMixin, TemplateView):
    """The queue: filters, the cases with their clocks, giving chosen cases to an adviser."""

    page_title = gettext_lazy("Pre-approval cases")
    template_name = "approvals/admin/queue.html"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form: QueueFilterForm = kwargs.get("filter_form") or filter_form(
            self.request, self.request.GET
        )
        filters = form.filters()
        rows = queue_list(user=self.request.user, filters=filters)
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("p"))
        reassign = kwargs.get("reassign_form") or ReassignForm(
            case_ids=[row.case.pk for row in rows],
            advisers=reassign_choices(rows, filters.unit),
        )
        chosen: set[int] = set()
        if reassign.is_bound and isinstance(reassign.data, QueryDict):
            chosen = {pk for pk in map(parse_id, reassign.data.getlist("cases")) if pk is not None}
        query = form.query()
        sort_next = {
            "time_left": "-time_left" if filters.sort == "time_left" else "time_left",
            "submitted": "-submitted" if filters.sort == "submitted" else "submitted",
        }
        context.update(
            filter_form=form,
            filters=filters,
            rows=page.object_list,
            page=page,
            total=len(rows),
            reassign_form=reassign,
            chosen=chosen,
            query=query,
            sort_time_left=form.query(sort=sort_next["time_left"]),
            sort_submitted=form.query(sort=sort_next["submitted"]),
            units=adviser_units(self.request.user),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Give the chosen cases to one adviser, all or none; back to the same queue."""
        form = filter_form(request, QueryDict(request.POST.get("query", "")))
        filters = form.filters()
        rows = queue_list(user=request.user, filters=filters)
        handled = queue_cases(request.user).values_list("pk", flat=True)
        reassign = ReassignForm(
            request.POST, case_ids=list(handled), advisers=reassign_choices(rows, filters.unit)
        )
        if reassign.is_valid():
            adviser = get_user_model().objects.filter(pk=reassign.cleaned_data["adviser"]).first()
            try:
                moved = cases_reassign(
                    cases=reassign.cleaned_data["cases"], user=request.user, adviser=adviser
                )
            except ApprovalError as error:
                if error.code == "forbidden":
                    raise PermissionDenied from error
                field = error.field if error.field in reassign.fields else None
                reassign.add_error(field, str(error.message))
            else:
                name = adviser.display_name if adviser else ""
                if moved:
                    messages.success(
                        request,
                        ngettext(
                            "Gave %(count)s case to %(name)s.",
                            "Gave %(count)s cases to %(name)s.",
                            moved,
                        )
                        % {"count": moved, "name": name},
                    )
                else:
                    messages.success(
                        request, _("The chosen cases were %(name)s's already.") % {"name": name}
                    )
                query = form.query()
                target = reverse("approval_cases:queue")
                return HttpResponseRedirect(f"{target}?{query}" if query else target)
        context = self.get_context_data(filter_form=form, reassign_form=reassign)
        return self.render_to_response(context, status=400)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _days(value: Decimal | None) -> str:
    if value is None:
        return ""
    return formats.number_format(value.quantize(DAY_TENTH), 1)


def _date(moment: Any) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


def queue_csv(request: HttpRequest) -> HttpResponse:
    """The filtered queue as CSV, in the reader's language, with a BOM for spreadsheet programs."""
    user = request.user
    if not may_use_queue(user):
        raise PermissionDenied
    form = filter_form(request, request.GET)
    filters = form.filters()
    rows = queue_list(user=user, filters=filters)
    unit = next((unit for unit in adviser_units(user) if unit.pk == filters.unit), None)
    export_record(
        request=request,
        kind=ExportKind.APPROVAL_CASES,
        subject=unit.title if unit is not None else _("Every unit in your queue"),
        people=len({row.case.student_id for row in rows}),
    )
    filename = f"approval-cases-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(response)
    writer.writerow(csv_header())
    lights = dict(Light.choices)
    for row in rows:
        case = row.case
        first, decision, reading = row.clocks.first_response, row.clocks.decision, row.reading
        institution = case.agreement.institution
        writer.writerow(
            [
                case.pk,
                case.get_kind_display(),
                _cell(case.student.display_name),
                _cell(case.student.email),
                _cell(institution.name),
                institution.country.name,
                f"{case.get_season_display()} {case.year}",
                _cell(case.unit.title if case.unit is not None else ""),
                case.get_status_display(),
                case.get_waiting_for_display(),
                _cell(case.adviser.display_name if case.adviser is not None else ""),
                _date(case.submitted_at),
                _date(case.first_response_at),
                _days(first.used if first else None),
                first.promised if first else "",
                _date(case.decided_at),
                _days(decision.used if decision else None),
                decision.promised if decision else "",
                lights[row.light] if reading else "",
                _days(reading.remaining if reading else None),
            ]
        )
    return response


def csv_header() -> list[str]:
    """The CSV's header row, in the reader's language."""
    return [
        _("Case"),
        _("Kind"),
        _("Student"),
        _("Email"),
        _("Destination"),
        _("Country"),
        _("Semester"),
        _("Unit"),
        _("Status"),
        _("Waiting for"),
        _("Adviser"),
        _("Submitted"),
        _("First response"),
        _("First response: working days used"),
        _("First response: working days promised"),
        _("Decided"),
        _("Decision: working days used"),
        _("Decision: working days promised"),
        _("Clock"),
        _("Working days left"),
    ]


class UnitTimesView(QueueMixin, TemplateView):
    """One unit's response times (as the public page shows them) and its promised times."""

    template_name = "approvals/admin/unit_times.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.unit = get_object_or_404(UnitPage, pk=kwargs["unit_id"], kind__in=ADVISING_KINDS)
        if not may_advise_unit(user=request.user, unit=self.unit):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return _("Response times: %(unit)s") % {"unit": self.unit.title}

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return self.breadcrumbs_items + [
            {"url": reverse("approval_cases:queue"), "label": _("Pre-approval cases")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        stats = response_times(unit=self.unit)
        context.update(
            unit=self.unit,
            stats=stats,
            chart=response_chart(stats),
            form=kwargs.get("form")
            or PromiseForm(
                initial={
                    "first_response_days": stats.first_response_days,
                    "decision_days": stats.decision_days,
                }
            ),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = PromiseForm(request.POST)
        if form.is_valid():
            try:
                promise_set(
                    unit=self.unit,
                    user=request.user,
                    first_response_days=form.cleaned_data["first_response_days"],
                    decision_days=form.cleaned_data["decision_days"],
                )
            except ApprovalError as error:
                if error.code == "forbidden":
                    raise PermissionDenied from error
                field = error.field if error.field in form.fields else None
                form.add_error(field, str(error.message))
            else:
                messages.success(
                    request,
                    _(
                        "%(unit)s now promises a first response within %(first)s and a decision "
                        "within %(decision)s working days."
                    )
                    % {
                        "unit": self.unit.title,
                        "first": form.cleaned_data["first_response_days"],
                        "decision": form.cleaned_data["decision_days"],
                    },
                )
                return HttpResponseRedirect(reverse("approval_cases:unit", args=[self.unit.pk]))
        return self.render_to_response(self.get_context_data(form=form), status=400)


admin_urls = [
    path("", QueueView.as_view(), name="queue"),
    path("cases.csv", queue_csv, name="queue_csv"),
    path("units/<id:unit_id>/", UnitTimesView.as_view(), name="unit"),
]


@hooks.register("register_admin_urls")
def register_approval_cases_admin_urls() -> list[Any]:
    return [
        path(
            "approval-cases/",
            include((admin_urls, "approval_cases"), namespace="approval_cases"),
        )
    ]


class QueueMenuItem(MenuItem):
    """Shown to the International Section's staff and the editors of faculties and departments."""

    def is_shown(self, request: HttpRequest) -> bool:
        cached = getattr(request, "_approvals_may_use_queue", None)
        if cached is None:
            cached = may_use_queue(request.user)
            setattr(request, "_approvals_may_use_queue", cached)  # noqa: B010
        return cached


@hooks.register("register_admin_menu_item")
def register_queue_menu_item() -> MenuItem:
    return QueueMenuItem(
        gettext_lazy("Pre-approval cases"),
        reverse("approval_cases:queue"),
        name="approval-cases",
        icon_name="clipboard-list",
        order=263,
    )
