"""Who may edit terms and decide proposals.

As with unit pages: the editors of the owning unit (or of a unit above it, the
faculty of a department) and the International Section's staff, who hold the
model permissions through the ``INTERNATIONAL_STAFF_PERMISSIONS`` hook. The
rules are the units app's, for every kind of unit-owned content
(``onboarding.units.owned``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from onboarding.units.models import UnitPage
from onboarding.units.owned import UnitOwnedContent, UnitOwnedPermissionPolicy, edits_any_unit

STAFF_PERMISSION = "glossary.change_term"
TERMS = UnitOwnedContent(staff_permission=STAFF_PERMISSION, unit_field="owner")

__all__ = [
    "STAFF_PERMISSION",
    "TERMS",
    "TermPermissionPolicy",
    "edits_any_unit",
    "is_glossary_staff",
    "may_edit_for_unit",
    "owned_by_user_q",
]


def is_glossary_staff(user: Any) -> bool:
    """The International Section's staff (and superusers) edit every term."""
    return TERMS.is_staff(user)


def may_edit_for_unit(*, user: Any, unit: UnitPage) -> bool:
    """Whether ``user`` keeps the terms and decides the proposals of ``unit``."""
    return TERMS.may_edit(user=user, unit=unit)


def owned_by_user_q(user: Any, *, prefix: str = "owner__") -> Q:
    """A filter for rows whose owning unit (at ``prefix``) ``user`` edits; everything for staff."""
    return TERMS.owned_q(user, prefix=prefix)


class TermPermissionPolicy(UnitOwnedPermissionPolicy):
    """Model permissions for staff; for unit editors, the terms their units own."""

    def __init__(self, model: Any, **kwargs: Any) -> None:
        super().__init__(model, owned=TERMS, **kwargs)
