"""Who may see and handle pre-approval cases.

A case is the student's own: they see it and nobody else's. The editors of the
unit that handles it (the department or faculty the responsibility matrix
named at submission, or a unit above it) are its advisers; after a late case
escalates, the editors of the accountable unit may act on it too. The
International Section's staff hold ``approvals.decide_any_case`` and see
every queue. Precedents are public; they are edited by the editors of the
deciding unit and by staff.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from onboarding.units.owned import edited_unit_paths

from .apps import STAFF_PERMISSION

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User
    from onboarding.units.models import UnitPage

    from .models import PreApprovalCase


def is_approvals_staff(user: User | AnonymousUser) -> bool:
    """The International Section's staff (and superusers) handle every unit's cases."""
    return bool(user.is_authenticated and user.is_active and user.has_perm(STAFF_PERMISSION))


def edited_paths(user: User | AnonymousUser) -> list[str]:
    """The tree paths of the units ``user`` edits (kept on the user for the request)."""
    return edited_unit_paths(user)


def is_adviser(user: User | AnonymousUser) -> bool:
    """Staff, or an editor of any unit (whose queue may hold cases)."""
    return is_approvals_staff(user) or bool(edited_paths(user))


def may_advise_unit(*, user: User | AnonymousUser, unit: UnitPage | None) -> bool:
    """Whether ``user`` handles the cases of ``unit`` (its editors, its parents' editors, staff)."""
    if is_approvals_staff(user):
        return True
    if unit is None:
        return False
    return any(unit.path.startswith(path) for path in edited_paths(user))


def may_handle_case(*, user: User | AnonymousUser, case: PreApprovalCase) -> bool:
    """Whether ``user`` may decide, ask and reassign on ``case``."""
    if is_approvals_staff(user):
        return True
    if may_advise_unit(user=user, unit=case.unit):
        return True
    return case.escalated_at is not None and may_advise_unit(user=user, unit=case.accountable_unit)


def may_view_case(*, user: User | AnonymousUser, case: PreApprovalCase) -> bool:
    """The student themself, or anyone who may handle it."""
    if not user.is_authenticated or not user.is_active:
        return False
    return case.student_id == user.pk or may_handle_case(user=user, case=case)


def handled_cases_q(user: User | AnonymousUser, *, prefix: str = "") -> Q:
    """A filter for the cases ``user`` may handle; every case for staff, none for others."""
    if is_approvals_staff(user):
        return Q()
    paths = edited_paths(user)
    if not paths:
        return Q(pk__in=[])
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{prefix}unit__path__startswith": path})
        condition |= Q(
            **{
                f"{prefix}escalated_at__isnull": False,
                f"{prefix}accountable_unit__path__startswith": path,
            }
        )
    return condition


def may_edit_precedent_unit(*, user: User | AnonymousUser, unit: UnitPage) -> bool:
    """Whether ``user`` keeps the earlier decisions of ``unit`` (its editors and staff)."""
    return may_advise_unit(user=user, unit=unit)
