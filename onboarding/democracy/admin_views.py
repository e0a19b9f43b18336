"""Admin view of student democracy: who stands in an election, for the body's editors.

Open to those who may edit the election's page (the body's editors, the
editors of a unit above it, the International Section); anyone else gets the
admin's refusal.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from . import selectors
from .models import ElectionPage


def candidacies_may_view(*, election: ElectionPage, user: Any) -> bool:
    """Whether ``user`` may see who stands in ``election``: whoever may edit its page."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(election.permissions_for_user(user).can_edit())


def candidacies(request: HttpRequest, election_id: int) -> HttpResponse:
    """The candidacies of one election, by seat, in the order they came, with the seats."""
    election = get_object_or_404(ElectionPage, pk=election_id)
    if not candidacies_may_view(election=election, user=request.user):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "democracy/admin/candidacies.html",
        {
            "page_title": _("Candidacies"),
            "header_title": _("Candidacies: %(election)s") % {"election": election.title},
            "header_icon": "group",
            "election": election,
            "seats": selectors.election_candidacies(election=election),
        },
    )
