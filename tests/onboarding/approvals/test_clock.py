"""The response clock: working days in Norway, pauses, lights and deadlines."""

import datetime
from decimal import Decimal

import pytest

from onboarding.approvals.clock import (
    TIME_ZONE,
    Light,
    Span,
    WaitingFor,
    add_working_days,
    is_working_day,
    light_for,
    read,
    spans_from_changes,
    working_days_between,
)


def at(year, month, day, hour=12, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TIME_ZONE)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (datetime.date(2026, 12, 4), True),  # a Friday
        (datetime.date(2026, 12, 5), False),  # Saturday
        (datetime.date(2026, 12, 6), False),  # Sunday
        (datetime.date(2026, 12, 25), False),  # Christmas Day
        (datetime.date(2026, 12, 24), True),  # Christmas Eve is not a public holiday
        (datetime.date(2026, 4, 2), False),  # Maundy Thursday 2026
        (datetime.date(2026, 4, 3), False),  # Good Friday
        (datetime.date(2026, 4, 6), False),  # Easter Monday
        (datetime.date(2026, 4, 7), True),
        (datetime.date(2026, 5, 1), False),  # Labour Day
        (datetime.date(2026, 5, 14), False),  # Ascension Day 2026
        (datetime.date(2026, 5, 25), False),  # Whit Monday 2026
        (datetime.date(2027, 5, 17), False),  # Constitution Day on a Monday
    ],
)
def test_working_days_follow_norwegian_public_holidays(day, working):
    assert is_working_day(day) is working


def test_a_weekend_counts_nothing():
    assert working_days_between(at(2026, 12, 4, 0), at(2026, 12, 7, 0)) == 1  # only Friday
    assert working_days_between(at(2026, 12, 5, 9), at(2026, 12, 6, 18)) == 0


def test_easter_is_skipped():
    # Wednesday noon before Easter 2026 to Tuesday noon after it: Wednesday afternoon and
    # Tuesday morning; Maundy Thursday to Easter Monday are holidays or the weekend.
    assert working_days_between(at(2026, 4, 1), at(2026, 4, 7)) == 1


def test_parts_of_days_count_as_shares():
    assert working_days_between(at(2026, 12, 1, 6), at(2026, 12, 1, 18)) == Decimal("0.5")


def test_a_daylight_saving_change_counts_days_not_hours():
    # Clocks go forward on Sunday 29 March 2026 and back on Sunday 25 October 2026.
    assert working_days_between(at(2026, 3, 27), at(2026, 3, 30)) == 1
    assert working_days_between(at(2026, 10, 23), at(2026, 10, 26)) == 1
    # Across a week with the change: five working days, not 5 days ± an hour.
    assert working_days_between(at(2026, 3, 23, 0), at(2026, 3, 30, 0)) == 5


def test_adding_working_days_skips_weekends_and_holidays():
    assert add_working_days(at(2026, 12, 4), 1) == at(2026, 12, 7)  # Friday → Monday
    # Wednesday before Easter plus two working days: Tuesday noon is one, Wednesday noon two.
    assert add_working_days(at(2026, 4, 1), 2) == at(2026, 4, 8)
    # Into the spring change: Friday noon plus one day is Monday noon, local time.
    assert add_working_days(at(2026, 3, 27), 1) == at(2026, 3, 30)


def test_adding_and_counting_agree():
    start = at(2026, 12, 18, 15, 30)
    for days in (Decimal("0.25"), 1, 3, Decimal("7.5"), 20):
        end = add_working_days(start, days)
        assert working_days_between(start, end).quantize(Decimal("0.0001")) == Decimal(
            days
        ).quantize(Decimal("0.0001"))


def test_spans_merge_repeated_parties_and_close_at_until():
    changes = [
        (at(2026, 12, 1), WaitingFor.ADVISER),
        (at(2026, 12, 2), WaitingFor.ADVISER),
        (at(2026, 12, 3), WaitingFor.STUDENT),
        (at(2026, 12, 8), WaitingFor.ADVISER),
    ]
    spans = spans_from_changes(changes, until=at(2026, 12, 9))
    assert spans == [
        Span(at(2026, 12, 1), at(2026, 12, 3), WaitingFor.ADVISER),
        Span(at(2026, 12, 3), at(2026, 12, 8), WaitingFor.STUDENT),
        Span(at(2026, 12, 8), at(2026, 12, 9), WaitingFor.ADVISER),
    ]


def test_waiting_for_the_student_pauses_the_clock():
    spans = spans_from_changes(
        [
            (at(2026, 12, 1), WaitingFor.ADVISER),  # Tuesday
            (at(2026, 12, 2), WaitingFor.STUDENT),  # a question on Wednesday
            (at(2026, 12, 9), WaitingFor.ADVISER),  # answered a week later
        ]
    )
    reading = read(spans, promised=5, now=at(2026, 12, 10))
    assert reading.used == 2  # Tuesday–Wednesday and Wednesday–Thursday
    assert reading.waiting_for == WaitingFor.ADVISER
    assert reading.light == Light.GREEN
    assert reading.due == at(2026, 12, 15)  # three more working days from Thursday noon

    paused = read(spans, promised=5, now=at(2026, 12, 8))
    assert paused.used == 1
    assert paused.paused and paused.due is None
    assert paused.waiting_for == WaitingFor.STUDENT


def test_waiting_for_the_host_pauses_too():
    spans = spans_from_changes(
        [(at(2026, 12, 1), WaitingFor.ADVISER), (at(2026, 12, 2), WaitingFor.HOST)]
    )
    assert read(spans, promised=5, now=at(2027, 1, 20)).used == 1


def test_lights_turn_amber_then_red():
    assert light_for(used=Decimal("3.7"), promised=5) == Light.GREEN
    assert light_for(used=Decimal("3.75"), promised=5) == Light.AMBER
    assert light_for(used=Decimal(5), promised=5) == Light.AMBER
    assert light_for(used=Decimal("5.01"), promised=5) == Light.RED
    late = read(
        spans_from_changes([(at(2026, 12, 1), WaitingFor.ADVISER)]),
        promised=5,
        now=at(2026, 12, 14),
    )
    assert late.late and late.due is None and late.remaining < 0


def test_a_stopped_clock_reads_what_it_read_when_it_stopped():
    spans = spans_from_changes([(at(2026, 12, 1), WaitingFor.ADVISER)])
    reading = read(spans, promised=5, now=at(2027, 3, 1), stopped_at=at(2026, 12, 3))
    assert reading.used == 2
    assert reading.stopped and reading.due is None
    assert reading.light == Light.GREEN
