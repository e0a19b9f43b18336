"""The destination finder, the destination pages, the report form and "my programme".

Mounted under the translated "exchange/" path (/nb/utveksling/reisemal/,
/en/exchange/destinations/); /nb/utveksling/ itself stays the Go abroad
information page, which links here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from onboarding.http import parse_id

from . import selectors, services
from .errors import ExchangeError
from .forms import FinderForm, ReportForm
from .models import Agreement, Programme, ReportStatus
from .selectors import FinderFilters, placement_fit_q, window_fit_q

PER_PAGE = 20


def _initial_from_programme(programme: Programme) -> dict[str, Any]:
    """The filters a student with ``programme`` starts with."""
    initial: dict[str, Any] = {
        "programme": str(programme.pk),
        "fits_window": "on",
        "level": programme.level,
    }
    if programme.placement_semesters:
        initial["placement_ok"] = "on"
    return initial


@require_http_methods(["GET", "HEAD"])
def finder(request: HttpRequest) -> HttpResponse:
    """Filter current agreements; a student with a programme starts with it pre-set."""
    mine = selectors.student_programme(user=request.user)
    # Only the page number asked for: the filters start from the student's programme.
    preset = mine is not None and not (set(request.GET) - {"page"})
    data = _initial_from_programme(mine.programme) if preset and mine else request.GET
    form = FinderForm(
        data or None,
        country_codes=selectors.finder_countries(),
        language=get_language() or "en",
    )
    valid = form.is_valid() if form.is_bound else True
    cleaned = form.cleaned_data if form.is_bound and valid else {}
    programme = cleaned.get("programme")
    filters = FinderFilters(
        q=(cleaned.get("q") or "").strip(),
        country=cleaned.get("country") or "",
        language=cleaned.get("language") or "",
        cefr=cleaned.get("cefr") or "",
        subject=cleaned.get("subject") or "",
        level=cleaned.get("level") or "",
        season=cleaned.get("season") or "",
        mobility_format=cleaned.get("mobility_format") or "",
        fits_window=bool(cleaned.get("fits_window")),
        placement_ok=bool(cleaned.get("placement_ok")),
        grant=bool(cleaned.get("grant")),
        package=bool(cleaned.get("package")),
        programme=programme,
    )
    agreements = selectors.agreement_search(filters=filters)
    page = Paginator(agreements, PER_PAGE).get_page(request.GET.get("page"))
    rows = selectors.agreements_with_details(list(page.object_list))
    fitting: set[int] = set()
    if programme is not None and rows:
        fitting = set(
            Agreement.objects.filter(pk__in=[a.pk for a in rows])
            .filter(window_fit_q(programme) & placement_fit_q(programme))
            .values_list("pk", flat=True)
        )
    return render(
        request,
        "exchange/finder.html",
        {
            "form": form,
            "page_obj": page,
            "agreements": rows,
            "fitting": fitting,
            "programme": programme,
            "mine": mine,
            "preset": preset,
            "is_filtering": form.is_bound,
            "may_save_programme": request.user.is_authenticated
            and programme is not None
            and (mine is None or mine.programme_id != programme.pk),
        },
        status=200 if valid else 400,
    )


@require_http_methods(["GET", "HEAD"])
def destination(request: HttpRequest, schac: str) -> HttpResponse:
    """A partner: the factsheet in words, its agreements (marked when they fit), reports."""
    institution = selectors.institution_get(schac_code=schac)
    if institution is None:
        raise Http404
    mine = selectors.student_programme(user=request.user)
    programme = mine.programme if mine else None
    agreements, fitting = selectors.destination_agreements(
        institution=institution, programme=programme
    )
    query = request.GET.get("q", "")[:100]
    reports = list(selectors.published_reports(institution=institution, q=query))
    now = timezone.now()
    return render(
        request,
        "exchange/destination.html",
        {
            "institution": institution,
            "agreements": [
                {"agreement": a, "fits": a.pk in fitting, "stale": a.is_stale(now)}
                for a in agreements
            ],
            "programme": programme,
            "reports": reports,
            "query": query,
        },
    )


def _agreement_choices(institution_id: int) -> list[tuple[str, str]]:
    return [
        (str(a.pk), f"{a.get_mobility_format_display()}, {a.owner_unit.title} ({a.reference})")
        for a in Agreement.objects.filter(institution_id=institution_id)
        .select_related("owner_unit")
        .order_by("reference")
    ]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_create(request: HttpRequest, schac: str) -> HttpResponse:
    """A returned student writes an experience report; the owner unit moderates it."""
    institution = selectors.institution_get(schac_code=schac)
    if institution is None:
        raise Http404
    choices = _agreement_choices(institution.pk)
    if not choices:
        raise Http404
    initial = {"language": get_language(), "year": timezone.localdate().year}
    form = ReportForm(request.POST or None, agreements=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agreement = Agreement.objects.select_related("owner_unit").get(pk=data["agreement"])
        try:
            services.report_create(
                user=request.user,
                agreement=agreement,
                language=data["language"],
                year=data["year"],
                season=data["season"],
                title=data["title"],
                text=data["text"],
                ratings={name: data[name] for name in data if name.startswith("rating_")},
            )
        except ExchangeError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(
                request,
                _("Thank you. The report is published once %(unit)s has read it.")
                % {"unit": agreement.owner_unit.title},
            )
            return redirect("exchange:destination", schac=institution.schac_code)
    return render(
        request,
        "exchange/report_form.html",
        {"institution": institution, "form": form, "pending": ReportStatus.PENDING},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def programme_save(request: HttpRequest) -> HttpResponse:
    """Remember the programme chosen in the finder as the student's own."""
    programme_id = parse_id(request.POST.get("programme"))
    programme = Programme.objects.filter(pk=programme_id).first() if programme_id else None
    if programme is None:
        messages.error(request, _("Choose a study programme."))
    else:
        try:
            services.student_programme_set(user=request.user, programme=programme)  # type: ignore[arg-type]
        except ExchangeError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request,
                _("%(programme)s is saved as your programme.") % {"programme": programme.name},
            )
    return redirect(reverse("exchange:finder"))
