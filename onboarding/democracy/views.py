"""Student democracy's own pages: the elections calendar, standing in an election, a body's
meetings, the representatives, and the calendar files. Meetings and elections themselves are
Wagtail pages under their body."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import calendars, selectors, services
from .errors import CandidacyError
from .forms import CandidacyForm
from .models import SeatType


def _domain(request: HttpRequest) -> str:
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or request.get_host()


def _base_url(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _ics(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(name) or "calendar"}.ics"'
    return response


@require_GET
def elections_calendar(request: HttpRequest) -> HttpResponse:
    """Every body's elections: open and coming ones by date, then finished ones."""
    rows = selectors.elections_calendar()
    return render(
        request,
        "democracy/elections_calendar.html",
        {
            "current": [row for row in rows if row.stage != "finished"],
            "finished": [row for row in rows if row.stage == "finished"],
        },
    )


@require_GET
def elections_ics(request: HttpRequest) -> HttpResponse:
    """The nomination and voting periods of every election on the calendar."""
    rows = selectors.elections_calendar()
    body = calendars.elections_calendar_file(
        elections=[row.election for row in rows],
        domain=_domain(request),
        base_url=_base_url(request),
        language=get_language(),
    )
    return _ics(body, _("elections"))


@require_GET
def meeting_ics(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """One meeting as a calendar file."""
    meeting = selectors.meeting_get(meeting_id=meeting_id)
    if meeting is None:
        raise Http404
    body = calendars.meeting_calendar(
        meeting=meeting,
        domain=_domain(request),
        base_url=_base_url(request),
        language=get_language(),
    )
    return _ics(body, meeting.slug or meeting.title)


@require_GET
def body_meetings(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A body's meetings: the coming ones, and the past ones with their minutes."""
    body = selectors.body_get(unit_id=unit_id)
    if body is None:
        raise Http404
    return render(
        request,
        "democracy/body_meetings.html",
        {
            "body": body,
            "upcoming": selectors.body_upcoming_meetings(unit=body, limit=20),
            "past": selectors.body_past_meetings(unit=body, limit=50),
            "elections": selectors.body_elections(unit=body),
            "representatives": selectors.body_representatives(unit=body),
            "representatives_page": selectors.body_representatives_page(unit=body),
        },
    )


@require_GET
def body_meetings_ics(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A body's meetings as a calendar feed to subscribe to."""
    body = selectors.body_get(unit_id=unit_id)
    if body is None:
        raise Http404
    ics = calendars.body_calendar(
        body_title=body.title,
        meetings=selectors.body_meetings_all(unit=body),
        domain=_domain(request),
        base_url=_base_url(request),
        language=get_language(),
    )
    return _ics(ics, body.slug or body.title)


@require_GET
def representatives(request: HttpRequest) -> HttpResponse:
    """Who sits in the student parliament and in each student council."""
    return render(
        request,
        "democracy/representatives.html",
        {"bodies": selectors.representatives_by_body()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidacy_new(request: HttpRequest, election_id: int) -> HttpResponse:
    """Stand in an election: the form, and the refusal when nominations are not open."""
    election = selectors.election_get(election_id=election_id)
    if election is None:
        raise Http404
    seat_labels = dict(SeatType.choices)
    choices = [(code, seat_labels[code]) for code in services.seat_types_of(election)]
    refusal = None
    try:
        services.candidacy_check(election=election, user=request.user, now=timezone.now())
    except CandidacyError as error:
        refusal = error
    form = CandidacyForm(
        request.POST if request.method == "POST" and refusal is None else None,
        seat_choices=choices,
        initial={"statement_language": get_language()},
    )
    status = 200
    if request.method == "POST":
        if refusal is not None:
            status = 409
        elif form.is_valid():
            try:
                services.candidacy_create(election=election, user=request.user, **form.cleaned_data)
            except CandidacyError as error:
                refusal, status = error, 409
            else:
                messages.success(
                    request,
                    _("You stand in %(election)s. The body's editors have been told.")
                    % {"election": election.title},
                )
                return HttpResponseRedirect(election.get_url(request))
        else:
            status = 400
    return render(
        request,
        "democracy/candidacy_form.html",
        {
            "election": election,
            "body": selectors.body_of(election),
            "form": form,
            "refusal": refusal,
        },
        status=status,
    )
