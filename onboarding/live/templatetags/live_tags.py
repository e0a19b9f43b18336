"""Template tags of the notification centre: the header badge and date formatting."""

import logging
from datetime import date, datetime

from django import template
from django.db import DatabaseError
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.html import format_html
from django.utils.translation import get_language, ngettext

from ..selectors import notification_unread_count

logger = logging.getLogger(__name__)
register = template.Library()


def _label_pattern(count):
    return ngettext("Notifications, %(count)s unread", "Notifications, %(count)s unread", count)


def badge_label(count):
    """The accessible name of the header badge, e.g. "Notifications, 3 unread"."""
    return _label_pattern(count) % {"count": count}


_NOT_READ = object()


@register.simple_tag(takes_context=True)
def notification_badge(context, count=_NOT_READ):
    """What the header badge shows: the unread count and its labels for live updates.

    ``count`` is the unread count when the page has read it already (the header
    reads it with the reader's other state in one query, cms.selectors); else
    it is counted here.

    ``label_one``/``label_other`` keep the ``%(count)s`` placeholder so that
    live.js can label a new count in the page's language (Bokmål and English
    both use the "one" form for 1 only).
    """
    user = context.get("user")
    try:
        if count is _NOT_READ:
            count = notification_unread_count(user=user)
    except DatabaseError:
        # The error pages render the header too; a broken database must not break them.
        logger.warning("Could not count unread notifications", exc_info=True)
        count = None
    return {
        "count": count,
        "label": badge_label(count) if count is not None else "",
        "label_one": _label_pattern(1),
        "label_other": _label_pattern(2),
    }


def _as_datetime(value):
    if isinstance(value, str):
        value = parse_datetime(value) or parse_date(value) or value
    return value


@register.filter
def live_datetime(value):
    """A datetime (or ISO string) as local date and time in the active language."""
    value = _as_datetime(value)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    return value or ""


@register.filter
def live_date(value):
    """A date or datetime (or ISO string) as a local date in the active language."""
    value = _as_datetime(value)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value.date(), "DATE_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    return value or ""


@register.filter
def datetime_attribute(value):
    """A moment as a valid ``<time datetime>`` value: local time to the second, with its offset."""
    value = _as_datetime(value)
    if not isinstance(value, datetime):
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()


@register.filter
def lang_attribute(language):
    """`` lang="en"`` for text stored in another language than the page's, else nothing.

    A notification keeps the language it was written in (WCAG 3.1.2).
    """
    if not language or language == get_language():
        return ""
    return format_html(' lang="{}"', language)
