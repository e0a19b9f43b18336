"""The notification centre: the one way the portal tells people things.

``notify`` stores one notification per recipient, rendered in the recipient's
own language, and after the transaction commits pushes a live hint to each
recipient and hands email to a background task. ``topic_publish`` sends a
hint to everyone who has a page open. Live messages are hints: the database
is the truth and a page re-reads it when it reconnects.
"""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .errors import LiveError, NotificationError, TopicError  # noqa: F401
from .kinds import Channel, NotificationKind, get_kind  # noqa: F401
from .layer import GroupMessage, group_send_many
from .models import Delivery, DigestRun, Notification, NotificationPreference
from .selectors import unread_counts
from .topics import (  # noqa: F401
    BROADCAST_GROUP,
    topic_group,
    topic_parse,
    user_group,
)

if TYPE_CHECKING:
    from django.template.backends.django import Template as DjangoTemplate
    from wagtail.models import Page

    from onboarding.accounts.models import User

# What a notification links to: a site path, a path per language, or a page.
type NotificationUrl = str | Mapping[str, str] | Page
# One recipient's own part of a notification: (text added to the body, own site path or "").
type Personal = Callable[[User, str], tuple[str, str]]
# Who a notification goes to: one user or several (a list or a queryset).
type Recipients = User | Iterable[User]

logger = logging.getLogger(__name__)

# Recipients are handled this many at a time: up to this number a call makes a
# fixed number of queries, and no single query grows past the databases' limits.
RECIPIENT_BATCH = 2000
SUBJECT_MAX = 255
# From this many recipients on, live hints go out as one broadcast message.
BROADCAST_MIN_RECIPIENTS = 100


# --- Rendering --------------------------------------------------------------------------


def _language_codes() -> list[str]:
    return [code for code, _label in settings.LANGUAGES]


def _localise(value: Any, language: str) -> Any:
    """Resolve per-language dicts such as {"nb": ..., "en": ...} to one language, recursively."""
    codes = _language_codes()
    if isinstance(value, dict):
        if value and all(key in codes for key in value):
            for code in (language, settings.LANGUAGE_CODE, *codes):
                if value.get(code):
                    return value[code]
            return ""
        return {key: _localise(item, language) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_localise(item, language) for item in value]
    return value


def _render_text(template_name: str, context: Mapping[str, Any]) -> str:
    """Render a plain-text template without HTML escaping; the site escapes on display."""
    # The project's templates use Django's engine, whose wrapper holds the template itself.
    template = cast("DjangoTemplate", get_template(template_name)).template
    text = template.render(Context(context, autoescape=False))
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _one_line(text: str, limit: int = SUBJECT_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _url_for(url: NotificationUrl, language: str) -> str:
    """The link of a notification in one language: a path, a per-language dict or a page."""
    if hasattr(url, "get_url"):
        with translation.override(language):
            return url.get_url() or ""
    return _localise(url, language) or ""


def _check_url(url: str) -> None:
    if url and (not url.startswith("/") or url.startswith("//") or len(url) > 500):
        raise NotificationError(
            code="invalid_url", message=_("A notification links to a path on this site.")
        )


def notification_render(
    *, kind: NotificationKind | str, context: Mapping[str, Any], language: str, url: str = ""
) -> tuple[str, str]:
    """(subject, body) of a kind in one language, with per-language context values resolved."""
    kind = _kind_or_error(kind)
    with translation.override(language):
        values = _localise(context, language)
        template_context = {**values, "url": url, "language": language}
        subject = _one_line(_render_text(kind.subject_template, template_context))
        body = _render_text(kind.body_template, template_context)
    return subject, body


def _kind_or_error(kind: NotificationKind | str) -> NotificationKind:
    if isinstance(kind, NotificationKind):
        return kind
    found = get_kind(kind)
    if found is None:
        raise NotificationError(
            code="unknown_kind", message=_("There is no notification kind with this code.")
        )
    return found


# --- Pushing hints ----------------------------------------------------------------------


def _group_send_many(messages: Sequence[GroupMessage]) -> None:
    """Send (group, message) pairs through the channel layer; a failed hint is only logged."""
    layer = get_channel_layer()
    if layer is None or not messages:
        return
    try:
        async_to_sync(group_send_many)(messages, layer)
    except Exception:
        # Hints are never the only copy: the page re-reads the database on reconnect.
        logger.exception("Sending %d live hints failed", len(messages))


def session_end_push(*, user_id: int, session_key: str | None) -> None:
    """Close the live connections opened with a session that has just logged out."""
    if session_key:
        _group_send_many([(user_group(user_id), {"type": "session.ended", "session": session_key})])


def _push_unread(user_ids: Iterable[int]) -> None:
    """Tell each user's open pages their unread count (one query per batch of users).

    Few users get a message each in their own group; many get one message in
    the broadcast group, keyed by user id, which every socket filters for its
    own user: one channel-layer send instead of a thousand.
    """
    user_ids = list(user_ids)
    for start in range(0, len(user_ids), RECIPIENT_BATCH):
        batch = user_ids[start : start + RECIPIENT_BATCH]
        counts = unread_counts(user_ids=batch)
        messages: list[GroupMessage]
        if len(batch) >= BROADCAST_MIN_RECIPIENTS:
            unread = {str(uid): counts.get(uid, 0) for uid in batch}
            messages = [(BROADCAST_GROUP, {"type": "notification.batch", "unread": unread})]
        else:
            messages = [
                (user_group(uid), {"type": "notification.hint", "unread": counts.get(uid, 0)})
                for uid in batch
            ]
        _group_send_many(messages)


def _enqueue_emails(notification_ids: list[int]) -> None:
    from .tasks import send_notification_emails_task

    try:
        send_notification_emails_task.enqueue(notification_ids=notification_ids)
    except Exception:
        logger.exception("Queueing %d notification emails failed", len(notification_ids))


# --- Notify -----------------------------------------------------------------------------


def _recipient_list(recipients: Recipients) -> list[User]:
    """Active users, each once, loaded in at most one query."""
    user_model = get_user_model()
    if isinstance(recipients, Model):
        recipients = [recipients]
    if isinstance(recipients, QuerySet):
        recipients = recipients.only(
            "pk", "email", "language", "first_name", "last_name", "preferred_name", "is_active"
        )
    seen, users = set(), []
    for user in recipients:
        if not isinstance(user, user_model):
            raise NotificationError(
                code="invalid_recipient", message=_("Notifications go to users.")
            )
        if user.pk is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        users.append(user)
    return users


def _channel_for(kind: NotificationKind, chosen: str | None) -> str:
    channel = chosen or kind.default_channel
    if kind.mandatory and channel == Channel.OFF:
        return kind.default_channel
    return channel


@transaction.atomic
def notify(
    *,
    recipients: Recipients,
    kind: NotificationKind | str,
    context: dict[str, Any],
    url: NotificationUrl = "",
    email: bool = True,
    personal: Personal | None = None,
) -> list[Notification]:
    """Tell each recipient something, in their own language; returns the stored notifications.

    ``kind`` is a registered kind or its code; ``context`` a JSON-serialisable
    dict read by the kind's templates (per-language values allowed, see
    ``kinds``); ``url`` the site path of what it is about (or a per-language
    dict, or a page). Each recipient's preference decides whether they get it
    in the site only, by email at once, in the daily digest, or not at all
    (mandatory kinds cannot be off). ``email=False`` stores and pushes without
    emailing, for imports and demo data: such notifications are kept as site
    only, so that neither the retry of pending emails nor the digest sends
    them later.

    ``personal(user, language)``, where a notification carries something of each
    recipient's own (links signed for them alone), returns the text added to the
    end of that person's body and their own site path ("" keeps ``url``); it is
    called once per recipient, before anything is stored.

    After the transaction commits: one live hint per recipient with their
    unread count, and one background task that sends the emails. The number of
    queries does not depend on the number of recipients (up to RECIPIENT_BATCH
    per batch).

    Raises NotificationError with code ``unknown_kind``, ``invalid_context``,
    ``invalid_url`` or ``invalid_recipient``.
    """
    kind = _kind_or_error(kind)
    if not isinstance(context, dict):
        raise NotificationError(
            code="invalid_context", message=_("The context of a notification is a dict.")
        )
    try:
        stored_context = json.loads(json.dumps(context, cls=DjangoJSONEncoder))
    except (TypeError, ValueError) as error:
        raise NotificationError(
            code="invalid_context",
            message=_("The context of a notification must be JSON-serialisable."),
        ) from error
    languages = _language_codes()
    urls = {language: _url_for(url, language) for language in languages}
    for value in urls.values():
        _check_url(value)

    users = _recipient_list(recipients)
    now = timezone.now()
    rendered: dict[str, tuple[str, str]] = {}
    created: list[Notification] = []
    for start in range(0, len(users), RECIPIENT_BATCH):
        batch = users[start : start + RECIPIENT_BATCH]
        chosen = dict(
            NotificationPreference.objects.filter(
                kind=kind.code, user_id__in=[user.pk for user in batch]
            ).values_list("user_id", "channel")
        )
        rows = []
        for user in batch:
            channel = _channel_for(kind, chosen.get(user.pk))
            if channel == Channel.OFF:
                continue
            if not email:
                channel = Delivery.SITE
            language = user.language if user.language in languages else settings.LANGUAGE_CODE
            if language not in rendered:
                rendered[language] = notification_render(
                    kind=kind, context=context, language=language, url=urls[language]
                )
            subject, body = rendered[language]
            own_url = urls[language]
            if personal is not None:
                addition, path = personal(user, language)
                if addition:
                    body = f"{body}\n\n{addition}".strip()
                if path:
                    _check_url(path)
                    own_url = path
            rows.append(
                Notification(
                    recipient=user,
                    kind=kind.code,
                    context=stored_context,
                    url=own_url,
                    language=language,
                    subject=subject,
                    body=body,
                    delivery=channel,
                    created_at=now,
                )
            )
        created.extend(Notification.objects.bulk_create(rows, batch_size=RECIPIENT_BATCH))

    if created:
        recipient_ids = [n.recipient_id for n in created]
        transaction.on_commit(partial(_push_unread, recipient_ids))
        email_ids = [n.pk for n in created if n.delivery == Delivery.EMAIL]
        if email_ids:
            transaction.on_commit(partial(_enqueue_emails, email_ids))
    return created


# --- Reading and preferences ------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    """Mark one of the user's notifications read (no change if it already is).

    Raises NotificationError ``not_recipient`` for someone else's notification.
    """
    if notification.recipient_id != user.pk:
        raise NotificationError(code="not_recipient", message=_("This notification is not yours."))
    if notification.read_at is None:
        now = timezone.now()
        changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=now
        )
        notification.read_at = now
        if changed:
            transaction.on_commit(partial(_push_unread, [user.pk]))
    return notification


@transaction.atomic
def notification_mark_all_read(*, user: User) -> int:
    """Mark all of the user's notifications read; returns how many changed."""
    changed = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if changed:
        transaction.on_commit(partial(_push_unread, [user.pk]))
    return changed


@transaction.atomic
def preference_set(
    *, user: User, kind: NotificationKind | str, channel: str
) -> NotificationPreference:
    """Choose how the user hears about one kind.

    Raises NotificationError ``unknown_kind``, ``unknown_channel``, or
    ``mandatory_kind`` when turning off a kind that must reach people.
    """
    kind = _kind_or_error(kind)
    if channel not in Channel.values:
        raise NotificationError(
            code="unknown_channel", message=_("Choose one of the ways offered.")
        )
    if kind.mandatory and channel == Channel.OFF:
        raise NotificationError(
            code="mandatory_kind",
            message=_("This kind of notification must reach you, so it cannot be turned off."),
        )
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, kind=kind.code, defaults={"channel": channel}
    )
    return preference


# --- Topics -----------------------------------------------------------------------------


def topic_publish(*, topic: str, payload: dict[str, Any]) -> None:
    """Send a hint to everyone subscribed to a page topic, after the transaction commits.

    ``payload`` is a small JSON-serialisable dict, e.g. {"type": "event.seats",
    "event": 42, "free": 3}; subscribers get {"type": "topic", "topic": topic,
    "data": payload}. Raises TopicError ``topic_invalid`` or ``invalid_payload``.
    """
    if topic_parse(topic) is None:
        raise TopicError(code="topic_invalid", message=_("A topic looks like “event:42”."))
    if not isinstance(payload, dict):
        raise TopicError(
            code="invalid_payload", message=_("The payload of a topic message is a dict.")
        )
    try:
        data = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    except (TypeError, ValueError) as error:
        raise TopicError(
            code="invalid_payload",
            message=_("The payload of a topic message must be JSON-serialisable."),
        ) from error
    message = {"type": "topic.message", "topic": topic, "data": data}
    transaction.on_commit(partial(_group_send_many, [(topic_group(topic), message)]))


# --- Email ------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return f"{base}{path}" if path.startswith("/") else path


def _email_links(language: str) -> dict[str, str]:
    with translation.override(language):
        return {
            "centre_url": _absolute(reverse("live:notification_list")),
            "preferences_url": _absolute(reverse("live:preferences")),
        }


def _subject(text: str) -> str:
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    return _one_line(f"{prefix}{text}", 998)


def notification_emails_send(*, notification_ids: Sequence[int]) -> int:
    """Email the given notifications that are due an email and not yet sent; returns how many.

    Each email is written in its recipient's language. Run by a background
    task after ``notify`` commits; running it again sends nothing twice.
    """
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=notification_ids, delivery=Delivery.EMAIL, emailed_at__isnull=True)
            .select_related("recipient")
            .order_by("pk")
        )
        if not pending:
            return 0
        by_language: defaultdict[str, list[Notification]] = defaultdict(list)
        for notification in pending:
            by_language[notification.recipient.language or settings.LANGUAGE_CODE].append(
                notification
            )
        messages = []
        for language, notifications in by_language.items():
            links = _email_links(language)
            with translation.override(language):
                for notification in notifications:
                    body = _render_text(
                        "live/email/notification.txt",
                        {
                            "recipient": notification.recipient,
                            "notification": notification,
                            "link": _absolute(notification.url) if notification.url else "",
                            **links,
                        },
                    )
                    messages.append(
                        mail.EmailMessage(
                            subject=_subject(notification.subject),
                            body=body,
                            to=[notification.recipient.email],
                            headers={"Auto-Submitted": "auto-generated"},
                        )
                    )
        mail.mailers.default.send_messages(messages)
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
            emailed_at=timezone.now()
        )
    return len(pending)


# An email ``notify`` queued is retried once it is this old and still not sent
# (the mail server was down, the task worker lost it); one older than
# EMAIL_RETRY_UNTIL is left to the notification centre, where it is shown anyway.
EMAIL_RETRY_AFTER = timedelta(minutes=10)
EMAIL_RETRY_UNTIL = timedelta(days=2)
EMAIL_RETRY_BATCH = 200


def notification_emails_retry(*, now: datetime | None = None) -> int:
    """Send the emails that were due at once but never went out; returns how many were sent.

    Picks notifications delivered by email, not yet emailed, to active people,
    made between ``EMAIL_RETRY_UNTIL`` and ``EMAIL_RETRY_AFTER`` ago, and sends
    them in batches through :func:`notification_emails_send`, which skips any
    another run is sending. A batch that fails is logged and left for the next
    run; running this twice sends nothing twice.
    """
    now = now or timezone.now()
    pending = list(
        Notification.objects.filter(
            delivery=Delivery.EMAIL,
            emailed_at__isnull=True,
            recipient__is_active=True,
            created_at__gt=now - EMAIL_RETRY_UNTIL,
            created_at__lte=now - EMAIL_RETRY_AFTER,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    for start in range(0, len(pending), EMAIL_RETRY_BATCH):
        batch = pending[start : start + EMAIL_RETRY_BATCH]
        try:
            sent += notification_emails_send(notification_ids=batch)
        except Exception:
            logger.exception("Retrying %d notification emails failed", len(batch))
    return sent


@dataclass(frozen=True)
class DigestResult:
    digests: int
    notifications: int


def _digest_send_one(*, user: User, today: date, now: datetime) -> int:
    """Send one person today's digest; returns how many notifications it held (0: none sent)."""
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(of=("self",))
            .filter(
                recipient=user,
                delivery=Delivery.DIGEST,
                digested_at__isnull=True,
                read_at__isnull=True,
                created_at__lte=now,
            )
            .order_by("created_at", "pk")
        )
        if not pending:
            return 0
        try:
            with transaction.atomic():
                DigestRun.objects.create(
                    user=user, date=today, sent_at=now, notification_count=len(pending)
                )
        except IntegrityError:
            return 0  # Someone else sent today's digest.
        language = user.language or settings.LANGUAGE_CODE
        with translation.override(language):
            count = len(pending)
            subject = ngettext(
                "Your Velkommen summary: %(count)s new notification",
                "Your Velkommen summary: %(count)s new notifications",
                count,
            ) % {"count": count}
            items = [
                {"notification": n, "link": _absolute(n.url) if n.url else ""} for n in pending
            ]
            body = _render_text(
                "live/email/digest.txt",
                {"recipient": user, "items": items, "count": count, **_email_links(language)},
            )
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(digested_at=now)
        # Sent last: if sending fails, nothing is marked and the next run tries again.
        mail.EmailMessage(
            subject=_subject(subject),
            body=body,
            to=[user.email],
            headers={"Auto-Submitted": "auto-generated"},
        ).send()
    return len(pending)


def digests_send(*, now: datetime | None = None) -> DigestResult:
    """Send each person with pending digest notifications their one digest of the day.

    A person gets at most one digest per local calendar day (DigestRun is
    unique per person and day), so running this twice sends nothing new.
    Returns a DigestResult with how many digests and notifications went out.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    user_model = get_user_model()
    pending_users = (
        Notification.objects.filter(
            delivery=Delivery.DIGEST,
            digested_at__isnull=True,
            read_at__isnull=True,
            created_at__lte=now,
        )
        .order_by()
        .values("recipient_id")
    )
    users = (
        user_model.objects.filter(pk__in=pending_users, is_active=True)
        .exclude(digest_runs__date=today)
        .only("pk", "email", "language", "first_name", "last_name", "preferred_name")
        .order_by("pk")
    )
    digests = notifications = 0
    for user in list(users):
        try:
            sent = _digest_send_one(user=user, today=today, now=now)
        except Exception:
            logger.exception("Sending the digest to user %s failed", user.pk)
            continue
        if sent:
            digests += 1
            notifications += sent
    return DigestResult(digests=digests, notifications=notifications)
