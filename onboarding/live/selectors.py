"""Reads of notifications and preferences."""

from django.db.models import Count

from .kinds import Channel, kind_list
from .models import Notification, NotificationPreference


def notification_list(*, user, unread_only=False):
    """The user's notifications, newest first."""
    queryset = Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset


def notification_get(*, user, pk):
    """One of the user's own notifications; raises Notification.DoesNotExist for anyone else's."""
    return Notification.objects.get(recipient=user, pk=pk)


def notification_unread_count(*, user):
    """How many of the user's notifications are unread (0 for anonymous users)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_counts(*, user_ids):
    """{user id: unread count} for many users in one query; users with none are absent."""
    rows = (
        Notification.objects.filter(recipient_id__in=user_ids, read_at__isnull=True)
        .order_by()
        .values_list("recipient_id")
        .annotate(unread=Count("id"))
    )
    return dict(rows)


def preference_channels(*, user):
    """[(kind, chosen channel)] for every registered kind, defaults filled in."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    rows = []
    for kind in kind_list():
        channel = chosen.get(kind.code, kind.default_channel)
        if kind.mandatory and channel == Channel.OFF:
            channel = kind.default_channel
        rows.append((kind, channel))
    return rows
