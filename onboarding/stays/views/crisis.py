"""Views: a student's safety checks, on the site and through the answer links of the email.

Mounted under the translated "exchange/abroad/" path. A check is its
student's alone: anyone else gets 404, as for a check that does not exist,
and anonymous people go to the login page. The answer links
(``checks/answer/<token>/``) work without logging in: the signed token
(``tokens``) is the proof. Opening one only shows the answer page, with the
link's answer chosen; the answer is recorded when the form is sent, so a mail
scanner that opens links answers nothing. A link that is changed, expired,
for a closed crisis, or opened while someone else is logged in is refused
with a message saying so, and nothing changes.

The open checks (``includes/open_checks.html``) follow the live topic
``safety:checks``; ``static/js/stays-checks.js`` re-reads them from
``checks/open/`` when a hint arrives and after every reconnect.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

import onboarding.http  # noqa: F401  (registers the <id:...> path converter)

from ..errors import AnswerLinkError, CrisisError
from ..forms.crisis import AnswerForm
from ..models import CheckAnswer, SafetyCheck
from ..selectors.crisis import (
    check_get,
    crisis_areas_label,
    open_checks_for,
    student_check_get,
    student_checks,
)
from ..services.crisis import check_answer
from ..tokens import AnswerToken, answer_token_read

# The HTTP status of each refusal of an answer link.
LINK_STATUS = {"invalid": 400, "expired": 400, "wrong_person": 403, "no_check": 404, "closed": 409}


def _answered_message(check: SafetyCheck) -> str:
    if check.answer == CheckAnswer.HELP:
        return _(
            "Your answer is recorded: you need help. The duty officer has been told and will "
            "contact you. If your life is in danger, call the local emergency number now."
        )
    return _("Thank you. Your answer is recorded: you are safe.")


def _check_context(check: SafetyCheck, form: AnswerForm) -> dict[str, Any]:
    return {
        "check": check,
        "crisis": check.crisis,
        "areas": crisis_areas_label(check.crisis),
        "form": form,
    }


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def check_list(request: HttpRequest) -> HttpResponse:
    """The student's safety checks: the open ones in the live banner, then the others."""
    open_checks = open_checks_for(request.user)
    open_ids = {check.pk for check in open_checks}
    return render(
        request,
        "stays/crisis/check_list.html",
        {
            # The open ones are in the live banner; the rest are listed below it.
            "checks": [c for c in student_checks(user=request.user) if c.pk not in open_ids],
            "open_checks": open_checks,
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def open_checks(request: HttpRequest) -> HttpResponse:
    """The banner of open checks alone, which a page re-reads after a hint."""
    response = render(
        request,
        "stays/crisis/includes/open_checks_state.html",
        {"open_checks": open_checks_for(request.user)},
    )
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def check_detail(request: HttpRequest, check_id: int) -> HttpResponse:
    """One of the student's checks: the crisis, their answer, and the form to (re)answer."""
    check = student_check_get(check_id=check_id, user=request.user)
    if check is None:
        raise Http404
    initial = {"answer": check.answer} if check.answer != CheckAnswer.PENDING else {}
    form = AnswerForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                answered = check_answer(
                    check=check,
                    student=request.user,
                    answer=form.cleaned_data["answer"],
                    message=form.cleaned_data["message"],
                )
            except CrisisError as error:
                if error.field in form.fields:
                    form.add_error(error.field, str(error.message))
                else:
                    form.add_error(None, str(error.message))
            else:
                messages.success(request, _answered_message(answered))
                return HttpResponseRedirect(reverse("stays:check_detail", args=[check.pk]))
        status = 400
    return render(
        request, "stays/crisis/check_detail.html", _check_context(check, form), status=status
    )


def _link_check(request: HttpRequest, answer_token: str) -> tuple[SafetyCheck, AnswerToken]:
    """The check an answer link is for, if the link may be used here; raises AnswerLinkError."""
    token = answer_token_read(answer_token)
    check = check_get(check_id=token.check_id)
    if check is None or check.student_id != token.student_id or not check.student.is_active:
        raise AnswerLinkError(
            code="no_check",
            message=_(
                "This safety check no longer exists. If you need help, contact the "
                "International Section."
            ),
        )
    user = request.user
    if user.is_authenticated and user.pk != token.student_id:
        raise AnswerLinkError(
            code="wrong_person",
            message=_(
                "This link was sent to someone else than the person logged in here, so it "
                "cannot be used in this browser. Log out and open the link again, or answer "
                "your own safety checks after logging in."
            ),
        )
    if check.crisis.closed_at is not None:
        raise AnswerLinkError(
            code="closed",
            message=_(
                "This crisis has been closed, so answers are no longer recorded. If you need "
                "help, call the local emergency number or the International Section."
            ),
        )
    return check, token


def _link_refused(request: HttpRequest, error: AnswerLinkError) -> HttpResponse:
    return render(
        request,
        "stays/crisis/link_refused.html",
        {"error": error},
        status=LINK_STATUS.get(error.code, 400),
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def answer_link(request: HttpRequest, answer_token: str) -> HttpResponse:
    """The page an answer link opens, without logging in: the link's answer chosen, a message
    box and a button; sending it records the answer (a second time changes it)."""
    try:
        check, token = _link_check(request, answer_token)
    except AnswerLinkError as error:
        return _link_refused(request, error)
    form = AnswerForm(
        request.POST if request.method == "POST" else None, initial={"answer": token.answer}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                answered = check_answer(
                    check=check,
                    student=check.student,
                    answer=form.cleaned_data["answer"],
                    message=form.cleaned_data["message"],
                )
            except CrisisError as error:
                if error.code == "closed":
                    return _link_refused(
                        request, AnswerLinkError(code="closed", message=error.message)
                    )
                form.add_error(
                    error.field if error.field in form.fields else None, str(error.message)
                )
            else:
                messages.success(request, _answered_message(answered))
                return HttpResponseRedirect(request.path)
        status = 400
    context = _check_context(check, form)
    context["token"] = token
    return render(request, "stays/crisis/answer_link.html", context, status=status)


urlpatterns = [
    path(gettext_lazy("checks/"), check_list, name="check_list"),
    path(gettext_lazy("checks/open/"), open_checks, name="open_checks"),
    path(gettext_lazy("checks/<id:check_id>/"), check_detail, name="check_detail"),
    path(gettext_lazy("checks/answer/<str:answer_token>/"), answer_link, name="answer_link"),
]
