"""The response clock: working days used against a promise, paused while others hold the case.

A case (a pre-approval case, a change to a learning agreement, a request to
come home early) is always waiting for someone: the adviser, the student, the
host institution, or nobody (a draft, a decided case). Its recorded steps say
when that changed, so its history is a row of *spans*, each with whom it
waited for. Only the time the case waited for the promising party (the
adviser) counts against the promise; time waiting for the student or the host
institution pauses the clock.

Time is counted in working days in Norway: Monday to Friday, without the
public holidays of the ``holidays`` package (``onboarding.checklists.calendar``,
whose definition of a working day the checklists' deadlines use too) (Easter, Ascension, Whit Monday,
1 and 17 May, Christmas ...). Each working day counts as one, whatever its
length, so the days around a daylight-saving change count like any other: a
span from noon on a Friday to noon on the Monday after the clocks change is
one working day. Parts of a day count as that share of the day's own length.

Everything here is pure arithmetic over aware datetimes; the models record
the steps and ask this module what they add up to.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from onboarding.checklists.calendar import is_working_day

TIME_ZONE = zoneinfo.ZoneInfo("Europe/Oslo")
# The share of the promise after which a case shows amber.
AMBER_SHARE = Decimal("0.75")
# How far the clock looks ahead for a deadline before it gives up (a broken calendar).
MAX_DAYS_AHEAD = 3 * 366


class WaitingFor(models.TextChoices):
    """Whom a case waits for; only the adviser's time counts against the promise."""

    ADVISER = "adviser", _("the adviser")
    STUDENT = "student", _("the student")
    HOST = "host", _("the host institution")
    NOBODY = "nobody", _("nobody")


class Light(models.TextChoices):
    """How a clock stands against its promise."""

    GREEN = "green", _("on time")
    AMBER = "amber", _("soon due")
    RED = "red", _("late")


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=TIME_ZONE)


def _local_date(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(TIME_ZONE).date()


def working_days_between(start: datetime.datetime, end: datetime.datetime) -> Decimal:
    """The working days from ``start`` to ``end`` (aware datetimes), parts of days included."""
    if end <= start:
        return Decimal(0)
    total = Decimal(0)
    day = _local_date(start)
    last = _local_date(end)
    while day <= last:
        if is_working_day(day):
            begin = _day_start(day)
            finish = _day_start(day + datetime.timedelta(days=1))
            overlap = (min(end, finish) - max(start, begin)).total_seconds()
            if overlap > 0:
                length = (finish - begin).total_seconds()
                total += Decimal(overlap) / Decimal(length)
        day += datetime.timedelta(days=1)
    return total


def add_working_days(start: datetime.datetime, days: Decimal | int | float) -> datetime.datetime:
    """The moment ``days`` working days after ``start`` (skipping weekends and holidays)."""
    remaining = Decimal(str(days))
    moment = start.astimezone(TIME_ZONE)
    day = moment.date()
    for _step in range(MAX_DAYS_AHEAD):
        begin = _day_start(day)
        finish = _day_start(day + datetime.timedelta(days=1))
        if is_working_day(day):
            length = Decimal((finish - begin).total_seconds())
            available = Decimal((finish - max(moment, begin)).total_seconds()) / length
            if remaining <= available:
                offset = (remaining * length) + Decimal(
                    (max(moment, begin) - begin).total_seconds()
                )
                return begin + datetime.timedelta(seconds=float(offset))
            remaining -= available
        day += datetime.timedelta(days=1)
    raise ValueError("no deadline within three years")


@dataclass(frozen=True)
class Span:
    """A stretch of a case's life in which it waited for one party; ``end`` None is ongoing."""

    start: datetime.datetime
    end: datetime.datetime | None
    waiting_for: str


def spans_from_changes(
    changes: Iterable[tuple[datetime.datetime, str]], *, until: datetime.datetime | None = None
) -> list[Span]:
    """The spans of a row of (moment, waiting for from then on) changes, in time order.

    ``until`` closes the last span (a decided case); without it the last span is ongoing.
    Changes that do not change whom the case waits for are merged into one span.
    """
    ordered = sorted(changes, key=lambda change: change[0])
    spans: list[Span] = []
    for moment, waiting_for in ordered:
        if spans and spans[-1].waiting_for == waiting_for:
            continue
        if spans:
            spans[-1] = Span(spans[-1].start, moment, spans[-1].waiting_for)
        spans.append(Span(moment, None, waiting_for))
    if spans and until is not None:
        last = spans[-1]
        spans[-1] = Span(last.start, max(until, last.start), last.waiting_for)
    return spans


def _spans_until(spans: Sequence[Span], now: datetime.datetime) -> Iterator[Span]:
    for span in spans:
        if span.start >= now:
            break
        end = now if span.end is None or span.end > now else span.end
        yield Span(span.start, end, span.waiting_for)


def days_waiting(
    spans: Sequence[Span], *, now: datetime.datetime, party: str = WaitingFor.ADVISER
) -> Decimal:
    """The working days the case has waited for ``party`` up to ``now``."""
    return sum(
        (
            working_days_between(span.start, span.end)
            for span in _spans_until(spans, now)
            if span.waiting_for == party and span.end is not None
        ),
        Decimal(0),
    )


@dataclass(frozen=True)
class ClockReading:
    """How a clock stands at ``now``: days used of the promise, whom it waits for, the light."""

    promised: int
    used: Decimal
    waiting_for: str
    light: str
    due: datetime.datetime | None
    stopped: bool

    @property
    def remaining(self) -> Decimal:
        return Decimal(self.promised) - self.used

    @property
    def late(self) -> bool:
        return self.light == Light.RED

    @property
    def paused(self) -> bool:
        return not self.stopped and self.waiting_for != WaitingFor.ADVISER

    @property
    def used_display(self) -> Decimal:
        """Days used to one decimal, as pages show them."""
        return self.used.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def remaining_display(self) -> Decimal:
        return self.remaining.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def share(self) -> Decimal:
        """Used over promised (1 is due now), for sorting and bars."""
        if self.promised <= 0:
            return Decimal(1) if self.used > 0 else Decimal(0)
        return self.used / Decimal(self.promised)

    @property
    def percent(self) -> int:
        """The share used as a whole percentage capped at 100, for a bar's width."""
        return min(100, int(self.share * 100))


def light_for(*, used: Decimal, promised: int) -> str:
    if used > promised:
        return Light.RED
    if promised > 0 and used >= AMBER_SHARE * promised:
        return Light.AMBER
    return Light.GREEN


def read(
    spans: Sequence[Span],
    *,
    promised: int,
    now: datetime.datetime,
    stopped_at: datetime.datetime | None = None,
) -> ClockReading:
    """The reading of a clock with ``spans`` and a promise of ``promised`` working days.

    ``stopped_at`` is when the clock stopped (the first response came, the case was
    decided); from then on it reads what it read at that moment.
    """
    moment = min(now, stopped_at) if stopped_at is not None else now
    used = days_waiting(spans, now=moment)
    current = WaitingFor.NOBODY
    for span in spans:
        if span.start <= moment and (span.end is None or span.end > moment):
            current = span.waiting_for
    stopped = stopped_at is not None and stopped_at <= now
    due = None
    if not stopped and current == WaitingFor.ADVISER and used <= promised:
        due = add_working_days(moment, Decimal(promised) - used)
    return ClockReading(
        promised=promised,
        used=used,
        waiting_for=WaitingFor.NOBODY if stopped else current,
        light=light_for(used=used, promised=promised),
        due=due,
        stopped=stopped,
    )
