"""Writes of the units app: follows, confirmations, editor groups, organisers and invitations.

Access to content follows Wagtail's group page permissions: publishing a unit
makes (once) its editors' group, with add, edit, publish and lock on the
unit's branch and a collection of its own for images and documents. The
International Section's staff group holds the same on the whole tree.
Permissions point at the unit page itself, so moving or renaming a unit
keeps them right; renaming also renames the group and the collection.

Every change of who edits or organises for a unit is written to the unit's
``UnitRightsChange`` log, here and only here: ``unit_editor_add`` and
``unit_editor_remove`` are the one way in and out of an editors' group.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import log
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from cms.middleware import page_cache_clear
from onboarding.hooks import INTERNATIONAL_STAFF_PERMISSIONS

from .errors import UnitError
from .models import (
    Follow,
    RightsAction,
    UnitConfirmation,
    UnitEditorsGroup,
    UnitInvitation,
    UnitOrganiser,
    UnitPage,
    UnitRightsChange,
    UnitRole,
)
from .selectors import (
    PEOPLE_PERMISSION,
    invitation_by_token,
    invitation_hash,
    unit_editor_count,
    unit_has_pending_editor_invitation,
    unit_invitations_pending,
    unit_is_editor,
    unit_may_manage_people,
)

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
STAFF_PERMISSIONS = (
    ACCESS_ADMIN,
    "units.change_unit_structure",
    "units.view_unit_reports",
    PEOPLE_PERMISSION,
)


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


def _record(
    *,
    unit: UnitPage,
    role: str,
    action: str,
    person: User | None = None,
    email: str = "",
    by: User | AnonymousUser | None = None,
) -> UnitRightsChange:
    return UnitRightsChange.objects.create(
        unit=unit,
        person=person,
        email=email or (person.email if person is not None else ""),
        role=role,
        action=action,
        by=by if by is not None and by.is_authenticated else None,
    )


@transaction.atomic
def unit_editor_add(
    *,
    unit: UnitPage,
    user: User,
    by: User | None = None,
    action: str = RightsAction.ADDED,
) -> Group:
    """Make ``user`` an editor of ``unit`` (a person can edit several units); returns the group.

    A person who was not an editor yet is recorded in the unit's log with
    ``action`` (added by staff, or an accepted invitation) and ``by``.
    Raises ``UnitError`` ``inactive_user`` for a deactivated account.
    """
    if not user.is_active:
        raise UnitError(
            code="inactive_user", message=_("A deactivated account cannot edit a unit.")
        )
    link = unit_editors_group_ensure(unit=unit)
    if not user.groups.filter(pk=link.group_id).exists():
        user.groups.add(link.group)
        _record(unit=unit, role=UnitRole.EDITOR, action=action, person=user, by=by)
    return link.group


@transaction.atomic
def unit_editor_remove(
    *,
    unit: UnitPage,
    user: User,
    by: User | None = None,
    action: str = RightsAction.REMOVED,
) -> bool:
    """Take ``user`` off the editors of ``unit``; returns whether they were one.

    A removal is recorded in the unit's log with ``action`` (removed, or left) and ``by``.
    """
    link = UnitEditorsGroup.objects.select_related("group").filter(unit=unit).first()
    if link is None or not user.groups.filter(pk=link.group_id).exists():
        return False
    user.groups.remove(link.group)
    _record(unit=unit, role=UnitRole.EDITOR, action=action, person=user, by=by)
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


# --- Organisers, invitations and hand-over ---------------------------------------------------

INVITATION_DAYS_DEFAULT = 14
INVITATION_DAYS_MAX = 30
INVITATION_DAYS_CHOICES = (7, 14, 30)
EMAIL_MAX_LENGTH = 254


def _forbidden() -> UnitError:
    return UnitError(
        code="forbidden",
        message=_("Only the unit's editors and the International Section can do this."),
    )


def _role_checked(role: str) -> str:
    if role not in UnitRole.values:
        raise UnitError(code="role", message=_("Choose editor or organiser."))
    return role


@transaction.atomic
def unit_organiser_add(
    *,
    unit: UnitPage,
    user: User,
    by: User | None = None,
    action: str = RightsAction.ADDED,
) -> UnitOrganiser:
    """Make ``user`` an organiser of ``unit``: they check people in at its events; returns the row.

    A person who was not an organiser yet is recorded in the unit's log with
    ``action`` and ``by``. Raises ``UnitError`` ``inactive_user`` for a
    deactivated account.
    """
    if not user.is_active:
        raise UnitError(
            code="inactive_user", message=_("A deactivated account cannot organise for a unit.")
        )
    organiser, created = UnitOrganiser.objects.get_or_create(unit=unit, user=user)
    if created:
        _record(unit=unit, role=UnitRole.ORGANISER, action=action, person=user, by=by)
    return organiser


@transaction.atomic
def unit_organiser_remove(
    *,
    unit: UnitPage,
    user: User,
    by: User | None = None,
    action: str = RightsAction.REMOVED,
) -> bool:
    """Take ``user`` off the organisers of ``unit``; returns whether they were one (recorded)."""
    deleted, _detail = UnitOrganiser.objects.filter(unit=unit, user=user).delete()
    if deleted:
        _record(unit=unit, role=UnitRole.ORGANISER, action=action, person=user, by=by)
    return deleted > 0


def _invitation_languages(email: str) -> list[str]:
    """The invitee's language when they have an account, else the active one then the other."""
    from django.contrib.auth import get_user_model

    languages = [code for code, _name in settings.LANGUAGES]
    owner = get_user_model().objects.filter(email__iexact=email).only("language").first()
    if owner is not None and owner.language in languages:
        return [owner.language]
    first = translation.get_language() or settings.LANGUAGE_CODE
    first = first if first in languages else settings.LANGUAGE_CODE
    return [first] + [code for code in languages if code != first]


def _invitation_email_send(*, invitation_id: int, token: str, languages: list[str]) -> None:
    invitation = UnitInvitation.objects.select_related("unit", "invited_by").get(pk=invitation_id)
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    inviter = invitation.invited_by
    inviter_name = (inviter.get_full_name() or inviter.email) if inviter is not None else ""
    parts, subject = [], ""
    for language in languages:
        with translation.override(language):
            unit = UnitPage.objects.get(pk=invitation.unit_id)
            context = {
                "invitation": invitation,
                "unit_title": unit.title,
                "role": UnitRole(invitation.role).label,
                "is_editor": invitation.role == UnitRole.EDITOR,
                "inviter_name": inviter_name,
                "accept_url": base + reverse("unit_invitation", args=[token]),
                "expires_at": invitation.expires_at,
            }
            if not subject:
                subject = render_to_string("units/email/invitation_subject.txt", context).strip()
            parts.append(render_to_string("units/email/invitation.txt", context).strip())
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    body = "\n\n-----\n\n".join(parts) + "\n"
    mail.send_mail(f"{prefix}{subject}", body, None, [invitation.email])


@transaction.atomic
def unit_invitation_create(
    *,
    unit: UnitPage,
    email: str,
    role: str,
    by: User | AnonymousUser,
    days: int = INVITATION_DAYS_DEFAULT,
    now: datetime | None = None,
) -> tuple[UnitInvitation, str]:
    """Invite ``email`` to become an editor or organiser of ``unit``; returns it and its secret.

    Only the unit's own editors, the International Section's staff and
    superusers may invite (an organiser may not invite anyone, so nobody
    grants more than they hold). The invitation can be accepted once, for
    ``days`` days (1 to ``INVITATION_DAYS_MAX``). Only a hash of the secret is
    stored; the email with the link goes out when the transaction commits, in
    the invitee's language if they have an account, else in both languages,
    the inviter's first.

    Raises ``UnitError`` ``forbidden``, ``role`` (not editor or organiser),
    ``days`` (outside the range), ``email`` (not an address) and
    ``already_invited`` (a pending invitation to that address for that role).
    """
    if not unit_may_manage_people(unit=unit, user=by):
        raise _forbidden()
    role = _role_checked(role)
    if not isinstance(days, int) or not 1 <= days <= INVITATION_DAYS_MAX:
        raise UnitError(
            code="days",
            message=_("An invitation lasts from 1 to %(max)d days.") % {"max": INVITATION_DAYS_MAX},
        )
    email = (email or "").strip()
    try:
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError as error:
        raise UnitError(code="email", message=_("Enter a valid email address.")) from error
    now = now or timezone.now()
    list(UnitPage.objects.select_for_update().filter(pk=unit.pk).values_list("pk", flat=True))
    if unit_invitations_pending(unit=unit, role=role, now=now).filter(email__iexact=email).exists():
        raise UnitError(
            code="already_invited",
            message=_(
                "This address already has a pending invitation for this role. "
                "Revoke it first to send a new one."
            ),
        )
    inviter: Any = by  # signed in: unit_may_manage_people says so
    token = secrets.token_urlsafe(32)
    invitation = UnitInvitation.objects.create(
        unit=unit,
        email=email,
        role=role,
        invited_by=inviter,
        created_at=now,
        expires_at=now + timedelta(days=days),
        token_hash=invitation_hash(token),
    )
    _record(unit=unit, role=role, action=RightsAction.INVITED, email=email, by=by)
    languages = _invitation_languages(email)
    transaction.on_commit(
        partial(
            _invitation_email_send, invitation_id=invitation.pk, token=token, languages=languages
        )
    )
    return invitation, token


@transaction.atomic
def unit_invitation_accept(
    *, token: str, user: User | AnonymousUser, now: datetime | None = None
) -> UnitInvitation:
    """``user`` accepts the invitation whose secret is ``token``; returns it.

    Any signed-in, active account may accept: its address need not be the one
    invited, because boards forward invitation links among themselves. The
    secret is the key: it works once, until it expires, unless revoked, and
    the unit's people page and log show who accepted. An editor then needs
    two-factor authentication before the admin opens (the admin asks for it).

    Raises ``UnitError`` ``login_required``, ``not_found`` (no such
    invitation), ``revoked``, ``used`` (accepted already), ``expired`` and
    ``inactive_user``.
    """
    if not user.is_authenticated or not user.is_active:
        raise UnitError(code="login_required", message=_("Log in to accept the invitation."))
    found = invitation_by_token(token=token)
    if found is None:
        raise UnitError(code="not_found", message=_("This invitation does not exist."))
    invitation = UnitInvitation.objects.select_for_update().get(pk=found.pk)
    now = now or timezone.now()
    if invitation.revoked_at is not None:
        raise UnitError(code="revoked", message=_("This invitation has been revoked."))
    if invitation.accepted_at is not None:
        raise UnitError(code="used", message=_("This invitation has already been accepted."))
    if now >= invitation.expires_at:
        raise UnitError(
            code="expired",
            message=_("This invitation has expired. Ask the unit's editors for a new one."),
        )
    unit = found.unit
    if invitation.role == UnitRole.EDITOR:
        if unit_is_editor(unit=unit, user=user):
            _record(
                unit=unit, role=invitation.role, action=RightsAction.ACCEPTED, person=user, by=user
            )
        else:
            unit_editor_add(unit=unit, user=user, by=user, action=RightsAction.ACCEPTED)
    elif UnitOrganiser.objects.filter(unit=unit, user=user).exists():
        _record(unit=unit, role=invitation.role, action=RightsAction.ACCEPTED, person=user, by=user)
    else:
        unit_organiser_add(unit=unit, user=user, by=user, action=RightsAction.ACCEPTED)
    invitation.accepted_by = user
    invitation.accepted_at = now
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    invitation.unit = unit
    return invitation


@transaction.atomic
def unit_invitation_revoke(
    *, invitation: UnitInvitation, by: User | AnonymousUser, now: datetime | None = None
) -> UnitInvitation:
    """Revoke ``invitation`` so that its link no longer works; returns it.

    Raises ``UnitError`` ``forbidden`` (see ``unit_invitation_create`` for who
    may) and ``not_pending`` for an invitation already accepted or revoked.
    """
    if not unit_may_manage_people(unit=invitation.unit, user=by):
        raise _forbidden()
    locked = UnitInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None or locked.revoked_at is not None:
        raise UnitError(
            code="not_pending", message=_("This invitation was already accepted or revoked.")
        )
    locked.revoked_at = now or timezone.now()
    locked.save(update_fields=["revoked_at"])
    _record(
        unit=invitation.unit,
        role=locked.role,
        action=RightsAction.REVOKED,
        email=locked.email,
        by=by,
    )
    return locked


@transaction.atomic
def unit_person_remove(*, unit: UnitPage, user: User, role: str, by: User | AnonymousUser) -> None:
    """Take ``role`` on ``unit`` from ``user``, as one of the unit's editors or staff (``by``).

    Raises ``UnitError`` ``forbidden``, ``role``, ``self`` (leaving is
    ``unit_leave``, which checks that the unit keeps an editor) and
    ``not_member`` when ``user`` does not hold the role.
    """
    if not unit_may_manage_people(unit=unit, user=by):
        raise _forbidden()
    role = _role_checked(role)
    if user.pk == by.pk:
        raise UnitError(code="self", message=_("To remove yourself, use “Hand over and leave”."))
    acting: Any = by
    if role == UnitRole.EDITOR:
        removed = unit_editor_remove(unit=unit, user=user, by=acting)
    else:
        removed = unit_organiser_remove(unit=unit, user=user, by=acting)
    if not removed:
        raise UnitError(code="not_member", message=_("This person does not hold that role."))


@transaction.atomic
def unit_leave(*, unit: UnitPage, user: User | AnonymousUser) -> bool:
    """``user`` hands over and leaves ``unit``: gives up being its editor and organiser.

    The last editor may leave only while an invitation for a new editor is
    pending (the next board takes over when they accept; the International
    Section can always add editors again). Returns whether the unit is now
    left without editors (until that invitation is accepted), so the view can
    say so. Raises ``UnitError`` ``not_member`` for someone who holds no role
    on the unit and ``last_editor``.
    """
    if not user.is_authenticated:
        raise UnitError(code="not_member", message=_("You hold no role on this unit."))
    person: Any = user
    list(UnitPage.objects.select_for_update().filter(pk=unit.pk).values_list("pk", flat=True))
    is_editor = unit_is_editor(unit=unit, user=person)
    is_organiser = UnitOrganiser.objects.filter(unit=unit, user=person).exists()
    if not is_editor and not is_organiser:
        raise UnitError(code="not_member", message=_("You hold no role on this unit."))
    without_editors = False
    if is_editor:
        last = unit_editor_count(unit=unit) == 1
        if last and not unit_has_pending_editor_invitation(unit=unit):
            raise UnitError(
                code="last_editor",
                message=_(
                    "You are the unit's last editor. Invite the next editor first, "
                    "then leave while the invitation is pending."
                ),
            )
        unit_editor_remove(unit=unit, user=person, by=person, action=RightsAction.LEFT)
        without_editors = last
    if is_organiser:
        unit_organiser_remove(unit=unit, user=person, by=person, action=RightsAction.LEFT)
    return without_editors
