"""The decision clock of a request to come home is the pre-approval cases' clock: working days
in Norway, paused while the request waits for the student, stopped by the decision."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from onboarding.approvals import clock
from onboarding.approvals.clock import TIME_ZONE, Light, WaitingFor
from onboarding.stays.models import ReturnStepKind
from onboarding.stays.selectors import returns as selectors
from onboarding.stays.selectors.returns import request_clock, request_clocks
from onboarding.stays.services.returns import (
    request_answer,
    request_ask,
    request_decide,
    request_withdraw,
)
from tests.onboarding.stays.factories import stay_make
from tests.onboarding.stays.returns_builders import ask, request_make


def at(year, month, day, hour=12, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TIME_ZONE)


def winter_stay(student):
    return stay_make(
        student, starts_on=datetime.date(2026, 11, 1), ends_on=datetime.date(2027, 1, 31)
    )


def reading(request, now):
    request.refresh_from_db()
    return request_clock(request, list(request.steps.order_by("at", "pk")), now=now)


def test_the_clock_is_the_approvals_clock_not_a_second_one():
    assert selectors.read is clock.read
    assert selectors.spans_from_changes is clock.spans_from_changes


def test_a_question_pauses_the_clock_until_the_answer(tree):
    student = tree["cs_student"]
    monday = at(2026, 12, 7, 9)
    request = ask(student, winter_stay(student), return_on=datetime.date(2026, 12, 20), now=monday)
    assert request.decision_days == 5
    request_ask(request=request, user=tree["it_editor"], text="When?", now=at(2026, 12, 8, 9))

    waiting = reading(request, at(2026, 12, 10, 9))
    assert (waiting.used, waiting.waiting_for, waiting.paused, waiting.due) == (
        1,
        WaitingFor.STUDENT,
        True,
        None,
    )

    request_answer(request=request, user=student, text="Friday.", now=at(2026, 12, 10, 9))
    running = reading(request, at(2026, 12, 11, 9))
    assert (running.used, running.waiting_for, running.paused) == (2, WaitingFor.ADVISER, False)
    # Three working days left from Friday 09:00: Friday, Monday, Tuesday; due Wednesday 09:00.
    assert running.due == at(2026, 12, 16, 9)


def test_the_due_date_skips_the_weekend_and_christmas(tree):
    stay = winter_stay(tree["cs_student"])
    sent = at(2026, 12, 23, 12)
    request = request_make(stay=stay, unit=tree["it"], submitted_at=sent, decision_days=2)

    fresh = reading(request, sent)

    # Wednesday afternoon and Christmas Eve; Christmas Day, Boxing Day and the weekend do not
    # count; the second day ends at Monday noon.
    assert fresh.due == at(2026, 12, 28, 12)
    assert fresh.light == Light.GREEN


def test_the_light_turns_amber_then_red(tree):
    stay = winter_stay(tree["cs_student"])
    request = request_make(stay=stay, unit=tree["it"], submitted_at=at(2026, 12, 7, 0))

    assert reading(request, at(2026, 12, 10, 0)).light == Light.GREEN  # 3 of 5
    assert reading(request, at(2026, 12, 11, 0)).light == Light.AMBER  # 4 of 5
    late = reading(request, at(2026, 12, 15, 0))  # 6 of 5
    assert (late.light, late.late, late.due) == (Light.RED, True, None)


def test_the_decision_stops_the_clock(tree):
    student = tree["cs_student"]
    request = ask(
        student, winter_stay(student), return_on=datetime.date(2026, 12, 20), now=at(2026, 12, 7, 9)
    )
    request_decide(
        request=request,
        user=tree["it_editor"],
        decision="approved",
        outcome="unchanged",
        now=at(2026, 12, 9, 9),
    )

    later = reading(request, at(2027, 1, 20, 9))
    assert (later.used, later.stopped, later.waiting_for, later.late) == (
        2,
        True,
        WaitingFor.NOBODY,
        False,
    )


def test_withdrawing_stops_the_clock(tree):
    student = tree["cs_student"]
    request = ask(
        student, winter_stay(student), return_on=datetime.date(2026, 12, 20), now=at(2026, 12, 7, 9)
    )
    request_withdraw(request=request, user=student, now=at(2026, 12, 8, 9))

    later = reading(request, at(2027, 1, 20, 9))
    assert (later.used, later.stopped) == (1, True)


def test_the_clocks_of_many_requests_cost_one_query(tree):
    stay = winter_stay(tree["cs_student"])
    requests = [
        request_make(
            stay=stay,
            unit=tree["it"],
            submitted_at=at(2026, 12, 7, 9),
            steps=[(at(2026, 12, 8, 9), ReturnStepKind.QUESTION, WaitingFor.STUDENT)],
        )
        for _n in range(6)
    ]

    with CaptureQueriesContext(connection) as queries:
        clocks = request_clocks(requests, now=at(2026, 12, 10, 9))

    assert len(queries) == 1
    assert {reading.used for reading in clocks.values()} == {1}
    assert all(reading.paused for reading in clocks.values())
