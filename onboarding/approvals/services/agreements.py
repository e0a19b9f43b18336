"""Writes of the learning agreement: its own fields, and changes proposed during the stay.

A change is a case of its own (``kind = change``) that ``amends`` the
decided pre-approval case, with a reason, its own lines, steps and clock.
The student writes it as a draft: courses to drop (a "drop" line naming an
approved line of the agreement) are added here; new courses are added with
the case builder's ``line_add``; the case services submit and decide it.

Every function checks first and writes inside ``transaction.atomic``; a
refusal raises ``ApprovalError`` with a code and a translated message and
changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from onboarding.exchange.models import CefrLevel, TeachingLanguage

from ..clock import WaitingFor
from ..errors import ApprovalError
from ..models import (
    CaseKind,
    CaseLine,
    CaseStatus,
    CaseStep,
    LearningAgreement,
    LineAction,
    PreApprovalCase,
    StepKind,
)
from ..permissions import may_view_case
from ..selectors.agreements import (
    AgreementGroup,
    AgreementTables,
    agreement_tables,
    drop_breaks,
    normalise_code,
    swap_breaks,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User

type Actor = User | AnonymousUser
REASON_MAX = 2000
COMMENT_MAX = 2000


def agreement_check(case: PreApprovalCase, tables: AgreementTables | None = None) -> None:
    """Raise ``ApprovalError`` ``no_agreement`` unless ``case`` has a learning agreement."""
    if case.kind != CaseKind.PREAPPROVAL or case.status != CaseStatus.DECIDED:
        raise ApprovalError(
            code="no_agreement",
            message=_("A learning agreement is made when the pre-approval case is decided."),
        )
    tables = tables or agreement_tables(case=case)
    if not tables.exists:
        raise ApprovalError(
            code="no_agreement",
            message=_("No course of this case was approved, so there is no learning agreement."),
        )


def learning_agreement_create(*, case: PreApprovalCase) -> LearningAgreement:
    """The learning agreement of a decided pre-approval case, made the first time it is asked for.

    Idempotent: a second call returns the same row. Its language of
    instruction starts as the destination's language of teaching when the
    agreement names exactly one; the student's CEFR level is left for them to
    give. Raises ``ApprovalError`` ``no_agreement`` for a case not decided or
    without an approved line.
    """
    existing = LearningAgreement.objects.filter(case=case).first()
    if existing is not None:
        return existing
    agreement_check(case)
    languages = list(case.agreement.languages.values_list("language", flat=True))
    with transaction.atomic():
        agreement, _created = LearningAgreement.objects.get_or_create(
            case=case, defaults={"language": languages[0] if len(languages) == 1 else ""}
        )
    return agreement


@transaction.atomic
def agreement_update(
    *, agreement: LearningAgreement, user: Actor, language: str, cefr: str
) -> LearningAgreement:
    """Set the agreement's language of instruction and the student's CEFR level in it.

    The student and the advisers who may handle the case may do it. Both may
    be left empty. Raises ``ApprovalError`` ``forbidden``, ``invalid_language``
    (not a language of teaching we know) or ``invalid_cefr`` (not A1 to C2).
    """
    case = agreement.case
    if not may_view_case(user=user, case=case):
        raise ApprovalError(
            code="forbidden", message=_("Only the student and their advisers change this.")
        )
    language = (language or "").strip()
    cefr = (cefr or "").strip().upper()
    if language and language not in TeachingLanguage.values:
        raise ApprovalError(
            code="invalid_language",
            message=_("Choose the language of instruction from the list."),
            field="language",
        )
    if cefr and cefr not in CefrLevel.values:
        raise ApprovalError(
            code="invalid_cefr",
            message=_("Give the level as a CEFR level from A1 to C2."),
            field="cefr",
        )
    agreement.language = language
    agreement.cefr = cefr
    agreement.save(update_fields=["language", "cefr", "updated_at"])
    return agreement


@transaction.atomic
def change_create(*, case: PreApprovalCase, user: Actor, reason: str) -> PreApprovalCase:
    """Start a change to the learning agreement of ``case``: a draft with a reason.

    Only the student of a decided pre-approval case with a learning agreement
    may; a reason is required. The draft has a CREATED step and waits for
    nobody until it is submitted. Raises ``ApprovalError`` ``forbidden``,
    ``no_agreement``, ``reason_required``, ``reason_too_long`` or
    ``draft_exists`` (a draft change is still being written: finish that one).
    """
    if not user.is_authenticated or case.student_id != user.pk:
        raise ApprovalError(
            code="forbidden", message=_("Only the student changes their learning agreement.")
        )
    locked = PreApprovalCase.objects.select_for_update().get(pk=case.pk)
    agreement_check(locked)
    reason = (reason or "").strip()
    if not reason:
        raise ApprovalError(
            code="reason_required",
            message=_("Say why you change the agreement: the adviser decides on this reason."),
            field="reason",
        )
    if len(reason) > REASON_MAX:
        raise ApprovalError(
            code="reason_too_long",
            message=_("Keep the reason within %(count)d characters.") % {"count": REASON_MAX},
            field="reason",
        )
    draft = PreApprovalCase.objects.filter(
        amends=locked, kind=CaseKind.CHANGE, status=CaseStatus.DRAFT
    ).first()
    if draft is not None:
        raise ApprovalError(
            code="draft_exists",
            message=_("You are already writing change #%(number)d: finish or withdraw it first.")
            % {"number": draft.pk},
            change=draft,
        )
    change = PreApprovalCase.objects.create(
        kind=CaseKind.CHANGE,
        amends=locked,
        student=locked.student,
        agreement=locked.agreement,
        programme=locked.programme,
        year=locked.year,
        season=locked.season,
        status=CaseStatus.DRAFT,
        waiting_for=WaitingFor.NOBODY,
        reason=reason,
    )
    CaseStep.objects.create(
        case=change, actor=user, kind=StepKind.CREATED, waiting_for=WaitingFor.NOBODY
    )
    learning_agreement_create(case=locked)
    return change


def _locked_draft(change: PreApprovalCase, user: Actor) -> PreApprovalCase:
    if not user.is_authenticated or change.student_id != user.pk:
        raise ApprovalError(
            code="forbidden", message=_("Only the student changes their learning agreement.")
        )
    if change.kind != CaseKind.CHANGE:
        raise ApprovalError(
            code="not_a_change", message=_("Courses are dropped in a change to the agreement.")
        )
    locked = PreApprovalCase.objects.select_for_update().get(pk=change.pk)
    if locked.status != CaseStatus.DRAFT:
        raise ApprovalError(
            code="not_draft",
            message=_("This change is submitted: it can no longer be changed."),
        )
    return locked


def _droppable(tables: AgreementTables, line: CaseLine) -> AgreementGroup:
    group = tables.group_of(line.pk)
    if group is None:
        raise ApprovalError(
            code="not_in_agreement",
            message=_("Only a line of the learning agreement can be dropped."),
            field="line",
        )
    if group.dropped_by is not None:
        raise ApprovalError(
            code="already_dropped",
            message=_("This line was already dropped by change #%(number)d.")
            % {"number": group.dropped_by.pk},
            field="line",
        )
    if group.pending_drops:
        raise ApprovalError(
            code="drop_pending",
            message=_("Dropping this line is already proposed in change #%(number)d.")
            % {"number": group.pending_drops[0].pk},
            field="line",
        )
    return group


def _drop_line(change: PreApprovalCase, line: CaseLine, comment: str) -> CaseLine:
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ApprovalError(
            code="comment_too_long",
            message=_("Keep the comment within %(count)d characters.") % {"count": COMMENT_MAX},
            field="comment",
        )
    last = CaseLine.objects.filter(case=change).aggregate(last=Max("sort_order"))["last"]
    return CaseLine.objects.create(
        case=change,
        action=LineAction.DROP,
        drops=line,
        student_comment=comment,
        sort_order=0 if last is None else last + 1,
    )


@transaction.atomic
def change_drop(
    *, change: PreApprovalCase, user: Actor, line: CaseLine, comment: str = ""
) -> tuple[CaseLine, list[str]]:
    """Propose in the draft ``change`` to drop ``line``, an approved line of the agreement.

    Returns the drop line and the warnings of what it breaks (dropping a
    combination drops all of it). Raises ``ApprovalError`` ``forbidden`` (not
    the student), ``not_a_change``, ``not_draft``, ``not_in_agreement`` (a line
    that is not, or no longer, in the agreement), ``already_dropped`` or
    ``drop_pending`` (proposed in this or another open change already).
    """
    locked = _locked_draft(change, user)
    tables = agreement_tables(case=locked)
    group = _droppable(tables, line)
    return _drop_line(locked, group.line, comment), drop_breaks(group=group)


@transaction.atomic
def change_swap(
    *,
    change: PreApprovalCase,
    user: Actor,
    line: CaseLine,
    foreign_code: str,
    comment: str = "",
) -> tuple[CaseLine, list[str]]:
    """Propose to swap one course abroad of ``line`` for another: the line is dropped whole.

    Returns the drop line and what must be approved again: for a combination,
    "Swapping X breaks the combination approved with Y; it must be approved
    again." The replacement (and the courses kept, if wanted) are added to the
    change with the case builder. Raises what ``change_drop`` raises, and
    ``not_in_line`` when ``foreign_code`` is no course abroad of the line.
    """
    locked = _locked_draft(change, user)
    tables = agreement_tables(case=locked)
    group = _droppable(tables, line)
    if normalise_code(foreign_code) not in {normalise_code(c.code) for c in group.foreign}:
        raise ApprovalError(
            code="not_in_line",
            message=_("Choose a course abroad of this line to swap."),
            field="course",
        )
    return _drop_line(locked, group.line, comment), swap_breaks(group=group, codes=[foreign_code])


@transaction.atomic
def change_drop_remove(*, change: PreApprovalCase, user: Actor, line: CaseLine) -> None:
    """Take a drop line out of the draft ``change`` again (the line stays in the agreement).

    Raises ``ApprovalError`` ``forbidden``, ``not_a_change``, ``not_draft`` or
    ``not_a_drop`` (the line is no drop line of this change).
    """
    locked = _locked_draft(change, user)
    if line.case_id != locked.pk or line.action != LineAction.DROP:
        raise ApprovalError(
            code="not_a_drop", message=_("This is no dropped line of this change."), field="line"
        )
    CaseLine.objects.filter(pk=line.pk).delete()
