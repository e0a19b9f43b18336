"""Public views of units: the directory's and a unit page's context, follows, "My connections"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .errors import UnitError
from .forms import UnitDirectoryFilterForm
from .kinds import KIND_PLURALS, UnitKind
from .selectors import (
    unit_children,
    unit_directory,
    unit_faculties,
    unit_faculty,
    unit_get,
    unit_is_followed,
    unit_list,
    unit_parent_unit,
    unit_upcoming_events,
    units_attach_faculties,
    units_followed_by,
    units_latest_pages,
    units_upcoming_events,
)
from .services import follow_create, follow_delete

UPCOMING_EVENTS_SHOWN = 5
# How many of the followed units' events and newest pages "My connections" shows.
CONNECTIONS_EVENTS_SHOWN = 6
CONNECTIONS_NEWS_SHOWN = 6


def _grouped_by_kind(units):
    groups = []
    for unit in units:
        if not groups or groups[-1]["kind"] != unit.kind:
            groups.append(
                {"kind": unit.kind, "label": KIND_PLURALS.get(unit.kind, unit.kind), "units": []}
            )
        groups[-1]["units"].append(unit)
    return groups


def directory_context(request, *, directory):
    """What the directory page shows: the filter form and the matching units, grouped by kind."""
    faculties = list(unit_faculties())
    form = UnitDirectoryFilterForm(request.GET or None, faculties=faculties)
    kind = faculty = query = None
    if form.is_bound and form.is_valid():
        kind = form.cleaned_data["kind"] or None
        faculty = next((f for f in faculties if f.pk == form.cleaned_data["faculty"]), None)
        query = form.cleaned_data["q"].strip() or None
    units = units_attach_faculties(unit_list(kind=kind, faculty=faculty, query=query))
    return {
        "filter_form": form,
        "unit_groups": _grouped_by_kind(units),
        "unit_count": len(units),
        "is_filtering": bool(kind or faculty or query),
        "selected_faculty": faculty,
    }


def unit_context(request, *, unit):
    """What a unit page shows besides its own fields."""
    faculty = unit_faculty(unit) if unit.kind != UnitKind.FACULTY else None
    parent_unit = unit_parent_unit(unit)
    upcoming = unit_upcoming_events(unit=unit, limit=UPCOMING_EVENTS_SHOWN)
    return {
        "faculty": faculty,
        "parent_unit": parent_unit if parent_unit and parent_unit != faculty else None,
        "child_units": list(unit_children(parent=unit)),
        "is_following": unit_is_followed(unit=unit, user=request.user),
        "upcoming_events": upcoming.events,
        "upcoming_events_template": upcoming.template_name,
        "directory": unit_directory(),
    }


def _next_url(request, default):
    candidate = request.POST.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _live_unit_or_404(unit_id):
    unit = unit_get(unit_id=unit_id)
    if unit is None:
        raise Http404
    return unit


@require_POST
def unit_follow(request, unit_id):
    """Follow a unit (POST with CSRF); anonymous people are sent to log in first."""
    unit = _live_unit_or_404(unit_id)
    unit_url = unit.get_url(request)
    if not request.user.is_authenticated:
        return redirect_to_login(unit_url)
    try:
        follow_create(user=request.user, unit=unit)
    except UnitError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You now follow %(unit)s.") % {"unit": unit.title})
    return redirect(_next_url(request, unit_url))


@require_POST
def unit_unfollow(request, unit_id):
    """Stop following a unit (POST with CSRF)."""
    unit = _live_unit_or_404(unit_id)
    unit_url = unit.get_url(request)
    if not request.user.is_authenticated:
        return redirect_to_login(unit_url)
    try:
        follow_delete(user=request.user, unit=unit)
    except UnitError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You no longer follow %(unit)s.") % {"unit": unit.title})
    return redirect(_next_url(request, unit_url))


@require_GET
@login_required
def connections(request):
    """ "My connections": the units the person follows, their upcoming events and what is new.

    The news of a unit is what was last published in its branch of the tree
    (see ``units_latest_pages``).
    """
    units = units_followed_by(user=request.user)
    upcoming = units_upcoming_events(units=units, user=request.user, limit=CONNECTIONS_EVENTS_SHOWN)
    return render(
        request,
        "units/connections.html",
        {
            "units": units,
            "upcoming_events": upcoming.events,
            "upcoming_events_template": upcoming.template_name,
            "latest_pages": units_latest_pages(units=units, limit=CONNECTIONS_NEWS_SHOWN),
            "directory": unit_directory(),
        },
    )
