"""Recurrence rules of event series: RFC 5545 RRULEs built and read with ``dateutil.rrule``.

A rule is kept as its RRULE line alone (``FREQ=WEEKLY;INTERVAL=2;BYDAY=TU``); its
start (``DTSTART``) is the recurrence's first date and start time, in local
wall-clock time without a zone ("floating"). Each date the rule gives is then
placed in the recurrence's time zone, so that an event at 09:00 in Oslo stays at
09:00 in summer and in winter, whatever that is in UTC.

The organiser's words (weekly, every second week, monthly on the second Tuesday)
map to a rule here and back; nothing here writes to the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule

# The weekdays, Monday first, as dateutil and RFC 5545 know them.
WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)
# Which of the month's weekdays a monthly rule means: first to fourth, or the last (-1).
WEEKS_OF_MONTH = (1, 2, 3, 4, -1)
# The most occurrences a rule with a count may have: two years of weekly events.
MAX_COUNT = 104

_FREQUENCIES = {
    "weekly": (rrule.WEEKLY, 1),
    "fortnightly": (rrule.WEEKLY, 2),
    "monthly": (rrule.MONTHLY, 1),
}


@dataclass(frozen=True)
class RuleParts:
    """A rule as the organiser's form says it.

    ``weekday`` is 0 (Monday) to 6 (Sunday); ``week_of_month`` is used by
    monthly rules only (1–4, or -1 for the last). ``until`` and ``count`` end it
    (at most one of them; neither runs on).
    """

    frequency: str
    weekday: int
    week_of_month: int | None = None
    until: date | None = None
    count: int | None = None


def _start(starts_on: date, start_time: time) -> datetime:
    return datetime.combine(starts_on, start_time.replace(tzinfo=None))


def rule_build(parts: RuleParts, *, starts_on: date, start_time: time) -> str:
    """The RRULE line of ``parts`` starting ``starts_on`` at ``start_time`` (local time).

    Raises ``ValueError`` for a frequency, weekday or week of the month it does
    not know.
    """
    if parts.frequency not in _FREQUENCIES:
        raise ValueError(f"unknown frequency {parts.frequency!r}")
    if not 0 <= parts.weekday <= 6:
        raise ValueError(f"unknown weekday {parts.weekday!r}")
    freq, interval = _FREQUENCIES[parts.frequency]
    weekday = WEEKDAYS[parts.weekday]
    if parts.frequency == "monthly":
        if parts.week_of_month not in WEEKS_OF_MONTH:
            raise ValueError(f"unknown week of the month {parts.week_of_month!r}")
        weekday = weekday(parts.week_of_month)
    until = datetime.combine(parts.until, time(23, 59, 59)) if parts.until else None
    rule = rrule.rrule(
        freq,
        interval=interval,
        byweekday=weekday,
        dtstart=_start(starts_on, start_time),
        until=until,
        count=parts.count,
    )
    # str() gives "DTSTART:...\nRRULE:...": keep the rule, the start is stored apart.
    return str(rule).splitlines()[-1].removeprefix("RRULE:")


def rule_parse(rule: str, *, starts_on: date, start_time: time) -> rrule.rrule:
    """The dateutil rule of an RRULE line, starting at ``starts_on`` ``start_time``.

    Raises ``ValueError`` when the line is not a rule dateutil can read.
    """
    parsed = rrule.rrulestr(rule, dtstart=_start(starts_on, start_time), forceset=False)
    if not isinstance(parsed, rrule.rrule):
        raise ValueError("not a single rule")
    return parsed


def rule_parts(rule: str, *, starts_on: date, start_time: time) -> RuleParts:
    """The form's words for a rule this module built (to fill in the form again)."""
    parsed = rule_parse(rule, starts_on=starts_on, start_time=start_time)
    interval = parsed._interval
    if parsed._freq == rrule.MONTHLY:
        weekday, week = parsed._bynweekday[0] if parsed._bynweekday else (starts_on.weekday(), 1)
        frequency = "monthly"
    else:
        weekday, week = (parsed._byweekday or (starts_on.weekday(),))[0], None
        frequency = "fortnightly" if interval == 2 else "weekly"
    until = parsed._until.date() if parsed._until else None
    return RuleParts(
        frequency=frequency,
        weekday=weekday,
        week_of_month=week,
        until=until,
        count=parsed._count,
    )


def rule_end_before(rule: str, *, day: date, starts_on: date, start_time: time) -> str:
    """The same rule ending on the day before ``day`` (``UNTIL``; a count is replaced)."""
    parsed = rule_parse(rule, starts_on=starts_on, start_time=start_time)
    # A rule has one end or the other: the count gives way to the date.
    ended = parsed.replace(
        until=datetime.combine(day - timedelta(days=1), time(23, 59, 59)), count=None
    )
    return str(ended).splitlines()[-1].removeprefix("RRULE:")


def rule_dates(
    rule: str,
    *,
    starts_on: date,
    start_time: time,
    first: date,
    last: date,
    skipped: Iterable[date] = (),
) -> list[date]:
    """The dates the rule gives from ``first`` to ``last`` (both included), less ``skipped``."""
    parsed = rule_parse(rule, starts_on=starts_on, start_time=start_time)
    begin = datetime.combine(first, time.min)
    end = datetime.combine(last, time.max)
    skipped = set(skipped)
    return [
        moment.date()
        for moment in parsed.between(begin, end, inc=True)
        if moment.date() not in skipped
    ]


def rule_first_date(rule: str, *, starts_on: date, start_time: time) -> date | None:
    """The first date the rule gives, or None when it gives none."""
    parsed = rule_parse(rule, starts_on=starts_on, start_time=start_time)
    moment = parsed.after(_start(starts_on, start_time) - timedelta(seconds=1), inc=True)
    return moment.date() if moment else None


def rule_has_date(rule: str, *, starts_on: date, start_time: time, day: date) -> bool:
    """Whether ``day`` is one of the rule's dates."""
    return bool(rule_dates(rule, starts_on=starts_on, start_time=start_time, first=day, last=day))


def occurrence_times(
    day: date, *, start_time: time, duration: timedelta, time_zone: str
) -> tuple[datetime, datetime]:
    """When the occurrence on ``day`` starts and ends, as aware datetimes.

    The start is ``start_time`` on the local wall clock of ``time_zone`` that day
    (09:00 in Oslo is 08:00 UTC in winter, 07:00 UTC in summer); the end is
    ``duration`` later in real time.
    """
    zone = ZoneInfo(time_zone)
    start = datetime.combine(day, start_time.replace(tzinfo=None)).replace(tzinfo=zone)
    # Through UTC, so that a duration across a change of clock is real time.
    start_utc = start.astimezone(UTC)
    return start_utc, start_utc + duration
