"""Views: pre-approval cases, for the student and for the advisers who handle them.

Mounted under the translated "exchange/approvals/" path. Every case URL
answers 404 to anyone who may not see the case (another student, an adviser
of another unit), as if it did not exist; anonymous people go to the login
page. The views parse input, call ``services.cases`` and show the result or
the refusal; the case page's live part (``case_state``) is re-read by
``static/js/approvals-case.js`` when a hint arrives on the case's topic.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from onboarding.exchange.selectors import student_programme
from onboarding.http import parse_id

from ..clock import Light, WaitingFor
from ..errors import ApprovalError
from ..forms.cases import (
    FOREIGN_ROWS,
    HOME_ROWS,
    CaseNewForm,
    DecideForm,
    ForeignCourseFormSet,
    HomeCourseFormSet,
    LineCommentForm,
    MessageForm,
    isced_choices,
)
from ..models import (
    CaseLine,
    CaseStatus,
    CourseApproval,
    HomeKind,
    LineDecision,
    PreApprovalCase,
)
from ..permissions import may_handle_case, may_view_case
from ..selectors.cases import (
    case_destinations,
    case_detail,
    case_get,
    case_topic,
    precedent_matches,
    student_cases,
)
from ..services import cases as services

# --- Reading a case ----------------------------------------------------------------------------


def _case_or_404(request: HttpRequest, case_id: int) -> PreApprovalCase:
    case = case_get(case_id=case_id)
    if case is None or not may_view_case(user=request.user, case=case):
        raise Http404
    return case


def _own_case_or_404(request: HttpRequest, case_id: int) -> PreApprovalCase:
    """The case for its own student's steps; everyone else gets 404, as for a case they cannot see."""
    case = case_get(case_id=case_id)
    if case is None or not request.user.is_authenticated or case.student_id != request.user.pk:
        raise Http404
    return case


def _line_or_404(case: PreApprovalCase, line_id: int) -> CaseLine:
    line = next((line for line in case.lines.all() if line.pk == line_id), None)
    if line is None:
        raise Http404
    return line


def _detail_url(case: PreApprovalCase, anchor: str = "") -> str:
    url = reverse("approvals:case_detail", kwargs={"case_id": case.pk})
    return f"{url}#{anchor}" if anchor else url


def _refused(request: HttpRequest, error: ApprovalError) -> None:
    messages.error(request, str(error.message))


def _state_context(request: HttpRequest, case: PreApprovalCase) -> dict[str, Any]:
    """What the live part of a case page shows (the page and ``case_state`` alike)."""
    detail = case_detail(case=case, now=timezone.now())
    is_student = case.student_id == request.user.pk
    handles = not is_student and may_handle_case(user=request.user, case=case)
    clocks = detail.clocks
    return {
        "case": case,
        "detail": detail,
        "is_student": is_student,
        "handles": handles,
        "clocks": [
            {
                "key": key,
                "label": label,
                "reading": reading,
                "light_label": Light(reading.light).label,
            }
            for key, label, reading in (
                ("first_response", _("First response"), clocks.first_response),
                ("decision", _("Decision"), clocks.decision),
            )
            if reading is not None
        ],
        "waiting_label": _waiting_label(case.waiting_for, is_student=is_student),
        # A decided case with an approved line has a learning agreement (and, after the
        # stay, a recognition); the page links to them.
        "approved_lines": any(line.approved for line in detail.lines),
        "editable_lines": {
            line.pk
            for line in detail.lines
            if is_student
            and (
                case.status == CaseStatus.DRAFT
                or (case.status == CaseStatus.OPEN and line.decision == LineDecision.NEEDS_INFO)
            )
        },
    }


def _waiting_label(waiting_for: str, *, is_student: bool) -> str:
    if waiting_for == WaitingFor.STUDENT and is_student:
        return _("you")
    return str(WaitingFor(waiting_for).label)


def _formsets(
    data: Any = None, *, initial_foreign: Any = None, initial_home: Any = None
) -> tuple[Any, Any, Any]:
    fields = isced_choices()
    foreign = ForeignCourseFormSet(data, prefix="foreign", initial=initial_foreign)
    home = HomeCourseFormSet(
        data, prefix="home", initial=initial_home, form_kwargs={"fields": fields}
    )
    comment = LineCommentForm(data, prefix="line")
    if data is None:
        foreign.extra = FOREIGN_ROWS if not initial_foreign else 1
        home.extra = HOME_ROWS if not initial_home else 1
    return foreign, home, comment


def _rows(foreign: Any, home: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    language = get_language() or "en"
    foreign_rows = [row for form in foreign.forms if (row := form.row()) is not None]
    home_rows = [row for form in home.forms if (row := form.row(language=language)) is not None]
    return foreign_rows, home_rows


@login_required
@require_http_methods(["GET", "HEAD"])
def my_cases(request: HttpRequest) -> HttpResponse:
    """The student's own cases, newest first, each with whom it waits for and its status."""
    return render(
        request,
        "approvals/my_cases.html",
        {"rows": student_cases(user=request.user)},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    """Open a case: a destination open to the student's programme, a year and a semester."""
    mine = student_programme(user=request.user)
    if mine is None:
        return render(request, "approvals/case_new.html", {"form": None, "mine": None})
    agreements = list(case_destinations(programme=mine.programme))
    # A destination page links here with its agreement chosen (``?agreement=<id>``).
    chosen = request.GET.get("agreement", "")
    initial = {"agreement": int(chosen)} if chosen.isdigit() else {}
    form = CaseNewForm(request.POST or None, agreements=agreements, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(
                student=request.user,  # type: ignore[arg-type]
                agreement=form.cleaned_data["agreement"],
                year=form.cleaned_data["year"],
                season=form.cleaned_data["season"],
                note=form.cleaned_data["note"],
            )
        except ApprovalError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("Your case is open. Add the courses you plan to take."))
            return redirect(_detail_url(case))
    return render(
        request,
        "approvals/case_new.html",
        {"form": form, "mine": mine, "agreements": agreements},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def case_detail_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case page: the builder of a draft for its student, else the case with its clock,
    lines, history and the forms of each side."""
    case = _case_or_404(request, case_id)
    context = _state_context(request, case)
    query = request.GET.get("q", "").replace("\x00", "")[:100]
    if context["is_student"] and case.status == CaseStatus.DRAFT:
        foreign, home, comment = _formsets()
        context.update(
            query=query,
            matches=precedent_matches(institution=case.agreement.institution, query=query),
            foreign_formset=foreign,
            home_formset=home,
            comment_form=comment,
        )
    if context["handles"] and case.status == CaseStatus.OPEN:
        context["decide_forms"] = [
            (line, DecideForm(prefix=f"line-{line.pk}", initial=_decision_initial(line)))
            for line in context["detail"].lines
        ]
    context["topic"] = case_topic(case)
    context["elective"] = HomeKind.ELECTIVE
    return render(request, "approvals/case_detail.html", context)


def _decision_initial(line: CaseLine) -> dict[str, str]:
    if line.decision == LineDecision.PENDING:
        return {}
    return {"decision": line.decision, "comment": line.comment}


@login_required
@require_http_methods(["GET", "HEAD"])
def case_state(request: HttpRequest, case_id: int) -> HttpResponse:
    """The live part of the case page alone, which the page re-reads after a hint."""
    case = _case_or_404(request, case_id)
    response = render(request, "approvals/includes/case_state.html", _state_context(request, case))
    response["Cache-Control"] = "no-store"
    return response


# --- The student's steps -----------------------------------------------------------------------


@login_required
@require_POST
def case_line_add(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add a line of courses (a combination when several) to the student's draft."""
    case = _own_case_or_404(request, case_id)
    foreign, home, comment = _formsets(request.POST)
    if foreign.is_valid() and home.is_valid() and comment.is_valid():
        foreign_rows, home_rows = _rows(foreign, home)
        try:
            services.line_add(
                case=case,
                user=request.user,  # type: ignore[arg-type]
                foreign=foreign_rows,
                home=home_rows,
                comment=comment.cleaned_data["comment"],
            )
        except ApprovalError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The line is added."))
            return redirect(_detail_url(case, "lines"))
    else:
        messages.error(request, _("Check the courses: some values are not valid."))
    return _line_form_again(request, case, foreign, home, comment)


def _line_form_again(
    request: HttpRequest,
    case: PreApprovalCase,
    foreign: Any,
    home: Any,
    comment: Any,
    line: CaseLine | None = None,
) -> HttpResponse:
    """The line form with what was sent and the errors, answered 400."""
    context = _state_context(request, case)
    context.update(
        foreign_formset=foreign,
        home_formset=home,
        comment_form=comment,
        line=line,
        elective=HomeKind.ELECTIVE,
        topic=case_topic(case),
    )
    return render(request, "approvals/line_form.html", context, status=400)


def _line_initial(line: CaseLine) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    foreign = [
        {"code": c.code, "title": c.title, "ects": c.ects, "level": c.level, "url": c.url}
        for c in line.foreign_courses.all()
    ]
    home = [
        {
            "kind": c.kind,
            "code": c.code,
            "title": c.title,
            "ects": c.ects,
            "elective_level": c.elective_level,
            "elective_field": c.elective_field_id or "",
        }
        for c in line.home_courses.all()
    ]
    return foreign, home


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_line_edit(request: HttpRequest, case_id: int, line_id: int) -> HttpResponse:
    """Change a line of the draft, or a line that needs information (that is an answer)."""
    case = _own_case_or_404(request, case_id)
    line = _line_or_404(case, line_id)
    if request.method != "POST":
        initial_foreign, initial_home = _line_initial(line)
        foreign, home, comment = _formsets(
            initial_foreign=initial_foreign, initial_home=initial_home
        )
        comment.initial = {"comment": line.student_comment}
        context = _state_context(request, case)
        context.update(
            foreign_formset=foreign,
            home_formset=home,
            comment_form=comment,
            line=line,
            elective=HomeKind.ELECTIVE,
            topic=case_topic(case),
        )
        return render(request, "approvals/line_form.html", context)
    foreign, home, comment = _formsets(request.POST)
    if foreign.is_valid() and home.is_valid() and comment.is_valid():
        foreign_rows, home_rows = _rows(foreign, home)
        try:
            services.line_update(
                line=line,
                user=request.user,  # type: ignore[arg-type]
                foreign=foreign_rows,
                home=home_rows,
                comment=comment.cleaned_data["comment"],
            )
        except ApprovalError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The line is changed."))
            return redirect(_detail_url(case, "lines"))
    else:
        messages.error(request, _("Check the courses: some values are not valid."))
    return _line_form_again(request, case, foreign, home, comment, line)


@login_required
@require_POST
def case_line_remove(request: HttpRequest, case_id: int, line_id: int) -> HttpResponse:
    """Take a line out of the draft, or a line that needs information out of the case."""
    case = _own_case_or_404(request, case_id)
    line = _line_or_404(case, line_id)
    try:
        services.line_remove(line=line, user=request.user)  # type: ignore[arg-type]
    except ApprovalError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The line is taken out."))
    return redirect(_detail_url(case, "lines"))


@login_required
@require_POST
def case_use_precedent(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add a line pre-filled with an earlier decision at the case's partner."""
    case = _own_case_or_404(request, case_id)
    precedent_id = parse_id(request.POST.get("precedent"))
    precedent = CourseApproval.objects.filter(pk=precedent_id).first() if precedent_id else None
    if precedent is None:
        messages.error(request, _("Choose one of the earlier decisions."))
        return redirect(_detail_url(case, "search"))
    try:
        services.line_from_precedent(case=case, user=request.user, precedent=precedent)  # type: ignore[arg-type]
    except ApprovalError as error:
        _refused(request, error)
    else:
        messages.success(
            request, _("The line is added with the earlier decision's courses. Check it.")
        )
    return redirect(_detail_url(case, "lines"))


@login_required
@require_POST
def case_submit(request: HttpRequest, case_id: int) -> HttpResponse:
    """Send the draft to the unit that answers it."""
    case = _own_case_or_404(request, case_id)
    try:
        submitted = services.case_submit(case=case, user=request.user)  # type: ignore[arg-type]
    except ApprovalError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("Your case is submitted to %(unit)s. You will hear from them here.")
            % {"unit": submitted.unit.title if submitted.unit else ""},
        )
    return redirect(_detail_url(case))


@login_required
@require_POST
def case_withdraw(request: HttpRequest, case_id: int) -> HttpResponse:
    """The student withdraws their case."""
    case = _own_case_or_404(request, case_id)
    try:
        services.case_withdraw(case=case, user=request.user)  # type: ignore[arg-type]
    except ApprovalError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The case is withdrawn."))
    return redirect(_detail_url(case))


# --- The advisers' steps, and messages of both sides --------------------------------------------


@login_required
@require_POST
def case_line_decide(request: HttpRequest, case_id: int, line_id: int) -> HttpResponse:
    """An adviser decides one line."""
    case = _case_or_404(request, case_id)
    line = _line_or_404(case, line_id)
    form = DecideForm(request.POST, prefix=f"line-{line.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose a decision for the line."))
        return redirect(_detail_url(case, f"decide-{line.pk}"))
    try:
        services.line_decide(
            line=line,
            user=request.user,  # type: ignore[arg-type]
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
        )
    except ApprovalError as error:
        _refused(request, error)
        return redirect(_detail_url(case, f"decide-{line.pk}"))
    messages.success(request, _("The decision is recorded."))
    return redirect(_detail_url(case, "lines"))


MESSAGE_DONE = {
    "ask": gettext_lazy("Your question is sent to the student."),
    "answer": gettext_lazy("Your answer is sent."),
    "comment": gettext_lazy("Your comment is added."),
    "host_wait": gettext_lazy("The case now waits for the host institution."),
    "host_answered": gettext_lazy("The case is back with the adviser."),
}


@login_required
@require_POST
def case_message(request: HttpRequest, case_id: int) -> HttpResponse:
    """A question, an answer, a comment, or a step with the host institution."""
    case = _case_or_404(request, case_id)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a message, and send it with one of the buttons."))
        return redirect(_detail_url(case, "respond"))
    action = form.cleaned_data["action"]
    text = form.cleaned_data["text"]
    user: Any = request.user
    try:
        if action == "ask":
            services.case_ask(case=case, user=user, text=text)
        elif action == "answer":
            line_id = form.cleaned_data.get("line")
            line = _line_or_404(case, line_id) if line_id else None
            services.case_answer(case=case, user=user, text=text, line=line)
        elif action == "comment":
            services.case_comment(case=case, user=user, text=text)
        elif action == "host_wait":
            services.host_wait(case=case, user=user, text=text)
        else:
            services.host_answered(case=case, user=user, text=text)
    except ApprovalError as error:
        _refused(request, error)
        return redirect(_detail_url(case, "respond"))
    messages.success(request, str(MESSAGE_DONE[action]))
    return HttpResponseRedirect(_detail_url(case, "history"))


urlpatterns = [
    path(gettext_lazy("cases/"), my_cases, name="my_cases"),
    path(gettext_lazy("cases/new/"), case_new, name="case_new"),
    path(gettext_lazy("cases/<id:case_id>/"), case_detail_view, name="case_detail"),
    path(gettext_lazy("cases/<id:case_id>/state/"), case_state, name="case_state"),
    path(gettext_lazy("cases/<id:case_id>/lines/"), case_line_add, name="case_line_add"),
    path(
        gettext_lazy("cases/<id:case_id>/lines/<id:line_id>/"),
        case_line_edit,
        name="case_line_edit",
    ),
    path(
        gettext_lazy("cases/<id:case_id>/lines/<id:line_id>/remove/"),
        case_line_remove,
        name="case_line_remove",
    ),
    path(
        gettext_lazy("cases/<id:case_id>/lines/<id:line_id>/decide/"),
        case_line_decide,
        name="case_line_decide",
    ),
    path(
        gettext_lazy("cases/<id:case_id>/earlier-decision/"),
        case_use_precedent,
        name="case_use_precedent",
    ),
    path(gettext_lazy("cases/<id:case_id>/submit/"), case_submit, name="case_submit"),
    path(gettext_lazy("cases/<id:case_id>/withdraw/"), case_withdraw, name="case_withdraw"),
    path(gettext_lazy("cases/<id:case_id>/message/"), case_message, name="case_message"),
]
