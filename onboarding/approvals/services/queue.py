"""Writes of the advisers' queue: giving cases to an adviser, and a unit's promised times.

Assigning records an ``ASSIGNED`` step (who did it, and the adviser's name)
and leaves whom the case waits for as it was, so the clock neither starts
nor stops. Reassigning many cases is all or nothing: the cases are locked
and read afresh, every rule is checked for every case before anything is
written, and one refusal changes none of them. The new adviser is told once,
in their own language, after the transaction commits (``live.notify``).

A refusal raises ``ApprovalError`` with a code and a translated message and
writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from onboarding.live.kinds import translated_field
from onboarding.live.services import notify

from ..errors import ApprovalError
from ..models import CaseStatus, CaseStep, PreApprovalCase, StepKind, UnitPromise
from ..permissions import may_advise_unit, may_handle_case

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User
    from onboarding.units.models import UnitPage

ASSIGNED_KIND = "approval_case_assigned"
# The limits of a unit's promise, in working days (``UnitPromise``'s validators).
FIRST_RESPONSE_RANGE = (1, 120)
DECISION_RANGE = (1, 250)
# A notification of a bulk reassignment names at most this many cases; it counts them all.
NOTIFY_CASES_LISTED = 20


def adviser_name(adviser: User) -> str:
    """The name a step and a notification give an adviser: their displayed name, else email."""
    return adviser.display_name


def _per_language(make: Any) -> dict[str, str]:
    """``make()`` in each of the site's languages, as a per-language context value."""
    values = {}
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            values[code] = str(make())
    return values


def case_summary(case: PreApprovalCase) -> dict[str, Any]:
    """What a notification about ``case`` says of it, with per-language values for each reader."""
    return {
        "id": case.pk,
        "student": case.student.display_name,
        "destination": translated_field(case.agreement.institution, "name"),
        "semester": _per_language(lambda: f"{case.get_season_display()} {case.year}"),
        "kind": _per_language(case.get_kind_display),
        "unit": translated_field(case.unit, "title") if case.unit_id else "",
    }


def case_url(case: PreApprovalCase) -> dict[str, str]:
    """The case's page in each language; the advisers' queue when the site has no case page."""
    urls = {}
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            try:
                urls[code] = reverse("approvals:case_detail", args=[case.pk])
            except NoReverseMatch:
                urls[code] = reverse("approval_cases:queue") + "?mine=1"
    return urls


def _forbidden() -> ApprovalError:
    return ApprovalError(
        code="forbidden", message=_("You do not handle the pre-approval cases of this unit.")
    )


def _locked_cases(ids: Sequence[int]) -> list[PreApprovalCase]:
    """The cases with ``ids``, locked in id order (so two bulk changes cannot deadlock), read afresh."""
    locked = list(
        PreApprovalCase.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(locked) != len(set(ids)):
        raise ApprovalError(
            code="not_found",
            message=_("One of the chosen cases no longer exists. Reload the queue and try again."),
        )
    return list(
        PreApprovalCase.objects.select_related(
            "student", "agreement__institution", "unit", "accountable_unit", "adviser"
        )
        .filter(pk__in=locked)
        .order_by("pk")
    )


def _check(
    cases: Sequence[PreApprovalCase], *, user: User | AnonymousUser, adviser: User | None
) -> None:
    """Every rule of assigning ``cases`` to ``adviser`` by ``user``; raises on the first broken."""
    if adviser is None or not adviser.is_active:
        raise ApprovalError(
            code="not_adviser",
            message=_("Choose an active adviser to give the cases to."),
            field="adviser",
        )
    for case in cases:
        if not may_handle_case(user=user, case=case):
            raise _forbidden()
    for case in cases:
        if case.status != CaseStatus.OPEN:
            raise ApprovalError(
                code="closed",
                message=_(
                    "Case %(number)s is %(status)s: only cases being handled can be given to "
                    "an adviser."
                )
                % {"number": case.pk, "status": case.get_status_display()},
            )
        if not may_handle_case(user=adviser, case=case):
            raise ApprovalError(
                code="not_adviser",
                message=_("%(name)s does not handle the pre-approval cases of case %(number)s.")
                % {"name": adviser_name(adviser), "number": case.pk},
                field="adviser",
            )


def _assign(
    cases: Sequence[PreApprovalCase], *, user: User | AnonymousUser, adviser: User
) -> list[PreApprovalCase]:
    """Give ``cases`` (checked, locked) to ``adviser``: one ASSIGNED step each; tell them once."""
    now = timezone.now()
    name = adviser_name(adviser)
    actor = user if user.is_authenticated else None
    CaseStep.objects.bulk_create(
        [
            CaseStep(
                case=case,
                at=now,
                actor=actor,
                kind=StepKind.ASSIGNED,
                waiting_for=case.waiting_for,
                text=name,
            )
            for case in cases
        ]
    )
    PreApprovalCase.objects.filter(pk__in=[case.pk for case in cases]).update(
        adviser=adviser, updated_at=now
    )
    for case in cases:
        case.adviser = adviser
        case.updated_at = now
    # Nobody is told of what they did themselves.
    if cases and adviser.pk != getattr(user, "pk", None):
        listed = [case_summary(case) for case in cases[:NOTIFY_CASES_LISTED]]
        notify(
            recipients=adviser,
            kind=ASSIGNED_KIND,
            context={
                "case": listed[0],
                "cases": listed,
                "count": len(cases),
                "more": len(cases) - len(listed),
            },
            url=case_url(cases[0])
            if len(cases) == 1
            else reverse("approval_cases:queue") + "?mine=1",
        )
    return list(cases)


@transaction.atomic
def case_assign(
    *, case: PreApprovalCase, user: User | AnonymousUser, adviser: User | None
) -> PreApprovalCase:
    """Give ``case`` to ``adviser``; returns the case as it now is.

    ``user`` must handle the case (``may_handle_case``) and so must ``adviser``.
    Records an ``ASSIGNED`` step by ``user`` with the adviser's name, leaves
    whom the case waits for unchanged, and tells the adviser (unless they
    assigned it to themselves) with ``approval_case_assigned`` in their language.

    Raises ``ApprovalError``: ``forbidden`` (``user`` does not handle the case),
    ``not_found`` (the case is gone), ``closed`` (not being handled: a draft, decided
    or withdrawn), ``not_adviser`` (no active adviser, or one who does not handle
    it) or ``already_assigned`` (it is theirs already).
    """
    [locked] = _locked_cases([case.pk])
    _check([locked], user=user, adviser=adviser)
    assert adviser is not None  # checked above
    if locked.adviser_id == adviser.pk:
        raise ApprovalError(
            code="already_assigned",
            message=_("Case %(number)s is already %(name)s's.")
            % {"number": locked.pk, "name": adviser_name(adviser)},
            field="adviser",
        )
    _assign([locked], user=user, adviser=adviser)
    return locked


@transaction.atomic
def cases_reassign(
    *,
    cases: Iterable[PreApprovalCase | int],
    user: User | AnonymousUser,
    adviser: User | None,
) -> int:
    """Give every one of ``cases`` (cases or their ids) to ``adviser``, all or none; returns how
    many changed hands.

    The cases are locked and read afresh, and every rule of ``case_assign`` is
    checked for each before anything is written: one case the user or the
    adviser does not handle, or one no longer being handled, refuses them all.
    Cases that are the adviser's already are left as they are (no step, not
    counted). The adviser is told once, of all the cases together.

    Raises ``ApprovalError``: ``no_cases`` (none chosen), and the codes of ``case_assign``
    but ``already_assigned``.
    """
    ids = sorted({item if isinstance(item, int) else item.pk for item in cases})
    if not ids:
        raise ApprovalError(
            code="no_cases", message=_("Choose the cases to give to an adviser."), field="cases"
        )
    locked = _locked_cases(ids)
    _check(locked, user=user, adviser=adviser)
    assert adviser is not None  # checked above
    moving = [case for case in locked if case.adviser_id != adviser.pk]
    _assign(moving, user=user, adviser=adviser)
    return len(moving)


def _days(value: Any, *, bounds: tuple[int, int], field: str, message: Any) -> int:
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ApprovalError(code="invalid_days", message=message, field=field)
    return value


@transaction.atomic
def promise_set(
    *,
    unit: UnitPage,
    user: User | AnonymousUser,
    first_response_days: int,
    decision_days: int,
) -> UnitPromise:
    """Set the working days ``unit`` promises for a first response and for a decision.

    For the unit's editors (and the editors of a unit above it) and the
    International Section's staff. Cases already submitted keep the promise
    they were submitted under; new cases get this one.

    Raises ``ApprovalError``: ``forbidden``, ``invalid_days`` (first response not
    1–120, decision not 1–250; ``field`` names which) or ``decision_before_response``
    (a decision promised sooner than the first response).
    """
    if not may_advise_unit(user=user, unit=unit):
        raise _forbidden()
    first = _days(
        first_response_days,
        bounds=FIRST_RESPONSE_RANGE,
        field="first_response_days",
        message=_("Promise a first response within 1 to 120 working days."),
    )
    decision = _days(
        decision_days,
        bounds=DECISION_RANGE,
        field="decision_days",
        message=_("Promise a decision within 1 to 250 working days."),
    )
    if decision < first:
        raise ApprovalError(
            code="decision_before_response",
            message=_("The decision cannot be promised sooner than the first response."),
            field="decision_days",
        )
    promise, _created = UnitPromise.objects.update_or_create(
        unit=unit, defaults={"first_response_days": first, "decision_days": decision}
    )
    return promise
