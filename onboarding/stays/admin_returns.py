"""The faculty's side of requests to come home early, in the Wagtail admin: the queue and each
request's page with its question, comment and decision forms.

The queue shows the requests the person handles (``selectors.returns.handled_requests_q``:
every unit's for the International Section's staff, a faculty's for its editors), each with
its decision clock, late first, then the least time left. The menu item and the URLs are
registered in ``hooks_returns``. The queue refuses people who handle no requests, and a
request's pages refuse everyone who does not handle it, as the admin refuses (403).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

import onboarding.http  # noqa: F401  (registers the <id:...> path converter)
from onboarding.approvals.clock import Light

from .forms.returns import DecideForm, MessageForm
from .models import EarlyReturnRequest, ReturnStatus
from .selectors.returns import (
    QUEUE_ALL,
    QUEUE_OPEN,
    may_handle_request,
    may_use_return_queue,
    request_detail,
    request_get,
    return_queue,
)
from .services import returns as services
from .services.returns import ReturnError

TITLE = gettext_lazy("Requests to come home")


def _handled(request: HttpRequest, request_id: int) -> EarlyReturnRequest:
    """The request when ``request.user`` handles it; 404 when there is none, else refused (the
    admin sends the person to its home page with a message)."""
    if not may_use_return_queue(request.user):
        raise PermissionDenied
    found = request_get(request_id=request_id)
    if found is None:
        raise Http404
    if not may_handle_request(user=request.user, request=found):
        raise PermissionDenied
    return found


def _request_url(found: EarlyReturnRequest, anchor: str = "") -> str:
    url = reverse("stays_returns:request", args=[found.pk])
    return f"{url}#{anchor}" if anchor else url


class ReturnQueueView(WagtailAdminTemplateMixin, TemplateView):
    """The requests of the units the person decides for, late first, then least time left."""

    page_title = TITLE
    header_icon = "tasks"
    template_name = "stays/returns/admin/queue.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_use_return_queue(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        status = QUEUE_ALL if self.request.GET.get("status") == QUEUE_ALL else QUEUE_OPEN
        context.update(rows=return_queue(user=self.request.user, status=status), status=status)
        return context


class ReturnRequestView(WagtailAdminTemplateMixin, TemplateView):
    """One request: the stay, reason, plan-B courses, learning agreement, steps and clock, with
    the forms to ask the student, comment and decide."""

    header_icon = "tasks"
    template_name = "stays/returns/admin/request.html"
    found: EarlyReturnRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.found = _handled(request, kwargs["request_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return _("Request to come home: %(name)s") % {"name": self.found.student.display_name}

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return self.breadcrumbs_items + [
            {"url": reverse("stays_returns:queue"), "label": TITLE},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        detail = request_detail(request=self.found, now=timezone.now())
        undecided = self.found.status == ReturnStatus.SUBMITTED
        context.update(
            req=self.found,
            detail=detail,
            light_label=Light(detail.clock.light).label,
            message_form=kwargs.get("message_form") or MessageForm(),
            decide_form=(kwargs.get("decide_form") or DecideForm()) if undecided else None,
            undecided=undecided,
        )
        return context


def _refused(request: HttpRequest, error: ReturnError) -> None:
    if error.code == "forbidden":
        raise PermissionDenied from error
    messages.error(request, str(error.message))


MESSAGE_DONE = {
    "ask": gettext_lazy(
        "Your question is sent to the student. The clock is paused until they answer."
    ),
    "comment": gettext_lazy("Your comment is added."),
}


@require_POST
def request_message(request: HttpRequest, request_id: int) -> HttpResponse:
    """A question to the student, or a comment."""
    found = _handled(request, request_id)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a message, and send it with one of the buttons."))
        return _again(request, request_id, message_form=form)
    action = form.cleaned_data["action"]
    user: Any = request.user
    try:
        if action == "ask":
            services.request_ask(request=found, user=user, text=form.cleaned_data["text"])
        else:
            services.request_comment(request=found, user=user, text=form.cleaned_data["text"])
    except ReturnError as error:
        _refused(request, error)
        return HttpResponseRedirect(_request_url(found, "respond"))
    messages.success(request, str(MESSAGE_DONE[action]))
    return HttpResponseRedirect(_request_url(found, "steps"))


@require_POST
def request_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    """Approve or refuse the request, with a note and what happens to the learning agreement."""
    found = _handled(request, request_id)
    form = DecideForm(request.POST)
    if not form.is_valid():
        return _again(request, request_id, decide_form=form)
    try:
        decided = services.request_decide(
            request=found,
            user=request.user,  # type: ignore[arg-type]
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
            outcome=form.cleaned_data["outcome"],
        )
    except ReturnError as error:
        if error.code == "forbidden":
            raise PermissionDenied from error
        if error.field in form.fields:
            form.add_error(error.field, str(error.message))
            return _again(request, request_id, decide_form=form)
        messages.error(request, str(error.message))
        return HttpResponseRedirect(_request_url(found))
    if decided.status == ReturnStatus.APPROVED:
        messages.success(request, _("The request is approved; the student is told."))
    else:
        messages.success(request, _("The request is refused; the student is told."))
    return HttpResponseRedirect(_request_url(found))


def _again(request: HttpRequest, request_id: int, **forms: Any) -> HttpResponse:
    """The request's page again with the forms as sent and their errors, answered 400."""
    view = ReturnRequestView()
    view.setup(request, request_id=request_id)
    view.found = _handled(request, request_id)
    response = view.render_to_response(view.get_context_data(**forms))
    response.status_code = 400
    return response


admin_urls = [
    path("", ReturnQueueView.as_view(), name="queue"),
    path("<id:request_id>/", ReturnRequestView.as_view(), name="request"),
    path("<id:request_id>/message/", request_message, name="message"),
    path("<id:request_id>/decide/", request_decide, name="decide"),
]
