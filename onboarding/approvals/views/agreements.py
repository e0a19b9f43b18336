"""Views: the learning agreement (tables A and B, changes, EWP JSON, the printable page) and
recognition after return (the transcript, the draft, the decision).

Every page is the student's own and their advisers': anyone else gets a 404,
as for a case that does not exist; people who may see a case but not do the
thing asked (an adviser proposing the student's change, a student deciding
recognition) get a 403. The services say no to everything else, and their
refusal comes back as a message.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from onboarding.exchange.models import StudyLevel, TeachingLanguage
from onboarding.http import parse_id

from ..errors import ApprovalError
from ..exports import learning_agreement_ewp
from ..forms.agreements import (
    AgreementDetailsForm,
    ChangeCreateForm,
    RecognitionDecideForm,
    TranscriptLineForm,
)
from ..models import (
    CaseKind,
    CaseLine,
    HomeGrade,
    HomeKind,
    PreApprovalCase,
    RecognitionDecision,
    TranscriptLine,
)
from ..permissions import may_handle_case, may_view_case
from ..selectors.agreements import agreement_tables, change_warnings
from ..selectors.recognition import recognition_draft
from ..services import agreements as agreement_services
from ..services import recognition as recognition_services
from ..services.recognition import transcript_opens_on


def _case(request: HttpRequest, case_id: int) -> PreApprovalCase:
    """The pre-approval case ``case_id`` if the person may see it; else a 404 as if it did not
    exist."""
    case = (
        PreApprovalCase.objects.select_related(
            "agreement__institution",
            "programme",
            "student",
            "unit",
            "accountable_unit",
            "adviser",
        )
        .filter(pk=case_id, kind=CaseKind.PREAPPROVAL)
        .first()
    )
    if case is None or not may_view_case(user=request.user, case=case):
        raise Http404
    return case


def _agreement_url(case: PreApprovalCase, anchor: str = "") -> str:
    url = reverse("approvals:learning_agreement", kwargs={"case_id": case.pk})
    return f"{url}#{anchor}" if anchor else url


def _recognition_url(case: PreApprovalCase) -> str:
    return reverse("approvals:recognition", kwargs={"case_id": case.pk})


# --- The learning agreement ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def learning_agreement(request: HttpRequest, case_id: int) -> HttpResponse:
    """The learning agreement: tables A and B, its changes, and the printable layout."""
    case = _case(request, case_id)
    tables = agreement_tables(case=case)
    is_student = case.student_id == request.user.pk
    agreement = tables.agreement
    draft = tables.draft_change
    changes = [
        {"view": view, "warnings": change_warnings(change=view)}
        for view in [*tables.pending, *reversed(tables.changes)]
    ]
    droppable = [group for group in tables.current_groups if not group.pending_drops]
    return render(
        request,
        "approvals/learning_agreement.html",
        {
            "case": case,
            "institution": case.agreement.institution,
            "tables": tables,
            "agreement": agreement,
            "language_label": dict(TeachingLanguage.choices).get(agreement.language, "")
            if agreement
            else "",
            "own_schac": settings.OWN_SCHAC_CODE,
            "is_student": is_student,
            "may_handle": may_handle_case(user=request.user, case=case),
            "changes": changes,
            "draft": draft,
            "droppable": droppable,
            "details_form": AgreementDetailsForm(
                initial={
                    "language": agreement.language if agreement else "",
                    "cefr": agreement.cefr if agreement else "",
                }
            ),
            "change_form": ChangeCreateForm() if is_student and draft is None else None,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def learning_agreement_json(request: HttpRequest, case_id: int) -> HttpResponse:
    """The learning agreement as EWP-shaped JSON, as a file to download."""
    case = _case(request, case_id)
    tables = agreement_tables(case=case)
    if not tables.exists:
        raise Http404
    document = learning_agreement_ewp(case=case, tables=tables)
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="learning-agreement-{case.pk}.json"'
    return response


def _error(request: HttpRequest, error: ApprovalError) -> None:
    messages.error(request, str(error.message))


@login_required
@require_POST
def learning_agreement_update(request: HttpRequest, case_id: int) -> HttpResponse:
    """Set the language of instruction and the student's CEFR level in it."""
    case = _case(request, case_id)
    form = AgreementDetailsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a language and a level from the lists."))
        return redirect(_agreement_url(case, "details"))
    try:
        agreement = agreement_services.learning_agreement_create(case=case)
        agreement_services.agreement_update(
            agreement=agreement,
            user=request.user,
            language=form.cleaned_data["language"],
            cefr=form.cleaned_data["cefr"],
        )
    except ApprovalError as error:
        _error(request, error)
    else:
        messages.success(request, _("The language of instruction and your level are saved."))
    return redirect(_agreement_url(case, "details"))


@login_required
@require_POST
def change_create(request: HttpRequest, case_id: int) -> HttpResponse:
    """The student starts a change to the agreement, with a reason."""
    case = _case(request, case_id)
    if case.student_id != request.user.pk:
        raise PermissionDenied
    form = ChangeCreateForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_agreement_url(case, "new-change"))
    try:
        change = agreement_services.change_create(
            case=case, user=request.user, reason=form.cleaned_data["reason"]
        )
    except ApprovalError as error:
        _error(request, error)
        return redirect(_agreement_url(case, "changes"))
    messages.success(
        request,
        _(
            "Change #%(number)d is a draft. Drop or swap courses below, add the new ones in the "
            "case, then submit it."
        )
        % {"number": change.pk},
    )
    return redirect(_agreement_url(case, f"change-{change.pk}"))


def _change(request: HttpRequest, change_id: int) -> tuple[PreApprovalCase, PreApprovalCase]:
    """(the change, the case it amends) if the person may see them; only the student may act."""
    change = PreApprovalCase.objects.select_related("amends").filter(pk=change_id).first()
    if change is None or change.kind != CaseKind.CHANGE or change.amends_id is None:
        raise Http404
    case = _case(request, change.amends_id)
    if change.student_id != request.user.pk:
        raise PermissionDenied
    return change, case


def _line(request: HttpRequest, case: PreApprovalCase) -> CaseLine | None:
    line_id = parse_id(request.POST.get("line"))
    if line_id is None:
        return None
    return CaseLine.objects.filter(Q(case=case) | Q(case__amends=case), pk=line_id).first()


@login_required
@require_POST
def change_drop(request: HttpRequest, change_id: int) -> HttpResponse:
    """Drop a line of the agreement in the draft change, or swap one course of a combination."""
    change, case = _change(request, change_id)
    line = _line(request, case)
    if line is None:
        messages.error(request, _("Choose a line of the learning agreement."))
        return redirect(_agreement_url(case, f"change-{change.pk}"))
    course = (request.POST.get("course") or "").strip()
    try:
        if course:
            _drop, warnings = agreement_services.change_swap(
                change=change, user=request.user, line=line, foreign_code=course
            )
        else:
            _drop, warnings = agreement_services.change_drop(
                change=change, user=request.user, line=line
            )
    except ApprovalError as error:
        _error(request, error)
    else:
        messages.success(
            request, _("The line is dropped in change #%(number)d.") % {"number": change.pk}
        )
        for warning in warnings:
            messages.warning(request, warning)
    return redirect(_agreement_url(case, f"change-{change.pk}"))


@login_required
@require_POST
def change_drop_remove(request: HttpRequest, change_id: int) -> HttpResponse:
    """Keep a line after all: take its drop out of the draft change."""
    change, case = _change(request, change_id)
    line_id = parse_id(request.POST.get("line"))
    line = CaseLine.objects.filter(pk=line_id, case=change).first() if line_id else None
    if line is None:
        messages.error(request, _("Choose a dropped line of this change."))
        return redirect(_agreement_url(case, f"change-{change.pk}"))
    try:
        agreement_services.change_drop_remove(change=change, user=request.user, line=line)
    except ApprovalError as error:
        _error(request, error)
    else:
        messages.success(request, _("The line stays in the agreement."))
    return redirect(_agreement_url(case, f"change-{change.pk}"))


# --- Recognition --------------------------------------------------------------------------

STATE_LABELS = {
    "recognised": gettext_lazy("Recognised"),
    "partly": gettext_lazy("Partly recognised"),
    "missing": gettext_lazy("Missing"),
}
COURSE_STATE_LABELS = {
    "passed": gettext_lazy("passed"),
    "failed": gettext_lazy("not passed"),
    "unconverted": gettext_lazy("grade to convert by hand"),
    "missing": gettext_lazy("not on the transcript"),
}


def _grade_label(grade: str) -> str:
    return str(HomeGrade(grade).label) if grade in HomeGrade.values else grade


def _home_label(home: dict[str, Any], language: str) -> str:
    if home.get("kind") == HomeKind.ELECTIVE:
        level = home.get("elective_level") or ""
        level_label = StudyLevel(level).label if level in StudyLevel.values else level
        return _("Elective at %(level)s level in %(field)s") % {
            "level": level_label,
            "field": " ".join(
                part
                for part in (home.get("elective_field"), home.get("elective_field_name"))
                if part
            ),
        }
    titles = (home.get("title_nb"), home.get("title_en"))
    title = (titles[0] or titles[1]) if language == "nb" else (titles[1] or titles[0])
    return f"{home.get('code', '')} {title or ''}".strip()


def _number(value: Any) -> Decimal | Any:
    """A credit stored as text ("7.5"), as a number the template writes in the page's language."""
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value


def _numbers(row: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {**row, **{key: _number(row[key]) for key in keys if key in row}}


def outcome_display(outcome: dict[str, Any]) -> dict[str, Any]:
    """The stored or drafted outcome with labels in the active language, for the template."""
    language = get_language() or "en"
    groups = []
    for group in outcome.get("groups", []):
        groups.append(
            {
                **group,
                "state_label": STATE_LABELS.get(group.get("state"), ""),
                "home_grade_label": _grade_label(group.get("home_grade", "")),
                "home": [
                    {**_numbers(home, "ects"), "label": _home_label(home, language)}
                    for home in group.get("home", [])
                ],
                "foreign": [
                    {
                        **_numbers(course, "ects"),
                        "transcript": _numbers(course["transcript"], "ects")
                        if course.get("transcript")
                        else None,
                        "state_label": COURSE_STATE_LABELS.get(course.get("state"), ""),
                        "home_grade_label": _grade_label(course.get("home_grade", "")),
                    }
                    for course in group.get("foreign", [])
                ],
            }
        )
    extra = [
        {**_numbers(line, "ects"), "home_grade_label": _grade_label(line.get("home_grade", ""))}
        for line in outcome.get("new_decision", [])
    ]
    totals = outcome.get("totals", {})
    return {
        **outcome,
        "groups": groups,
        "new_decision": extra,
        "totals": _numbers(totals, *totals),
    }


def _recognition_page(
    request: HttpRequest,
    case: PreApprovalCase,
    *,
    form: TranscriptLineForm | None = None,
    status: int = 200,
) -> HttpResponse:
    decision = RecognitionDecision.objects.filter(case=case).select_related("decided_by").first()
    draft = recognition_draft(case=case)
    may_handle = may_handle_case(user=request.user, case=case)
    is_student = case.student_id == request.user.pk
    opens_on = transcript_opens_on(case)
    may_enter = (
        draft.tables.exists
        and decision is None
        and (may_handle or (is_student and timezone.localdate() >= opens_on))
    )
    outcome = decision.outcome if decision else draft.as_outcome()
    return render(
        request,
        "approvals/recognition.html",
        {
            "case": case,
            "institution": case.agreement.institution,
            "tables": draft.tables,
            "draft": draft,
            "decision": decision,
            "outcome": outcome_display(outcome),
            "transcript": draft.transcript,
            "may_enter": may_enter,
            "opens_on": opens_on,
            "may_handle": may_handle,
            "is_student": is_student,
            "form": form if form is not None else TranscriptLineForm(),
            "decide_form": RecognitionDecideForm()
            if may_handle and decision is None and draft.tables.exists
            else None,
        },
        status=status,
    )


def _transcript_values(form: TranscriptLineForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "code": data["code"],
        "title": data.get("title") or "",
        "grade": data["grade"],
        "ects": data["ects"],
    }


def _form_error(form: Any, error: ApprovalError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def recognition(request: HttpRequest, case_id: int) -> HttpResponse:
    """The transcript, the draft recognition matched to the agreement, and the decision."""
    case = _case(request, case_id)
    if request.method != "POST":
        return _recognition_page(request, case)
    form = TranscriptLineForm(request.POST)
    if form.is_valid():
        try:
            recognition_services.transcript_line_add(
                case=case, user=request.user, **_transcript_values(form)
            )
        except ApprovalError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The line is added to the transcript."))
            return redirect(f"{_recognition_url(case)}#transcript")
    return _recognition_page(request, case, form=form, status=400)


def _transcript_line(case: PreApprovalCase, line_id: int) -> TranscriptLine:
    line = TranscriptLine.objects.filter(pk=line_id, case=case).first()
    if line is None:
        raise Http404
    line.case = case
    return line


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def transcript_line_edit(request: HttpRequest, case_id: int, line_id: int) -> HttpResponse:
    """Correct one line of the transcript."""
    case = _case(request, case_id)
    line = _transcript_line(case, line_id)
    initial = {"code": line.code, "title": line.title, "grade": line.grade, "ects": line.ects}
    form = TranscriptLineForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            recognition_services.transcript_line_update(
                line=line, user=request.user, **_transcript_values(form)
            )
        except ApprovalError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The transcript line is changed."))
            return redirect(f"{_recognition_url(case)}#transcript")
    return render(
        request,
        "approvals/transcript_line_form.html",
        {"case": case, "institution": case.agreement.institution, "line": line, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def transcript_line_remove(request: HttpRequest, case_id: int, line_id: int) -> HttpResponse:
    """Take a line off the transcript."""
    case = _case(request, case_id)
    line = _transcript_line(case, line_id)
    try:
        recognition_services.transcript_line_remove(line=line, user=request.user)
    except ApprovalError as error:
        _error(request, error)
    else:
        messages.success(request, _("The line is taken off the transcript."))
    return redirect(f"{_recognition_url(case)}#transcript")


@login_required
@require_POST
def recognition_decide(request: HttpRequest, case_id: int) -> HttpResponse:
    """An adviser confirms the draft as the recognition decision."""
    case = _case(request, case_id)
    if not may_handle_case(user=request.user, case=case):
        raise PermissionDenied
    form = RecognitionDecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Keep the comment within 2000 characters."))
        return redirect(f"{_recognition_url(case)}#decide")
    try:
        recognition_services.recognition_decide(
            case=case, user=request.user, comment=form.cleaned_data["comment"]
        )
    except ApprovalError as error:
        _error(request, error)
        return redirect(f"{_recognition_url(case)}#decide")
    messages.success(request, _("The recognition is decided, and the student is told."))
    return redirect(_recognition_url(case))


urlpatterns = [
    path(
        gettext_lazy("cases/<id:case_id>/learning-agreement/"),
        learning_agreement,
        name="learning_agreement",
    ),
    path(
        gettext_lazy("cases/<id:case_id>/learning-agreement.json"),
        learning_agreement_json,
        name="learning_agreement_json",
    ),
    path(
        gettext_lazy("cases/<id:case_id>/learning-agreement/details/"),
        learning_agreement_update,
        name="learning_agreement_update",
    ),
    path(
        gettext_lazy("cases/<id:case_id>/learning-agreement/changes/"),
        change_create,
        name="change_create",
    ),
    path(
        gettext_lazy("changes/<id:change_id>/drop/"),
        change_drop,
        name="change_drop",
    ),
    path(
        gettext_lazy("changes/<id:change_id>/keep/"),
        change_drop_remove,
        name="change_drop_remove",
    ),
    path(gettext_lazy("cases/<id:case_id>/recognition/"), recognition, name="recognition"),
    path(
        gettext_lazy("cases/<id:case_id>/recognition/transcript/<id:line_id>/"),
        transcript_line_edit,
        name="transcript_line_edit",
    ),
    path(
        gettext_lazy("cases/<id:case_id>/recognition/transcript/<id:line_id>/remove/"),
        transcript_line_remove,
        name="transcript_line_remove",
    ),
    path(
        gettext_lazy("cases/<id:case_id>/recognition/decide/"),
        recognition_decide,
        name="recognition_decide",
    ),
]
