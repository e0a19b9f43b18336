"""Reads of site content.

The site search (every registered source, both languages) lives in
``cms.search.selectors``; it is named here too, where views look for reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .search.selectors import SearchOutcome, site_search

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User

__all__ = ["ReaderHeader", "SearchOutcome", "reader_header_get", "site_search"]


@dataclass(frozen=True)
class ReaderHeader:
    """What the header shows of the signed-in reader: never cached, read in one query."""

    unread: int
    may_open_admin: bool


ADMIN_PERMISSION = ("wagtailadmin", "access_admin")


def reader_header_get(*, user: User | AnonymousUser | None) -> ReaderHeader | None:
    """The reader's unread notifications and whether the admin is theirs, in one query.

    None for anonymous readers. Staff and superusers may open the admin; anyone
    else when they or one of their groups hold ``wagtailadmin.access_admin`` (as
    ``user.has_perm`` says, which would take two queries of its own).
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from onboarding.live.models import Notification

    if user is None or not user.is_authenticated:
        return None
    app_label, codename = ADMIN_PERMISSION
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(count=Count("pk"))
        .values("count")
    )
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            unread=Coalesce(Subquery(unread), 0),
            by_permission=Exists(permission.filter(user=OuterRef("pk")))
            | Exists(permission.filter(group__user=OuterRef("pk"))),
        )
        .values_list("unread", "by_permission")
        .first()
    )
    if row is None:
        return None
    unread_count, by_permission = row
    return ReaderHeader(
        unread=unread_count,
        may_open_admin=bool(
            user.is_active and (user.is_staff or user.is_superuser or by_permission)
        ),
    )
