"""Who may edit terms and decide proposals.

As with unit pages: the editors of the owning unit (or of a unit above it, the
faculty of a department) and the International Section's staff, who hold the
model permissions through the ``INTERNATIONAL_STAFF_PERMISSIONS`` hook.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from wagtail.permission_policies.base import ModelPermissionPolicy

from onboarding.units.models import UnitPage
from onboarding.units.selectors import units_edited_by

STAFF_PERMISSION = "glossary.change_term"


def is_glossary_staff(user: Any) -> bool:
    """The International Section's staff (and superusers) edit every term."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm(STAFF_PERMISSION)
    )


def _edited_paths(user: Any) -> list[str]:
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cache: list[str] | None = getattr(user, "_glossary_edited_paths", None)
    if cache is None:
        cache = list(units_edited_by(user=user).values_list("path", flat=True))
        # Kept on the request's user: the admin asks several times per page.
        setattr(user, "_glossary_edited_paths", cache)  # noqa: B010
    return cache


def edits_any_unit(user: Any) -> bool:
    return bool(_edited_paths(user))


def may_edit_for_unit(*, user: Any, unit: UnitPage) -> bool:
    """Whether ``user`` keeps the terms and decides the proposals of ``unit``."""
    if is_glossary_staff(user):
        return True
    return any(unit.path.startswith(path) for path in _edited_paths(user))


def owned_by_user_q(user: Any, *, prefix: str = "owner__") -> Q:
    """A filter for rows whose owning unit (at ``prefix``) ``user`` edits; everything for staff."""
    if is_glossary_staff(user):
        return Q()
    paths = _edited_paths(user)
    if not paths:
        return Q(pk__in=[])
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{prefix}path__startswith": path})
    return condition


class TermPermissionPolicy(ModelPermissionPolicy):
    """Model permissions for staff; for unit editors, the terms their units own."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        if super().user_has_permission(user, action):
            return True
        return action in {"add", "change", "delete", "view"} and edits_any_unit(user)

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        if super().user_has_permission(user, action):
            return True
        unit = getattr(instance, "owner", None)
        return (
            action in {"change", "delete", "view"}
            and unit is not None
            and may_edit_for_unit(user=user, unit=unit)
        )

    def instances_user_has_any_permission_for(self, user: Any, actions: Any) -> QuerySet:
        queryset = self.model._default_manager.all()
        if any(ModelPermissionPolicy.user_has_permission(self, user, action) for action in actions):
            return queryset
        return queryset.filter(owned_by_user_q(user))
