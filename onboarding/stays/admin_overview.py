"""The staff overview of students abroad now, in the Wagtail admin ("Stays abroad" menu).

The International Section's staff see every stay overlapping today; a
faculty's or department's editors see their own programmes' students
(``selectors.overview``). The overview gives the students abroad by country
and by faculty as plain tables and as SVG bar charts with a text
alternative, and the list of stays filtered by country and faculty, without
contacts. The CSV of that list, with the contacts, is for crisis use only: it
needs ``stays.export_stays`` and a reason, and each download is recorded in
the export log (who, when, why, how many people) before the file is sent.
"""

from __future__ import annotations

import csv
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django_countries import countries
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from onboarding.privacy.models import ExportKind
from onboarding.privacy.services import export_record

from .charts import country_chart, faculty_chart
from .forms.overview import ExportForm, OverviewFilterForm
from .selectors.overview import (
    AbroadRow,
    abroad_figures,
    abroad_rows,
    is_stays_staff,
    may_export,
    may_see_overview,
    overview_countries,
    overview_faculties,
)

# Spreadsheet programs run a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _no_faculty_label() -> str:
    return _("No faculty (no study programme given)")


def filter_form(request: HttpRequest, data: QueryDict | None) -> OverviewFilterForm:
    """The overview's filters over ``data`` (None: every stay), with the person's choices."""
    user = request.user
    return OverviewFilterForm(
        data if data else None,
        countries=overview_countries(user=user),
        faculties=overview_faculties(user),
        no_faculty=is_stays_staff(user),
    )


class OverviewView(WagtailAdminTemplateMixin, TemplateView):
    """Students abroad now: the figures, the charts, the list and the crisis download."""

    page_title = gettext_lazy("Students abroad now")
    header_icon = "globe"
    template_name = "stays/overview/overview.html"
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_see_overview(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form: OverviewFilterForm = kwargs.get("filter_form") or filter_form(
            self.request, self.request.GET
        )
        country, faculty = form.values()
        everyone = abroad_rows(user=user)
        rows = (
            abroad_rows(user=user, country=country, faculty=faculty) if form.query() else everyone
        )
        figures = abroad_figures(everyone, no_faculty_label=_no_faculty_label())
        query = form.query()
        context.update(
            today=timezone.localdate(),
            filter_form=form,
            query=query,
            rows=rows,
            listed_students=len({row.stay.student_id for row in rows}),
            figures=figures,
            country_chart=country_chart(figures.by_country),
            faculty_chart=faculty_chart(figures.by_faculty),
            is_staff=is_stays_staff(user),
            may_export=may_export(user),
            export_form=kwargs.get("export_form") or ExportForm(initial={"query": query}),
        )
        return context


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_header() -> list[str]:
    """The CSV's header row, in the reader's language."""
    return [
        _("Student"),
        _("Email"),
        _("Study programme"),
        _("Faculty"),
        _("Host"),
        _("City"),
        _("Country"),
        _("From"),
        _("To"),
        _("Phone abroad"),
        _("Address abroad"),
        _("Emergency contact"),
        _("Relation"),
        _("Emergency contact's phone"),
        _("Emergency contact's email"),
        _("Second contact"),
        _("Second contact's phone"),
        _("Second contact's email"),
        _("Updated"),
    ]


def csv_row(row: AbroadRow) -> list[str]:
    stay = row.stay
    return [
        _cell(stay.student.display_name),
        _cell(stay.student.email),
        _cell(row.programme.name if row.programme is not None else ""),
        _cell(row.faculty.title if row.faculty is not None else ""),
        _cell(row.host),
        _cell(stay.city),
        str(countries.name(str(stay.country))),
        stay.starts_on.isoformat(),
        stay.ends_on.isoformat(),
        _cell(stay.local_phone),
        _cell(" / ".join(stay.local_address.splitlines())),
        _cell(stay.emergency_name),
        _cell(stay.emergency_relation),
        _cell(stay.emergency_phone),
        _cell(stay.emergency_email),
        _cell(stay.second_name),
        _cell(stay.second_phone),
        _cell(stay.second_email),
        timezone.localtime(stay.updated_at).date().isoformat(),
    ]


def _subject(form: OverviewFilterForm) -> str:
    """What the download holds, for the export log: the day and the filters."""
    country, faculty = form.values()
    parts = [_("Students abroad on %(day)s") % {"day": timezone.localdate().isoformat()}]
    if country:
        parts.append(dict(form.fields["country"].choices).get(country, country))  # type: ignore[attr-defined]
    if faculty is not None:
        parts.append(str(dict(form.fields["faculty"].choices).get(faculty, faculty)))  # type: ignore[attr-defined]
    return ", ".join(str(part) for part in parts)


@require_POST
def overview_csv(request: HttpRequest) -> HttpResponse:
    """The filtered list of stays abroad now with contacts, as CSV, for crisis use only.

    Needs the overview and ``stays.export_stays`` (else 403) and a reason (else the
    overview again with the error, 400); the download is recorded before it is sent.
    """
    user = request.user
    if not may_see_overview(user) or not may_export(user):
        raise PermissionDenied
    export = ExportForm(request.POST)
    query = QueryDict(str(request.POST.get("query", ""))[:200])
    form = filter_form(request, query)
    if not export.is_valid():
        view = OverviewView()
        view.setup(request)
        return view.render_to_response(
            view.get_context_data(filter_form=form, export_form=export), status=400
        )
    country, faculty = form.values()
    rows = abroad_rows(user=user, country=country, faculty=faculty)
    export_record(
        request=request,
        kind=ExportKind.STAYS_ABROAD,
        subject=_subject(form),
        people=len({row.stay.student_id for row in rows}),
        reason=export.cleaned_data["reason"],
    )
    filename = f"students-abroad-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(response)
    writer.writerow(csv_header())
    for row in rows:
        writer.writerow(csv_row(row))
    return response


admin_urls = [
    path("", OverviewView.as_view(), name="index"),
    path("students-abroad.csv", overview_csv, name="csv"),
]
