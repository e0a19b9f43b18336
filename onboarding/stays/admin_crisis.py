"""Crises in the Wagtail admin: the list, declaring one, each crisis's board, acknowledging a
call for help, closing.

The International Section's staff (``stays.manage_crises``) declare and close
crises and see every student on a board; the editors of a faculty or a
department see the boards of their own students (``selectors.crisis.board_scope``).
A call for help is acknowledged by the crisis's duty officer or any of the
staff. The board follows its live topic ``crisis:<id>``:
``static/js/stays-crisis-board.js`` re-reads its live part (``board_state``)
after each hint and reconnect, and keeps the help clocks ticking between them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import include, path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from onboarding.http import local_path, parse_id

from .errors import CrisisError
from .forms.crisis import AreaFormSet, DeclareForm, areas_of
from .models import Crisis
from .selectors.crisis import (
    BOARD_FILTERS,
    board_topic,
    crisis_areas_label,
    crisis_board,
    crisis_get,
    crisis_list,
    may_acknowledge,
    may_manage_crises,
    may_view_boards,
)
from .services.crisis import check_acknowledge, crisis_close, crisis_declare

if TYPE_CHECKING:
    from onboarding.accounts.models import User


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _crisis_or_404(crisis_id: int) -> Crisis:
    crisis = crisis_get(crisis_id=crisis_id)
    if crisis is None:
        raise Http404
    return crisis


def _board_query(request: HttpRequest) -> dict[str, str]:
    """The board's filter and page from the query string, as given (the selector checks them)."""
    answer = request.GET.get("answer", "all")
    page = parse_id(request.GET.get("p", "1")) or 1
    query = {}
    if answer in BOARD_FILTERS and answer != "all":
        query["answer"] = answer
    if page > 1:
        query["p"] = str(page)
    return query


class CrisisMixin(WagtailAdminTemplateMixin):
    """For the International Section's staff and the editors of faculties and departments."""

    header_icon = "warning"
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_view_boards(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = list(self.breadcrumbs_items)
        if not isinstance(self, CrisisListView):
            items.append({"url": reverse("crises_admin:list"), "label": _("Crises")})
        return items + [{"url": "", "label": self.get_page_title()}]


class CrisisListView(CrisisMixin, TemplateView):
    """Every crisis, open ones first, with the answers of the students the reader sees."""

    page_title = gettext_lazy("Crises")
    template_name = "stays/crisis/admin/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = crisis_list(user=self.request.user)
        context.update(
            rows=[(crisis, counts, crisis_areas_label(crisis)) for crisis, counts in rows],
            may_declare=may_manage_crises(self.request.user),
        )
        return context


class DeclareView(CrisisMixin, TemplateView):
    """Declare a crisis: texts in both languages, the areas, severity, duty officer, clocks."""

    page_title = gettext_lazy("Declare a crisis")
    template_name = "stays/crisis/admin/declare.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_manage_crises(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", DeclareForm())
        context.setdefault("areas", AreaFormSet(prefix="areas"))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = DeclareForm(request.POST)
        areas = AreaFormSet(request.POST, prefix="areas")
        areas_error = ""
        if form.is_valid() and areas.is_valid():
            data = form.cleaned_data
            try:
                declared = crisis_declare(
                    user=request.user,
                    title_nb=data["title_nb"],
                    title_en=data["title_en"],
                    message_nb=data["message_nb"],
                    message_en=data["message_en"],
                    severity=data["severity"],
                    areas=areas_of(areas),
                    duty_officer=data["duty_officer"],
                    reminder_hours=data["reminder_hours"],
                    acknowledge_minutes=data["acknowledge_minutes"],
                )
            except CrisisError as error:
                if error.code == "forbidden":
                    raise PermissionDenied from error
                if error.field == "areas":
                    areas_error = str(error.message)
                else:
                    form.add_error(
                        error.field if error.field in form.fields else None, str(error.message)
                    )
            else:
                messages.success(
                    request,
                    _("The crisis is declared. %(count)s students have been sent a safety check.")
                    % {"count": declared.reached},
                )
                return HttpResponseRedirect(
                    reverse("crises_admin:board", kwargs={"crisis_id": declared.crisis.pk})
                )
        context = self.get_context_data(form=form, areas=areas, areas_error=areas_error)
        return self.render_to_response(context, status=400)


def _board_context(request: HttpRequest, crisis: Crisis) -> dict[str, Any]:
    query = _board_query(request)
    board = crisis_board(
        crisis=crisis,
        user=request.user,
        answer=query.get("answer", "all"),
        page=int(query.get("p", "1")),
    )
    if board is None:
        raise PermissionDenied
    base = reverse("crises_admin:board", kwargs={"crisis_id": crisis.pk})
    filters = [
        (
            value,
            label,
            f"{base}?{urlencode({'answer': value})}" if value != "all" else base,
        )
        for value, label in (
            ("all", _("Everyone")),
            ("help", _("Need help")),
            ("pending", _("No answer yet")),
            ("safe", _("Safe")),
        )
    ]
    here = f"{base}?{urlencode(query)}" if query else base

    def page_url(number: int) -> str:
        return f"{base}?{urlencode({**query, 'p': str(number)})}"

    return {
        "crisis": crisis,
        "board": board,
        "filters": filters,
        "here": here,
        "previous_url": page_url(board.page - 1) if board.page > 1 else "",
        "next_url": page_url(board.page + 1) if board.page < board.pages else "",
        "may_acknowledge": may_acknowledge(user=request.user, crisis=crisis),
        "may_close": crisis.is_open and may_manage_crises(request.user),
    }


class BoardView(CrisisMixin, TemplateView):
    """One crisis's board: counts, the calls for help with their clocks, every student."""

    template_name = "stays/crisis/admin/board.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.crisis = _crisis_or_404(kwargs["crisis_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return str(self.crisis.title)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_board_context(self.request, self.crisis))
        query = _board_query(self.request)
        state_url = reverse("crises_admin:board_state", kwargs={"crisis_id": self.crisis.pk})
        context.update(
            areas=crisis_areas_label(self.crisis),
            topic=board_topic(self.crisis),
            state_url=f"{state_url}?{urlencode(query)}" if query else state_url,
        )
        return context


@require_http_methods(["GET", "HEAD"])
def board_state(request: HttpRequest, crisis_id: int) -> HttpResponse:
    """The live part of a board alone, which the page re-reads after a hint."""
    if not may_view_boards(request.user):
        raise PermissionDenied
    crisis = _crisis_or_404(crisis_id)
    response = render(
        request, "stays/crisis/admin/includes/board_state.html", _board_context(request, crisis)
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def acknowledge(request: HttpRequest, crisis_id: int, check_id: int) -> HttpResponse:
    """The duty officer (or staff) has seen a call for help; back to the board."""
    crisis = _crisis_or_404(crisis_id)
    if not may_acknowledge(user=request.user, crisis=crisis):
        raise PermissionDenied
    check = crisis.checks.filter(pk=check_id).first()
    if check is None:
        raise Http404
    board = reverse("crises_admin:board", kwargs={"crisis_id": crisis.pk})
    try:
        done = check_acknowledge(check=check, user=request.user)
    except CrisisError as error:
        if error.code == "forbidden":
            raise PermissionDenied from error
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("You have acknowledged the call for help of %(name)s. Follow it up now.")
            % {"name": done.student.display_name},
        )
    target = local_path(request.POST.get("next"), request) or board
    return HttpResponseRedirect(f"{target}#check-{check.pk}")


class CloseView(CrisisMixin, TemplateView):
    """Close a crisis after a confirmation: answers and reminders stop; the counts are kept."""

    template_name = "stays/crisis/admin/close.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.crisis = _crisis_or_404(kwargs["crisis_id"])
        if not may_manage_crises(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return _("Close %(title)s") % {"title": self.crisis.title}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        board = crisis_board(crisis=self.crisis, user=self.request.user)
        context.update(crisis=self.crisis, counts=board.counts if board else None)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        board = reverse("crises_admin:board", kwargs={"crisis_id": self.crisis.pk})
        try:
            crisis_close(crisis=self.crisis, user=request.user)
        except CrisisError as error:
            if error.code == "forbidden":
                raise PermissionDenied from error
            messages.error(request, str(error.message))
        else:
            messages.success(
                request,
                _("%(title)s is closed. Its board and counts are kept.")
                % {"title": self.crisis.title},
            )
        return HttpResponseRedirect(board)


admin_urls = [
    path("", CrisisListView.as_view(), name="list"),
    path("declare/", DeclareView.as_view(), name="declare"),
    path("<id:crisis_id>/", BoardView.as_view(), name="board"),
    path("<id:crisis_id>/state/", board_state, name="board_state"),
    path("<id:crisis_id>/close/", CloseView.as_view(), name="close"),
    path("<id:crisis_id>/checks/<id:check_id>/acknowledge/", acknowledge, name="acknowledge"),
]


@hooks.register("register_admin_urls")
def register_crises_admin_urls() -> list[Any]:
    return [path("crises/", include((admin_urls, "crises_admin"), namespace="crises_admin"))]


class CrisesMenuItem(MenuItem):
    """Shown to the International Section's staff and the editors of faculties and departments."""

    def is_shown(self, request: HttpRequest) -> bool:
        cached = getattr(request, "_stays_may_view_boards", None)
        if cached is None:
            cached = may_view_boards(request.user)
            setattr(request, "_stays_may_view_boards", cached)  # noqa: B010
        return cached


@hooks.register("register_admin_menu_item")
def register_crises_menu_item() -> MenuItem:
    return CrisesMenuItem(
        gettext_lazy("Crises"),
        reverse("crises_admin:list"),
        name="crises",
        icon_name="warning",
        order=265,
    )
