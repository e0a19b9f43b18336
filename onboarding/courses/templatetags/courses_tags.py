"""Template helpers of Norwegian courses: schedules, credits and places in the reader's language."""

from django import template
from django.utils import formats, timezone

register = template.Library()

TIME_FORMAT = "H:i"


@register.filter
def course_schedule(course):
    """The days and hours a course meets, e.g. "Monday, Wednesday, 10:15–12:00"."""
    days = ", ".join(str(label) for label in course.weekday_labels())
    if not course.start_time or not course.end_time:
        return days
    hours = (
        f"{formats.time_format(course.start_time, TIME_FORMAT)}–"
        f"{formats.time_format(course.end_time, TIME_FORMAT)}"
    )
    return f"{days}, {hours}" if days else hours


@register.filter
def course_dates(course):
    """From the first day to the last, e.g. "19 January 2027 – 10 June 2027"."""
    first = formats.date_format(course.starts_on, "DATE_FORMAT")
    last = formats.date_format(course.ends_on, "DATE_FORMAT")
    return first if course.starts_on == course.ends_on else f"{first} – {last}"


@register.filter
def credits(value):
    """ECTS credits without a needless decimal: 15, 7.5 (7,5 in Norwegian)."""
    if value is None:
        return ""
    decimals = 0 if value == int(value) else 1
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True)


@register.filter
def places_sentence(places):
    """The sentence about a course's free places (see ``views.places_text``)."""
    from ..views import places_text

    return places_text(places) if places is not None else ""


@register.filter
def waitlist_sentence(places):
    from ..views import waitlist_text

    return waitlist_text(places) if places is not None else ""


@register.filter
def local_moment(value):
    """A moment as a local date and time in the active language."""
    if not value:
        return ""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


@register.filter
def level_name(code):
    """A CEFR level code as its name, e.g. "B1 (intermediate)"."""
    from ..levels import level_label

    return level_label(code)
