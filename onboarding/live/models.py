"""Notifications: what the portal told each person, and how each person wants to be told.

The stored notification is the truth. Live pushes and emails are only ways of
pointing a person at it.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .kinds import Channel


class Delivery(models.TextChoices):
    """How a notification was delivered, chosen from the recipient's preference at the time."""

    SITE = "site", _("In the site only")
    EMAIL = "email", _("Email at once")
    DIGEST = "digest", _("Daily digest")


class Notification(models.Model):
    """One thing the portal told one person, rendered in their language when it was made."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    context = models.JSONField(_("context"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    url = models.CharField(_("link"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    delivery = models.CharField(
        _("delivery"), max_length=16, choices=Delivery.choices, default=Delivery.SITE
    )
    created_at = models.DateTimeField(_("created"), db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    digested_at = models.DateTimeField(_("included in a digest at"), null=True, blank=True)

    # Every field holding personal data, for export and erasure.
    PERSONAL_FIELDS = (
        "kind",
        "context",
        "url",
        "language",
        "subject",
        "body",
        "delivery",
        "created_at",
        "read_at",
        "emailed_at",
        "digested_at",
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="live_notif_recipient_new"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="live_notif_unread",
            ),
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(delivery="digest", digested_at__isnull=True),
                name="live_notif_digest_pending",
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_read(self):
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A person's chosen channel for one kind; kinds without a row use their default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    PERSONAL_FIELDS = ("kind", "channel", "updated_at")

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="live_preference_one_per_kind"),
        ]

    def __str__(self):
        return f"{self.kind}: {self.channel}"


class DigestRun(models.Model):
    """The one digest a person got on one day; a unique constraint prevents a second."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_runs",
        verbose_name=_("user"),
    )
    date = models.DateField(_("date"))
    sent_at = models.DateTimeField(_("sent at"))
    notification_count = models.PositiveIntegerField(_("notifications"), default=0)

    PERSONAL_FIELDS = ("date", "sent_at", "notification_count")

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="live_digest_one_per_day"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.date}"
