"""Who may edit agreements and moderate experience reports.

As with unit pages: the editors of the owner unit (or of a unit above it, the
faculty of a department) and the International Section's staff, who hold the
model permissions through the ``INTERNATIONAL_STAFF_PERMISSIONS`` hook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from wagtail.permission_policies.base import ModelPermissionPolicy

from onboarding.units.selectors import units_edited_by

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User
    from onboarding.units.models import UnitPage

STAFF_EDIT_PERMISSION = "exchange.change_agreement"


def is_exchange_staff(user: User | AnonymousUser) -> bool:
    """The International Section's staff (and superusers) edit every agreement."""
    return bool(user.is_authenticated and user.is_active and user.has_perm(STAFF_EDIT_PERMISSION))


def _edited_paths(user: User | AnonymousUser) -> list[str]:
    if not user.is_authenticated or not user.is_active:
        return []
    cache: list[str] | None = getattr(user, "_exchange_edited_paths", None)
    if cache is None:
        cache = list(units_edited_by(user=user).values_list("path", flat=True))
        # Kept on the request's user: the admin asks several times per page.
        setattr(user, "_exchange_edited_paths", cache)  # noqa: B010
    return cache


def edits_any_unit(user: User | AnonymousUser) -> bool:
    return bool(_edited_paths(user))


def may_edit_unit_content(*, user: User | AnonymousUser, unit: UnitPage) -> bool:
    """Whether ``user`` edits the agreements and moderates the reports owned by ``unit``."""
    if is_exchange_staff(user):
        return True
    return any(unit.path.startswith(path) for path in _edited_paths(user))


def owned_by_user_q(user: User | AnonymousUser, *, prefix: str = "owner_unit__") -> Q:
    """A filter for rows whose owner unit (at ``prefix``) ``user`` edits; everything for staff."""
    if is_exchange_staff(user):
        return Q()
    paths = _edited_paths(user)
    if not paths:
        return Q(pk__in=[])
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{prefix}path__startswith": path})
    return condition


class OwnerUnitPermissionPolicy(ModelPermissionPolicy):
    """Model permissions for staff; for unit editors, the rows their units own."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        if super().user_has_permission(user, action):
            return True
        return action in {"add", "change", "delete", "view"} and edits_any_unit(user)

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        if super().user_has_permission(user, action):
            return True
        unit = getattr(instance, "owner_unit", None)
        return (
            action in {"change", "delete", "view"}
            and unit is not None
            and may_edit_unit_content(user=user, unit=unit)
        )

    def instances_user_has_any_permission_for(self, user: Any, actions: Any) -> QuerySet:
        queryset = self.model._default_manager.all()
        if any(ModelPermissionPolicy.user_has_permission(self, user, action) for action in actions):
            return queryset
        return queryset.filter(owned_by_user_q(user))
