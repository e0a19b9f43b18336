"""Public views of units: follows and "My connections" (the pages' context is in page_context.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from onboarding.http import redirect_next

from .errors import UnitError
from .selectors import (
    unit_directory,
    unit_get,
    units_followed_by,
    units_latest_pages,
    units_upcoming_events,
)
from .services import follow_create, follow_delete

# How many of the followed units' events and newest pages "My connections" shows.
CONNECTIONS_EVENTS_SHOWN = 6
CONNECTIONS_NEWS_SHOWN = 6


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
    return redirect_next(request, unit_url)


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
    return redirect_next(request, unit_url)


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
