"""Writes of the units app: follows, confirmations, editor groups.

Access to content follows Wagtail's group page permissions: publishing a unit
makes (once) its editors' group, with add, edit, publish and lock on the
unit's branch and a collection of its own for images and documents. The
International Section's staff group holds the same on the whole tree.
Permissions point at the unit page itself, so moving or renaming a unit
keeps them right; renaming also renames the group and the collection.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import log
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from cms.middleware import page_cache_clear
from onboarding.hooks import INTERNATIONAL_STAFF_PERMISSIONS

from .errors import UnitError
from .models import Follow, UnitConfirmation, UnitEditorsGroup, UnitPage

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User

# What a unit's editors may do on its branch.
UNIT_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page")
# What the International Section's staff may do on the whole tree.
STAFF_PAGE_PERMISSIONS = UNIT_PAGE_PERMISSIONS + ("unlock_page", "bulk_delete_page")
# What editors may do with the images and documents of their collection.
MEDIA_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtailimages", "delete_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtaildocs", "delete_document"),
)
ACCESS_ADMIN = "wagtailadmin.access_admin"

INTERNATIONAL_STAFF_GROUP = "International Section staff"
UNIT_GROUP_PREFIX = "Editors: "
GROUP_NAME_MAX = 150
COLLECTION_NAME_MAX = 255

# Model permissions (``app_label.codename``) the International Section's staff
# hold; other apps add theirs through the ``INTERNATIONAL_STAFF_PERMISSIONS`` hook.
STAFF_PERMISSIONS = (ACCESS_ADMIN, "units.change_unit_structure", "units.view_unit_reports")


def international_staff_permissions() -> list[str]:
    """The units app's staff permissions and every app's ``INTERNATIONAL_STAFF_PERMISSIONS``, once each."""
    permissions = list(STAFF_PERMISSIONS)
    for provider in hooks.get_hooks(INTERNATIONAL_STAFF_PERMISSIONS):
        permissions.extend(provider())
    return list(dict.fromkeys(permissions))


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _page_permission(codename: str) -> Permission:
    return _permission("wagtailcore", codename)


def _grant_page_permissions(group: Group, page: Page, codenames: Iterable[str]) -> None:
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_page_permission(codename)
        )


def _grant_collection_permissions(group: Group, collection: Collection) -> None:
    for app_label, codename in MEDIA_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=_permission(app_label, codename)
        )


def _unit_title(unit: UnitPage) -> str:
    # Group and collection names are data shared by every admin user: they use
    # the default language's title.
    return (getattr(unit, "title_nb", "") or unit.title or "").strip()


def _group_name(unit: UnitPage, group: Group | None = None) -> str:
    name = (UNIT_GROUP_PREFIX + _unit_title(unit))[:GROUP_NAME_MAX]
    taken = Group.objects.filter(name=name)
    if group is not None:
        taken = taken.exclude(pk=group.pk)
    if taken.exists():
        suffix = f" (#{unit.pk})"
        name = name[: GROUP_NAME_MAX - len(suffix)] + suffix
    return name


def _collection_name(unit: UnitPage) -> str:
    return _unit_title(unit)[:COLLECTION_NAME_MAX] or f"#{unit.pk}"


@transaction.atomic
def unit_editors_group_ensure(*, unit: UnitPage) -> UnitEditorsGroup:
    """Make the editors' group and media collection of ``unit`` once; returns the link.

    The first call makes a group named after the unit with add, edit, publish
    and lock permissions on the unit's branch and admin access, and a
    collection below the root one with add, edit, choose and delete rights
    for images and documents. Later calls make nothing new: they only keep
    the group's and the collection's names in step with the unit's title (and
    remake a collection that was deleted), so that permissions an
    administrator deliberately changed stay as they are.
    """
    # Serialise concurrent publishes of one unit, so that only one group is made.
    list(UnitPage.objects.select_for_update().filter(pk=unit.pk).values_list("pk", flat=True))
    link = UnitEditorsGroup.objects.select_related("group", "collection").filter(unit=unit).first()
    if link is None:
        group = Group.objects.create(name=_group_name(unit))
        group.permissions.add(_permission(*ACCESS_ADMIN.split(".")))
        _grant_page_permissions(group, unit, UNIT_PAGE_PERMISSIONS)
        collection = Collection.get_first_root_node().add_child(name=_collection_name(unit))
        _grant_collection_permissions(group, collection)
        return UnitEditorsGroup.objects.create(unit=unit, group=group, collection=collection)

    name = _group_name(unit, group=link.group)
    if link.group.name != name:
        link.group.name = name
        link.group.save(update_fields=["name"])
    if link.collection is None:
        link.collection = Collection.get_first_root_node().add_child(name=_collection_name(unit))
        link.save(update_fields=["collection"])
        _grant_collection_permissions(link.group, link.collection)
    elif link.collection.name != _collection_name(unit):
        link.collection.name = _collection_name(unit)
        link.collection.save(update_fields=["name"])
    return link


@transaction.atomic
def unit_editor_add(*, unit: UnitPage, user: User) -> Group:
    """Make ``user`` an editor of ``unit`` (a person can edit several units); returns the group.

    Raises ``UnitError`` ``inactive_user`` for a deactivated account.
    """
    if not user.is_active:
        raise UnitError(
            code="inactive_user", message=_("A deactivated account cannot edit a unit.")
        )
    link = unit_editors_group_ensure(unit=unit)
    user.groups.add(link.group)
    return link.group


@transaction.atomic
def unit_editor_remove(*, unit: UnitPage, user: User) -> bool:
    """Take ``user`` off the editors of ``unit``; returns whether they were one."""
    link = UnitEditorsGroup.objects.select_related("group").filter(unit=unit).first()
    if link is None or not user.groups.filter(pk=link.group_id).exists():
        return False
    user.groups.remove(link.group)
    return True


@transaction.atomic
def international_staff_group_ensure() -> Group:
    """Make or complete the International Section's staff group; returns it.

    The group may add, edit, publish, lock, unlock and bulk-delete every page
    (its permissions sit on the tree's root), use every collection, and holds
    the model permissions of ``international_staff_permissions``. Missing permissions are
    added; nothing is taken away.
    """
    group, _created = Group.objects.get_or_create(name=INTERNATIONAL_STAFF_GROUP)
    _grant_page_permissions(group, Page.get_first_root_node(), STAFF_PAGE_PERMISSIONS)
    _grant_collection_permissions(group, Collection.get_first_root_node())
    for permission in international_staff_permissions():
        app_label, codename = permission.split(".")
        found = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if found is not None:
            group.permissions.add(found)
    return group


@transaction.atomic
def international_staff_add(*, user: User) -> Group:
    """Put ``user`` in the International Section's staff group; returns the group."""
    if not user.is_active:
        raise UnitError(
            code="inactive_user",
            message=_("A deactivated account cannot join the International Section."),
        )
    group = international_staff_group_ensure()
    user.groups.add(group)
    return group


@transaction.atomic
def unit_confirm(*, unit: UnitPage, user: User | AnonymousUser) -> datetime:
    """Record that ``unit``'s page is up to date, now; returns the time of confirmation.

    Raises ``UnitError`` ``forbidden`` unless ``user`` may edit the page (its
    editors and the International Section may), and ``not_live`` for a page
    that is not published.
    """
    if not user.is_authenticated or not unit.permissions_for_user(user).can_edit():
        raise UnitError(
            code="forbidden", message=_("Only the unit's editors can confirm its page.")
        )
    if not unit.live:
        raise UnitError(code="not_live", message=_("Publish the page before confirming it."))
    now = timezone.now()
    UnitPage.objects.filter(pk=unit.pk).update(last_confirmed=now)
    UnitConfirmation.objects.create(unit=unit, confirmed_by=user, confirmed_at=now)
    log(instance=unit, action="units.confirm", user=user)
    # The "may no longer be active" notice goes from the cached copies too.
    transaction.on_commit(page_cache_clear)
    unit.last_confirmed = now
    return now


@transaction.atomic
def follow_create(*, user: User | AnonymousUser, unit: UnitPage) -> Follow:
    """``user`` follows ``unit``; following again changes nothing. Returns the follow.

    Raises ``UnitError`` ``login_required`` for an anonymous or deactivated
    person and ``not_found`` for a unit that is not published.
    """
    if not user.is_authenticated or not user.is_active:
        raise UnitError(code="login_required", message=_("Log in to follow a unit."))
    if not unit.live:
        raise UnitError(code="not_found", message=_("This unit is not published."))
    follow, _created = Follow.objects.get_or_create(user=user, unit=unit)
    return follow


@transaction.atomic
def follow_delete(*, user: User | AnonymousUser, unit: UnitPage) -> bool:
    """``user`` stops following ``unit``; returns whether they followed it."""
    if not user.is_authenticated:
        raise UnitError(code="login_required", message=_("Log in to follow a unit."))
    deleted, _detail = Follow.objects.filter(user=user, unit=unit).delete()
    return deleted > 0
