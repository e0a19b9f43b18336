"""The public response times: how fast each unit answers pre-approval cases, for anyone to read.

Mounted under the translated "exchange/approvals/" path: /nb/utveksling/
emnegodkjenning/svartider/ and /en/exchange/approvals/response-times/.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

import onboarding.http  # noqa: F401  (registers the <id:...> path converter)
from onboarding.units.models import UnitPage

from ..charts import response_chart
from ..selectors.stats import (
    ADVISING_KINDS,
    response_times,
    response_times_list,
    units_with_cases,
)


def response_times_index(request: HttpRequest) -> HttpResponse:
    """Every unit that answers pre-approval cases, with its promise and its medians."""
    stats = response_times_list(units=units_with_cases())
    return render(request, "approvals/response_times_index.html", {"rows": stats})


def unit_response_times(request: HttpRequest, unit_id: int) -> HttpResponse:
    """One unit's promise, its median and 90th percentile times, and the monthly chart."""
    unit = UnitPage.objects.live().filter(pk=unit_id, kind__in=ADVISING_KINDS).first()
    if unit is None:
        raise Http404
    stats = response_times(unit=unit)
    return render(
        request,
        "approvals/response_times.html",
        {"unit": unit, "stats": stats, "chart": response_chart(stats)},
    )


urlpatterns = [
    path(_("response-times/"), response_times_index, name="response_times_index"),
    path(_("response-times/<id:unit_id>/"), unit_response_times, name="response_times"),
]
