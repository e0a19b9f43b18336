"""Writes of recognition after return: the transcript of records, and the decision.

The student or an adviser who may handle the case enters the transcript
lines; the draft (``selectors/recognition.py``) matches them to the learning
agreement; an adviser confirms the draft as the recognition decision, which
stores it whole and tells the student in their language.

Students enter the transcript after the stay: from the first day of the
semester's last month (1 December for an autumn stay, 1 June for spring).
Advisers may enter it at any time (a stay cut short, a transcript sent to
them). Once the decision is made the transcript is closed.

Every function checks first and writes inside ``transaction.atomic``; a
refusal raises ``ApprovalError`` with a code and a translated message and
changes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, cast

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from onboarding.exchange.models import Season
from onboarding.live.services import notify

from ..errors import ApprovalError
from ..models import PreApprovalCase, RecognitionDecision, TranscriptLine
from ..permissions import may_handle_case
from ..selectors.agreements import normalise_code
from ..selectors.recognition import recognition_draft
from .agreements import agreement_check

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User

type Actor = User | AnonymousUser

CODE_MAX = 40
TITLE_MAX = 255
GRADE_MAX = 20
COMMENT_MAX = 2000
# The month from whose first day a student may enter the transcript of a stay.
LAST_MONTH = {"autumn": 12, "spring": 6}


def transcript_opens_on(case: PreApprovalCase) -> datetime.date:
    """The day from which the student may enter the transcript of ``case``'s stay."""
    return datetime.date(case.year, LAST_MONTH[case.season], 1)


def _text(
    value: Any, *, name: str, limit: int, required: bool, message: Any, collapse: bool = True
) -> str:
    text = str(value or "").strip()
    if collapse:
        text = " ".join(text.split())
    if "\x00" in text or (required and not text) or len(text) > limit:
        raise ApprovalError(code=f"invalid_{name}", message=message, field=name)
    return text


def _ects(value: Any) -> Decimal:
    try:
        ects = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        ects = Decimal(0)
    if (
        not ects.is_finite()
        or not Decimal("0.5") <= ects <= Decimal(120)
        or ects != ects.quantize(Decimal("0.1"))
    ):
        raise ApprovalError(
            code="invalid_ects",
            message=_("Give the ECTS credits as a number from 0.5 to 120."),
            field="ects",
        )
    return ects


def _values(code: Any, title: Any, grade: Any, ects: Any) -> dict[str, Any]:
    return {
        "code": _text(
            code,
            name="code",
            limit=CODE_MAX,
            required=True,
            message=_("Give the course code as on the transcript (at most 40 characters)."),
        ),
        "title": _text(
            title,
            name="title",
            limit=TITLE_MAX,
            required=False,
            message=_("Give the title in at most 255 characters."),
        ),
        "grade": _text(
            grade,
            name="grade",
            limit=GRADE_MAX,
            required=True,
            message=_("Give the grade as on the transcript (at most 20 characters)."),
        ),
        "ects": _ects(ects),
    }


def _check(case: PreApprovalCase, user: Actor) -> PreApprovalCase:
    """Lock the case, check who acts and that the transcript is open; return the locked case."""
    if not user.is_authenticated:
        raise ApprovalError(code="forbidden", message=_("Log in to enter the transcript."))
    locked = (
        PreApprovalCase.objects.select_for_update(of=("self",))
        .select_related("agreement__institution", "unit", "accountable_unit")
        .get(pk=case.pk)
    )
    adviser = may_handle_case(user=user, case=locked)
    if locked.student_id != user.pk and not adviser:
        raise ApprovalError(
            code="forbidden",
            message=_("Only the student and their advisers enter the transcript."),
        )
    agreement_check(locked)
    if RecognitionDecision.objects.filter(case=locked).exists():
        raise ApprovalError(
            code="decided",
            message=_("The recognition is decided: the transcript can no longer be changed."),
        )
    if not adviser and timezone.localdate() < transcript_opens_on(locked):
        raise ApprovalError(
            code="too_early",
            message=_("You can enter the transcript from %(date)s, at the end of your stay.")
            % {"date": transcript_opens_on(locked).isoformat()},
        )
    return locked


def _check_code_free(case: PreApprovalCase, code: str, line: TranscriptLine | None = None) -> None:
    others = TranscriptLine.objects.filter(case=case)
    if line is not None:
        others = others.exclude(pk=line.pk)
    wanted = normalise_code(code)
    if any(normalise_code(other) == wanted for other in others.values_list("code", flat=True)):
        raise ApprovalError(
            code="duplicate_code",
            message=_("%(code)s is on the transcript already: change that line instead.")
            % {"code": code},
            field="code",
        )


@transaction.atomic
def transcript_line_add(
    *, case: PreApprovalCase, user: Actor, code: str, title: str, grade: str, ects: Any
) -> TranscriptLine:
    """Add a line of the transcript of records from the stay to ``case``.

    Raises ``ApprovalError`` ``forbidden``, ``no_agreement``, ``decided``,
    ``too_early`` (a student before the end of the stay), ``invalid_code``,
    ``invalid_title``, ``invalid_grade``, ``invalid_ects`` or
    ``duplicate_code`` (the course is on the transcript already).
    """
    locked = _check(case, user)
    values = _values(code, title, grade, ects)
    _check_code_free(locked, values["code"])
    return TranscriptLine.objects.create(case=locked, entered_by=cast("User", user), **values)


@transaction.atomic
def transcript_line_update(
    *, line: TranscriptLine, user: Actor, code: str, title: str, grade: str, ects: Any
) -> TranscriptLine:
    """Correct a transcript line; raises what ``transcript_line_add`` raises."""
    locked = _check(line.case, user)
    values = _values(code, title, grade, ects)
    _check_code_free(locked, values["code"], line)
    for name, value in values.items():
        setattr(line, name, value)
    line.entered_by = cast("User", user)
    line.entered_at = timezone.now()
    line.save(update_fields=[*values, "entered_by", "entered_at"])
    return line


@transaction.atomic
def transcript_line_remove(*, line: TranscriptLine, user: Actor) -> None:
    """Take a line off the transcript; raises ``forbidden``, ``no_agreement``, ``decided``,
    ``too_early``."""
    _check(line.case, user)
    TranscriptLine.objects.filter(pk=line.pk).delete()


def _term(case: PreApprovalCase) -> dict[str, str]:
    term = {}
    for language in ("nb", "en"):
        with translation.override(language):
            term[language] = f"{str(Season(case.season).label).lower()} {case.year}"
    return term


def _urls(case: PreApprovalCase) -> dict[str, str]:
    urls = {}
    for language in ("nb", "en"):
        with translation.override(language):
            urls[language] = reverse("approvals:recognition", kwargs={"case_id": case.pk})
    return urls


@transaction.atomic
def recognition_decide(
    *, case: PreApprovalCase, user: Actor, comment: str = ""
) -> RecognitionDecision:
    """Confirm the recognition draft of ``case`` as its decision and tell the student.

    The draft is stored whole in ``outcome`` as it stands now; the student is
    notified (``approval_recognition_decided``) in their language once the
    transaction commits. Raises ``ApprovalError`` ``forbidden`` (not an
    adviser of the case), ``no_agreement``, ``decided`` (decided already),
    ``no_transcript`` or ``invalid_comment``.
    """
    if not user.is_authenticated:
        raise ApprovalError(code="forbidden", message=_("Only an adviser decides recognition."))
    locked = (
        PreApprovalCase.objects.select_for_update(of=("self",))
        .select_related("agreement__institution", "student", "unit", "accountable_unit")
        .get(pk=case.pk)
    )
    if not may_handle_case(user=user, case=locked):
        raise ApprovalError(
            code="forbidden", message=_("Only an adviser of the case decides recognition.")
        )
    agreement_check(locked)
    if RecognitionDecision.objects.filter(case=locked).exists():
        raise ApprovalError(code="decided", message=_("The recognition is decided already."))
    comment = _text(
        comment,
        name="comment",
        limit=COMMENT_MAX,
        required=False,
        message=_("Keep the comment within 2000 characters."),
        collapse=False,
    )
    draft = recognition_draft(case=locked)
    if not draft.transcript:
        raise ApprovalError(
            code="no_transcript",
            message=_("Enter the transcript before the recognition is decided."),
        )
    outcome = draft.as_outcome()
    decision = RecognitionDecision.objects.create(
        case=locked, outcome=outcome, comment=comment, decided_by=user
    )
    notify(
        recipients=locked.student,
        kind="approval_recognition_decided",
        context={
            "case": {
                "id": locked.pk,
                "institution": locked.agreement.institution.name,
                "term": _term(locked),
                "recognised": outcome["counts"]["recognised"],
                "partly": outcome["counts"]["partly"],
                "missing": outcome["counts"]["missing"],
                "new_decision": outcome["counts"]["new_decision"],
                "recognised_ects": outcome["totals"]["recognised_ects"],
                "comment": comment,
            }
        },
        url=_urls(locked),
    )
    return decision
