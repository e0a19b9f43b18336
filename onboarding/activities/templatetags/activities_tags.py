"""Template helpers of the events app: when an event is, in words, in the reader's language."""

from django import template
from django.utils import formats, timezone
from django.utils.translation import get_language

from onboarding.live.templatetags.live_tags import datetime_attribute

register = template.Library()

# ``<time datetime>`` values to the second: HTML allows at most three digits of a second,
# and ``|date:'c'`` writes six whenever the moment has microseconds.
register.filter("datetime_attribute", datetime_attribute)

# Day formats per language: "tirsdag 12. august" / "Tuesday 12 August".
DAY_FORMATS = {"nb": "l j. F", "en": "l j F"}
# Norwegian writes month abbreviations in lower case ("fre 4. des"): "b", not "M".
SHORT_DAY_FORMATS = {"nb": "D j. b", "en": "D j M"}
TIME_FORMAT = "H:i"


def _day_format(short=False):
    formats_by_language = SHORT_DAY_FORMATS if short else DAY_FORMATS
    return formats_by_language.get(get_language() or "nb", formats_by_language["en"])


@register.filter
def event_when(event, style=""):
    """The event's time span, e.g. "Tuesday 12 August, 18:00–21:00" (local time).

    ``"short"`` uses abbreviated day and month names.
    """
    start = timezone.localtime(event.start_at)
    end = timezone.localtime(event.end_at)
    day = _day_format(short=style == "short")
    start_day = formats.date_format(start, day)
    start_time = formats.time_format(start, TIME_FORMAT)
    end_time = formats.time_format(end, TIME_FORMAT)
    if start.date() == end.date():
        return f"{start_day}, {start_time}–{end_time}"
    return f"{start_day} {start_time} – {formats.date_format(end, day)} {end_time}"


@register.filter
def local_time(value):
    """A moment as local hours and minutes, e.g. 18:03."""
    if not value:
        return ""
    return formats.time_format(timezone.localtime(value), TIME_FORMAT)


@register.filter
def local_datetime(value):
    """A moment as a short local date and time, e.g. "Tue 12 Aug 18:03" / "tir 12. aug 18:03"."""
    if not value:
        return ""
    value = timezone.localtime(value)
    return f"{formats.date_format(value, _day_format(short=True))} {formats.time_format(value, TIME_FORMAT)}"


@register.filter
def percent(value):
    """A share between 0 and 1 as a whole percentage ("25 %"), or an empty string."""
    if value is None:
        return ""
    return f"{round(value * 100)} %"
