"""Reads of notifications and preferences."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet

from .kinds import Channel, NotificationKind, kind_list
from .models import Notification, NotificationPreference

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    queryset = Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset


def notification_get(*, user: User, pk: int) -> Notification:
    """One of the user's own notifications; raises Notification.DoesNotExist for anyone else's."""
    return Notification.objects.get(recipient=user, pk=pk)


def notification_unread_count(*, user: User | AnonymousUser | None) -> int:
    """How many of the user's notifications are unread (0 for anonymous users)."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_counts(*, user_ids: Iterable[int]) -> dict[int, int]:
    """{user id: unread count} for many users in one query; users with none are absent."""
    rows = (
        Notification.objects.filter(recipient_id__in=user_ids, read_at__isnull=True)
        .order_by()
        .values_list("recipient_id")
        .annotate(unread=Count("id"))
    )
    return dict(rows)


def preference_channels(*, user: User) -> list[tuple[NotificationKind, str]]:
    """[(kind, chosen channel)] for every registered kind, defaults filled in."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    rows = []
    for kind in kind_list():
        channel = chosen.get(kind.code, kind.default_channel)
        if kind.mandatory and channel == Channel.OFF:
            channel = kind.default_channel
        rows.append((kind, channel))
    return rows
