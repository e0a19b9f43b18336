"""The editors' side of term proposals in the Wagtail admin: the waiting proposals of the units
they edit (every unit's for the International Section's staff), each with a form to accept it
(which makes the term) or decline it.

Refuses people who edit no unit (403, as the admin refuses), and a decision on another unit's
proposal.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

import onboarding.http  # noqa: F401  (registers the <id:...> path converter)

from . import services
from .errors import GlossaryError
from .forms import DecisionForm
from .models import TermProposal
from .permissions import edits_any_unit, is_glossary_staff, may_edit_for_unit
from .selectors import proposals_for

TITLE = gettext_lazy("Term proposals")


def may_decide_proposals(user: Any) -> bool:
    """The editors of any unit and the International Section's staff."""
    return is_glossary_staff(user) or edits_any_unit(user)


class ProposalQueueView(WagtailAdminTemplateMixin, TemplateView):
    """The proposals waiting for the units the person edits, oldest first."""

    page_title = TITLE
    header_icon = "doc-full"
    template_name = "glossary/admin/proposals.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_decide_proposals(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(proposals=list(proposals_for(user=self.request.user)), form=DecisionForm())
        return context


@require_POST
def proposal_decide(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Accept or decline one proposal."""
    if not may_decide_proposals(request.user):
        raise PermissionDenied
    proposal = TermProposal.objects.select_related("owner").filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404
    if not may_edit_for_unit(user=request.user, unit=proposal.owner):
        raise PermissionDenied
    queue = reverse("glossary_admin:proposals")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to accept or decline the proposal."))
        return HttpResponseRedirect(queue)
    data = form.cleaned_data
    try:
        if data["decision"] == "accept":
            term = services.proposal_accept(
                proposal=proposal,
                by=request.user,
                other_term=data["other_term"],
                definition_nb=data["definition_nb"],
                definition_en=data["definition_en"],
            )
            messages.success(
                request,
                _("“%(term)s” is added to the glossary; the student is told.")
                % {"term": term.any_name()},
            )
        else:
            services.proposal_decline(proposal=proposal, by=request.user, reason=data["reason"])
            messages.success(request, _("The proposal is declined; the student is told."))
    except GlossaryError as error:
        if error.code == "forbidden":
            raise PermissionDenied from error
        messages.error(request, str(error.message))
    return HttpResponseRedirect(queue)


admin_urls = [
    path("", ProposalQueueView.as_view(), name="proposals"),
    path("<id:proposal_id>/decide/", proposal_decide, name="proposal_decide"),
]
