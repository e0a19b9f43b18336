"""Earlier decisions in public: the search, one decision, and the picker the case builder reads.

Mounted under the translated "exchange/approvals/" path:
/nb/utveksling/emnegodkjenning/tidligere-vedtak/ and /en/exchange/approvals/earlier-decisions/.
Anyone may read them, signed in or not.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

import onboarding.http  # noqa: F401  (registers the <id:...> path converter)

from ..forms.precedents import PrecedentSearchForm
from ..models import CourseApproval, ForeignCourse, HomeCourse
from ..selectors.precedents import (
    precedent_get,
    precedent_institutions,
    precedent_rows,
    precedent_search,
    precedent_summaries,
    precedents_of_same_courses,
)

PER_PAGE = 20
PICK_LIMIT = 10
PICK_MAX = 20


def _search(request: HttpRequest) -> tuple[PrecedentSearchForm, Any, str | None]:
    """The search form from the request's GET, the decisions it finds (None when the form is
    not valid), and the name of the partner it is limited to."""
    institutions = precedent_institutions(include=str(request.GET.get("institution", ""))[:100])
    form = PrecedentSearchForm(
        PrecedentSearchForm.data_from(request.GET),
        institutions=institutions,
        language=get_language() or "nb",
    )
    if not form.is_valid():
        return form, None, None
    data = form.cleaned_data
    approvals = precedent_search(
        query=data["q"],
        institution=data["institution"] or None,
        home_code=data["home_code"],
        isced=data["isced"],
        include_expired=data["include_expired"],
    )
    partner = next((i.name for i in institutions if i.schac_code == data["institution"]), None)
    return form, approvals, partner


@require_http_methods(["GET", "HEAD"])
def precedent_search_page(request: HttpRequest) -> HttpResponse:
    """Search earlier decisions by words, partner, our course code and subject area."""
    form, approvals, partner = _search(request)
    page = Paginator(
        approvals if approvals is not None else CourseApproval.objects.none(), PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "approvals/precedent_search.html",
        {
            "form": form,
            "page_obj": page,
            "rows": precedent_rows(page.object_list),
            "institution_name": partner,
        },
        status=200 if approvals is not None else 400,
    )


@require_http_methods(["GET", "HEAD"])
def precedent_detail(request: HttpRequest, approval_id: int) -> HttpResponse:
    """One decision: its combination, its summary, and other decisions on the same courses."""
    approval = precedent_get(approval_id=approval_id)
    if approval is None:
        raise Http404
    today = timezone.localdate()
    others = precedents_of_same_courses(approval=approval, today=today)
    summary = precedent_summaries(approvals=[approval], today=today).get(approval.pk)
    return render(
        request,
        "approvals/precedent_detail.html",
        {
            "row": precedent_rows([approval], today=today)[0],
            "summary": summary,
            "others": precedent_rows(others, today=today),
        },
    )


def _foreign_row(course: ForeignCourse) -> dict[str, Any]:
    return {
        "code": course.code,
        "title": course.title,
        "ects": str(course.ects),
        "level": course.level,
        "url": course.url,
        "taught": course.taught,
    }


def _home_row(course: HomeCourse) -> dict[str, Any]:
    return {
        "kind": course.kind,
        "code": course.code,
        "title_nb": course.title_nb,
        "title_en": course.title_en,
        "title": course.title,
        "elective_level": course.elective_level,
        "elective_field": course.elective_field_id,
        "ects": str(course.ects),
    }


@require_http_methods(["GET", "HEAD"])
def precedent_pick_json(request: HttpRequest) -> JsonResponse:
    """Earlier decisions to start a case line from, as JSON (public, GET).

    Parameters (all optional, as the search page's): ``q`` words, ``institution`` a
    SCHAC code, ``home_code`` one of our course codes, ``isced`` an ISCED-F code or
    prefix, ``include_expired=0`` to leave expired decisions out (they are in by
    default, marked), ``limit`` 1 to 20 (10).

    Answer 200::

        {"count": 12,                       # all that match; "results" holds the first
         "results": [{
            "id": 41, "url": "/en/exchange/approvals/earlier-decisions/41/",
            "institution": {"schac": "tum.de", "name": "Technische Universität München"},
            "deciding_unit": "Department of Computer Science",
            "decided_on": "2025-03-04", "valid_until": "2030-03-04", "expired": false,
            "times": 4,
            "summary": "Approved 4 times as DAT100 Programming, last in 2025, valid to 2030.",
            "foreign": [{"code": "IN0001", "title": "Einführung in die Informatik",
                         "ects": "6.0", "level": "bachelor", "url": "", "taught": "autumn"}],
            "home": [{"kind": "course", "code": "DAT100", "title_nb": "Programmering",
                      "title_en": "Programming", "title": "Programming",
                      "elective_level": "", "elective_field": null, "ects": "7.5"}]}]}

    ``foreign`` and ``home`` are the rows of the line to fill in, in the shape
    ``services.precedents.precedent_create`` takes (``elective_field`` is the ISCED-F
    code). Texts are in the language of the address. Answer 400 ``{"errors": {field:
    [messages]}}`` for parameters that are not valid, 405 for another method.
    """
    form, approvals, _partner = _search(request)
    if approvals is None:
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    try:
        limit = int(str(request.GET.get("limit", PICK_LIMIT))[:3])
    except ValueError:
        limit = PICK_LIMIT
    limit = max(1, min(PICK_MAX, limit))
    count = approvals.count()
    found = list(approvals[:limit])
    summaries = precedent_summaries(approvals=found)
    today = timezone.localdate()
    results = []
    for approval in found:
        summary = summaries.get(approval.pk)
        results.append(
            {
                "id": approval.pk,
                "url": reverse("approvals:precedent_detail", args=[approval.pk]),
                "institution": {
                    "schac": approval.institution.schac_code,
                    "name": approval.institution.name,
                },
                "deciding_unit": approval.deciding_unit.title,
                "decided_on": approval.decided_on.isoformat(),
                "valid_until": approval.valid_until.isoformat(),
                "expired": approval.valid_until < today,
                "times": summary.times if summary else 1,
                "summary": summary.text if summary else "",
                "foreign": [_foreign_row(course) for course in approval.foreign_courses.all()],
                "home": [_home_row(course) for course in approval.home_courses.all()],
            }
        )
    return JsonResponse({"count": count, "results": results})


urlpatterns = [
    path(_("earlier-decisions/"), precedent_search_page, name="precedent_search"),
    path(_("earlier-decisions/pick.json"), precedent_pick_json, name="precedent_pick_json"),
    path(_("earlier-decisions/<id:approval_id>/"), precedent_detail, name="precedent_detail"),
]
