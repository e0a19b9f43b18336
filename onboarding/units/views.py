"""Public views of units: follows, "My connections" and accepting an invitation (the pages'
context is in page_context.py)."""

from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onboarding.accounts.middleware import MFA_NEXT_SESSION_KEY
from onboarding.http import redirect_next

from .errors import UnitError
from .models import UnitPage, UnitRole
from .selectors import (
    invitation_by_token,
    unit_directory,
    unit_get,
    units_followed_by,
    units_latest_pages,
    units_upcoming_events,
)
from .services import follow_create, follow_delete, unit_invitation_accept

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


def _invitation_state(invitation):
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.accepted_at is not None:
        return "used"
    if timezone.now() >= invitation.expires_at:
        return "expired"
    return "pending"


@require_http_methods(["GET", "POST"])
def invitation(request, invitation_token):
    """An invitation to edit or organise for a unit: shown, and accepted with a POST.

    Accepting needs an account: anonymous people log in (or sign up) and come
    back here. A new editor without two-factor authentication is sent to set
    it up, and then on to the unit's page in the admin; a new organiser goes
    to the unit's page, whose events they can now check people in at.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = invitation_by_token(token=invitation_token)
    if found is None:
        raise Http404
    if request.method == "POST":
        try:
            accepted = unit_invitation_accept(token=invitation_token, user=request.user)
        except UnitError as error:
            messages.error(request, error.message)
            return redirect(request.get_full_path())
        return _after_accepting(request, accepted)
    unit = UnitPage.objects.get(pk=found.unit_id)
    return render(
        request,
        "units/invitation.html",
        {
            "invitation": found,
            "unit": unit,
            "state": _invitation_state(found),
            "is_editor_role": found.role == UnitRole.EDITOR,
        },
    )


def _after_accepting(request, invitation):
    unit = UnitPage.objects.get(pk=invitation.unit_id)
    if invitation.role == UnitRole.EDITOR:
        messages.success(request, _("You are now an editor of %(unit)s.") % {"unit": unit.title})
        admin_url = reverse("wagtailadmin_pages:edit", args=[unit.pk])
        if not is_mfa_enabled(request.user):
            messages.info(
                request,
                _(
                    "Set up two-factor authentication now: the admin, where you edit the "
                    "unit's pages, opens only with it."
                ),
            )
            request.session[MFA_NEXT_SESSION_KEY] = admin_url
            return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': admin_url})}")
        return redirect(admin_url)
    messages.success(
        request,
        _(
            "You are now an organiser of %(unit)s: you can see who has signed up to its events "
            "and check them in."
        )
        % {"unit": unit.title},
    )
    return redirect(unit.get_url(request) or reverse("unit_connections"))
