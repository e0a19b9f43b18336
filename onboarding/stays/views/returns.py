"""Views: the student's requests to come home early.

Mounted under the translated "exchange/abroad/" path. A request and the form for a stay are
their student's alone: anyone else gets 404, as if they did not exist, and anonymous people
go to the login page. The faculty decides in the Wagtail admin (``admin_returns``). The views
parse input, call ``services.returns`` and show the result or the refusal.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

import onboarding.http  # noqa: F401  (registers the <id:...> path converter)
from onboarding.approvals.clock import Light

from ..forms.returns import (
    AnswerForm,
    PlanBFormSet,
    ReturnRequestForm,
    plan_b_initial,
)
from ..models import EarlyReturnRequest, ProgrammeCourse, ReturnStatus, ReturnStepKind
from ..selectors.returns import (
    open_crises,
    own_stay,
    plan_b_catalogue,
    request_detail,
    request_get,
    stay_may_return,
    stay_plan_b,
    stays_for_return,
    student_requests,
)
from ..services import returns as services
from ..services.returns import PlanBInput, ReturnError


def _language() -> str:
    return (get_language() or "en")[:2]


def _own_request_or_404(request: HttpRequest, request_id: int) -> EarlyReturnRequest:
    found = request_get(request_id=request_id)
    if found is None or not request.user.is_authenticated or found.student_id != request.user.pk:
        raise Http404
    return found


def _detail_url(found: EarlyReturnRequest, anchor: str = "") -> str:
    url = reverse("stays:return_detail", kwargs={"request_id": found.pk})
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_http_methods(["GET", "HEAD"])
def return_list(request: HttpRequest) -> HttpResponse:
    """The student's requests to come home, and the stays they may ask to come home from."""
    rows = student_requests(user=request.user)
    waiting = {row.request.stay_id for row in rows if row.open}
    return render(
        request,
        "stays/returns/list.html",
        {
            "rows": rows,
            "stays": [(stay, stay.pk in waiting) for stay in stays_for_return(user=request.user)],
        },
    )


def _courses(form: ReturnRequestForm, formset: Any, language: str) -> list[PlanBInput]:
    """The plan-B courses the form gives: the rows kept or typed, then the programme's courses
    ticked (a course already in the rows is not added twice)."""
    rows = [row for row_form in formset.forms if (row := row_form.row()) is not None]
    codes = {row.code.casefold().replace(" ", "") for row in rows}
    picked: list[ProgrammeCourse] = form.picked()
    for course in picked:
        if course.code.casefold().replace(" ", "") in codes:
            continue
        title = getattr(course, f"title_{language}", "") or course.title
        rows.append(
            PlanBInput(code=course.code, title=title, ects=course.ects, course_id=course.pk)
        )
    return rows


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def return_new(request: HttpRequest, stay_id: int) -> HttpResponse:
    """Ask to come home early from one of the student's stays, with plan B pre-filled."""
    stay = own_stay(user=request.user, stay_id=stay_id)
    if stay is None:
        raise Http404
    language = _language()
    today = timezone.localdate()
    catalogue = plan_b_catalogue(user=request.user, stay=stay, today=today)
    initial_rows = plan_b_initial(stay_plan_b(stay))
    data = request.POST if request.method == "POST" else None
    form = ReturnRequestForm(
        data,
        crises=open_crises(user=request.user),
        catalogue=catalogue,
        language=language,
    )
    formset = PlanBFormSet(data, prefix="courses", initial=initial_rows)
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            created = services.request_create(
                student=request.user,  # type: ignore[arg-type]
                stay=stay,
                reason=form.cleaned_data["reason"],
                return_on=form.cleaned_data["return_on"],
                explanation=form.cleaned_data["explanation"],
                crisis=form.cleaned_data.get("crisis"),
                courses=_courses(form, formset, language),
            )
        except ReturnError as error:
            field = error.field if error.field in form.fields else None
            if error.code == "open_request" and "request" in error.extra:
                messages.error(request, str(error.message))
                return redirect(_detail_url(error.extra["request"]))
            form.add_error(field, str(error.message))
        else:
            messages.success(
                request,
                _("Your request is sent to %(unit)s. You will hear from them here.")
                % {"unit": created.unit.title},
            )
            return redirect(_detail_url(created))
    return render(
        request,
        "stays/returns/form.html",
        {
            "stay": stay,
            "may_ask": stay_may_return(stay, today=today),
            "form": form,
            "formset": formset,
        },
        status=400 if data is not None else 200,
    )


def _waiting_label(found: EarlyReturnRequest) -> str:
    if found.status != ReturnStatus.SUBMITTED:
        return ""
    if found.waiting_for == "student":
        return _("you")
    return str(found.unit.title)


@login_required
@require_http_methods(["GET", "HEAD"])
def return_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    """The student's request: its status, clock, plan-B courses, steps, and what they may do."""
    found = _own_request_or_404(request, request_id)
    detail = request_detail(request=found, now=timezone.now())
    return render(
        request,
        "stays/returns/detail.html",
        {
            "req": found,
            "detail": detail,
            "light_label": Light(detail.clock.light).label,
            "waiting_label": _waiting_label(found),
            "answer_form": AnswerForm(),
            # The faculty's last question, shown above the answer form.
            "question": next(
                (step for step in reversed(detail.steps) if step.kind == ReturnStepKind.QUESTION),
                None,
            ),
        },
    )


@login_required
@require_POST
def return_answer(request: HttpRequest, request_id: int) -> HttpResponse:
    """The student answers the faculty's question."""
    found = _own_request_or_404(request, request_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write your answer."))
        return redirect(_detail_url(found, "answer"))
    try:
        services.request_answer(
            request=found,
            user=request.user,  # type: ignore[arg-type]
            text=form.cleaned_data["text"],
        )
    except ReturnError as error:
        messages.error(request, str(error.message))
        return redirect(_detail_url(found, "answer"))
    messages.success(request, _("Your answer is sent."))
    return redirect(_detail_url(found, "steps"))


@login_required
@require_POST
def return_withdraw(request: HttpRequest, request_id: int) -> HttpResponse:
    """The student withdraws their undecided request."""
    found = _own_request_or_404(request, request_id)
    try:
        services.request_withdraw(request=found, user=request.user)  # type: ignore[arg-type]
    except ReturnError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Your request is withdrawn."))
    return redirect(_detail_url(found))


urlpatterns = [
    path(gettext_lazy("come-home/"), return_list, name="return_list"),
    path(gettext_lazy("come-home/stays/<id:stay_id>/"), return_new, name="return_new"),
    path(gettext_lazy("come-home/<id:request_id>/"), return_detail, name="return_detail"),
    path(gettext_lazy("come-home/<id:request_id>/answer/"), return_answer, name="return_answer"),
    path(
        gettext_lazy("come-home/<id:request_id>/withdraw/"),
        return_withdraw,
        name="return_withdraw",
    ),
]
