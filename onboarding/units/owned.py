"""Who may edit content that belongs to a unit (exchange agreements, glossary terms).

As with unit pages: the editors of the owning unit, or of a unit above it (the
faculty of a department), and the International Section's staff, who hold the
kind's model permission through the ``INTERNATIONAL_STAFF_PERMISSIONS`` hook.
Each kind of content says once which permission makes someone its staff and
which field holds its unit (``UnitOwnedContent``); ``UnitOwnedPermissionPolicy``
gives the Wagtail admin the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from wagtail.permission_policies.base import ModelPermissionPolicy

from .selectors import units_edited_by

if TYPE_CHECKING:
    from .models import UnitPage

# Kept on the request's user: the admin asks several times for one page.
_PATHS_ATTRIBUTE = "_edited_unit_paths"


def edited_unit_paths(user: Any) -> list[str]:
    """The tree paths of the units ``user`` edits (none for anyone signed out or inactive)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    paths: list[str] | None = getattr(user, _PATHS_ATTRIBUTE, None)
    if paths is None:
        paths = list(units_edited_by(user=user).values_list("path", flat=True))
        setattr(user, _PATHS_ATTRIBUTE, paths)
    return paths


def edits_any_unit(user: Any) -> bool:
    return bool(edited_unit_paths(user))


@dataclass(frozen=True)
class UnitOwnedContent:
    """One kind of unit-owned content: its staff's permission and the field of its unit."""

    staff_permission: str
    unit_field: str

    def is_staff(self, user: Any) -> bool:
        """The International Section's staff (and superusers) edit all of it."""
        return bool(
            user is not None
            and user.is_authenticated
            and user.is_active
            and user.has_perm(self.staff_permission)
        )

    def may_edit(self, *, user: Any, unit: UnitPage) -> bool:
        """Whether ``user`` edits what ``unit`` owns."""
        if self.is_staff(user):
            return True
        return any(unit.path.startswith(path) for path in edited_unit_paths(user))

    def owned_q(self, user: Any, *, prefix: str | None = None) -> Q:
        """A filter for rows whose unit (at ``prefix``, by default the unit field) ``user``
        edits; everything for staff, nothing for someone who edits no unit."""
        if self.is_staff(user):
            return Q()
        paths = edited_unit_paths(user)
        if not paths:
            return Q(pk__in=[])
        lookup = f"{prefix if prefix is not None else self.unit_field + '__'}path__startswith"
        condition = Q()
        for path in paths:
            condition |= Q(**{lookup: path})
        return condition


class UnitOwnedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions for staff; for unit editors, the rows their units own."""

    def __init__(self, model: Any, *, owned: UnitOwnedContent, **kwargs: Any) -> None:
        super().__init__(model, **kwargs)
        self.owned = owned

    def user_has_permission(self, user: Any, action: str) -> bool:
        if super().user_has_permission(user, action):
            return True
        return action in {"add", "change", "delete", "view"} and edits_any_unit(user)

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        if super().user_has_permission(user, action):
            return True
        unit = getattr(instance, self.owned.unit_field, None)
        return (
            action in {"change", "delete", "view"}
            and unit is not None
            and self.owned.may_edit(user=user, unit=unit)
        )

    def instances_user_has_any_permission_for(self, user: Any, actions: Any) -> QuerySet:
        queryset = self.model._default_manager.all()
        if any(ModelPermissionPolicy.user_has_permission(self, user, action) for action in actions):
            return queryset
        return queryset.filter(self.owned.owned_q(user))


class InstanceCheckedMixin:
    """For a snippet's edit and delete views: Wagtail checks the model permission; this also
    asks the permission policy about the one object (its unit), and refuses with 403."""

    instance_permission = "change"

    def get_object(self, queryset: Any = None) -> Any:
        instance = super().get_object(queryset)  # type: ignore[misc]
        if not self.permission_policy.user_has_permission_for_instance(  # type: ignore[attr-defined]
            self.request.user,  # type: ignore[attr-defined]
            self.instance_permission,
            instance,
        ):
            raise PermissionDenied
        return instance
