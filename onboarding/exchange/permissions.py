"""Who may edit agreements and moderate experience reports.

As with unit pages: the editors of the owner unit (or of a unit above it, the
faculty of a department) and the International Section's staff, who hold the
model permissions through the ``INTERNATIONAL_STAFF_PERMISSIONS`` hook. The
rules are the units app's, for every kind of unit-owned content
(``onboarding.units.owned``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from onboarding.units.owned import UnitOwnedContent, UnitOwnedPermissionPolicy, edits_any_unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User
    from onboarding.units.models import UnitPage

STAFF_EDIT_PERMISSION = "exchange.change_agreement"
AGREEMENTS = UnitOwnedContent(staff_permission=STAFF_EDIT_PERMISSION, unit_field="owner_unit")

__all__ = [
    "AGREEMENTS",
    "STAFF_EDIT_PERMISSION",
    "OwnerUnitPermissionPolicy",
    "edits_any_unit",
    "is_exchange_staff",
    "may_edit_unit_content",
    "owned_by_user_q",
]


def is_exchange_staff(user: User | AnonymousUser) -> bool:
    """The International Section's staff (and superusers) edit every agreement."""
    return AGREEMENTS.is_staff(user)


def may_edit_unit_content(*, user: User | AnonymousUser, unit: UnitPage) -> bool:
    """Whether ``user`` edits the agreements and moderates the reports owned by ``unit``."""
    return AGREEMENTS.may_edit(user=user, unit=unit)


def owned_by_user_q(user: User | AnonymousUser, *, prefix: str = "owner_unit__") -> Q:
    """A filter for rows whose owner unit (at ``prefix``) ``user`` edits; everything for staff."""
    return AGREEMENTS.owned_q(user, prefix=prefix)


class OwnerUnitPermissionPolicy(UnitOwnedPermissionPolicy):
    """Model permissions for staff; for unit editors, the agreements their units own."""

    def __init__(self, model: Any, **kwargs: Any) -> None:
        super().__init__(model, owned=AGREEMENTS, **kwargs)
