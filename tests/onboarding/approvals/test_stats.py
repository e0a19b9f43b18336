"""A unit's response times: medians and 90th percentiles from the recorded steps, in working days
while the case waited for the adviser, over the current month and the 11 before it."""

import datetime
from decimal import Decimal

import pytest

from onboarding.approvals.clock import TIME_ZONE, WaitingFor
from onboarding.approvals.models import CaseStatus, PreApprovalCase, StepKind
from onboarding.approvals.selectors.stats import (
    Measure,
    response_times,
    response_times_list,
    units_with_cases,
    window_start,
)
from tests.onboarding.approvals.factories import case_make

ADVISER, STUDENT, NOBODY = WaitingFor.ADVISER, WaitingFor.STUDENT, WaitingFor.NOBODY
# Monday 30 November 2026, noon in Oslo: the window runs from 1 December 2025.
NOW = datetime.datetime(2026, 11, 30, 12, tzinfo=TIME_ZONE)


def at(year, month, day, hour=12, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TIME_ZONE)


def make(tree, submitted, steps, unit="cs", **kw):
    values = {
        "student": tree["student"],
        "agreement": tree["tum_agreement"] if unit == "cs" else tree["ku_agreement"],
        "unit": tree[unit],
        "submitted_at": submitted,
        "steps": steps,
    }
    return case_make(**{**values, **kw})


@pytest.fixture
def cases(tree):
    """Four cases of Computer Science answered or decided in the window, one long before it,
    and one of the Health faculty."""
    made = {
        # A question on Wednesday pauses the clock until the answer on Monday:
        # first response 2 working days, decision 2 + 1 = 3.
        "a": make(
            tree,
            at(2026, 3, 2, 9),
            [
                (at(2026, 3, 4, 9), StepKind.QUESTION, STUDENT),
                (at(2026, 3, 9, 9), StepKind.ANSWER, ADVISER),
                (at(2026, 3, 10, 9), StepKind.DECIDED, NOBODY),
            ],
            first_response_days=1,
        ),
        # Friday noon to Monday noon is one working day; to the Friday after, five.
        "b": make(
            tree,
            at(2026, 3, 6),
            [
                (at(2026, 3, 9), StepKind.COMMENT, ADVISER),
                (at(2026, 3, 13), StepKind.DECIDED, NOBODY),
            ],
            decision_days=4,
        ),
        # Across Easter 2026 (Maundy Thursday to Easter Monday): 1 working day, then 2.
        "c": make(
            tree,
            at(2026, 4, 1),
            [
                (at(2026, 4, 7), StepKind.LINE_DECIDED, ADVISER),
                (at(2026, 4, 8), StepKind.DECIDED, NOBODY),
            ],
        ),
        # Answered in November 2025, before the window; decided on 1 December 2025, inside it.
        "e": make(
            tree,
            at(2025, 11, 24),
            [
                (at(2025, 11, 27), StepKind.COMMENT, ADVISER),
                (at(2025, 12, 1), StepKind.DECIDED, NOBODY),
            ],
        ),
        # Long before the window.
        "d": make(
            tree,
            at(2025, 10, 1),
            [
                (at(2025, 10, 2), StepKind.COMMENT, ADVISER),
                (at(2025, 10, 20), StepKind.DECIDED, NOBODY),
            ],
        ),
        "health": make(
            tree,
            at(2026, 3, 2),
            [(at(2026, 3, 3), StepKind.DECIDED, NOBODY)],
            unit="health",
        ),
    }
    return made


def test_the_window_is_this_month_and_the_eleven_before_it():
    assert window_start(NOW) == at(2025, 12, 1, 0)
    assert window_start(at(2026, 1, 1, 0, 30)) == at(2025, 2, 1, 0)
    assert window_start(NOW, months=1) == at(2026, 11, 1, 0)


def test_medians_and_90th_percentiles_from_the_steps(tree, cases):
    stats = response_times(unit=tree["cs"], now=NOW)

    assert stats.cases == 4
    # First responses: a 2, b 1, c 1 (e's came before the window).
    first = stats.first_response
    assert (first.count, first.median, first.p90) == (3, Decimal(1), Decimal("1.8"))
    # Decisions: a 3, b 5, c 2, e 5.
    decision = stats.decision
    assert (decision.count, decision.median, decision.p90) == (4, Decimal(4), Decimal(5))


def test_the_share_within_the_promise_uses_each_case_s_own_promise(tree, cases):
    stats = response_times(unit=tree["cs"], now=NOW)

    # a was promised a first response within 1 working day and took 2.
    assert (stats.first_response.within, stats.first_response.percent_within) == (2, 67)
    # b was promised a decision within 4 and took 5.
    assert (stats.decision.within, stats.decision.percent_within) == (3, 75)


def test_the_monthly_medians(tree, cases):
    stats = response_times(unit=tree["cs"], now=NOW)

    assert len(stats.months) == 12
    assert [month.start for month in stats.months][:2] == [
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
    ]
    by_month = {month.start: month for month in stats.months}
    december, march, april = (
        by_month[datetime.date(2025, 12, 1)],
        by_month[datetime.date(2026, 3, 1)],
        by_month[datetime.date(2026, 4, 1)],
    )
    assert (december.first_response.count, december.decision.median) == (0, Decimal(5))
    assert (march.first_response.median, march.first_response.count) == (Decimal("1.5"), 2)
    assert (march.decision.median, march.decision.count) == (Decimal(4), 2)
    assert (april.first_response.median, april.decision.median) == (Decimal(1), Decimal(2))
    assert by_month[datetime.date(2026, 11, 1)].decision.count == 0


def test_the_figures_come_from_the_steps_not_from_the_case_s_own_fields(tree, cases):
    PreApprovalCase.objects.update(first_response_at=None, decided_at=None)

    stats = response_times(unit=tree["cs"], now=NOW)

    assert (stats.first_response.count, stats.decision.count) == (3, 4)
    assert stats.decision.median == Decimal(4)


def test_the_edges_of_the_window(tree):
    # Answered half an hour before the window opened: left out; half an hour after: counted.
    make(tree, at(2025, 11, 28), [(at(2025, 11, 30, 23, 30), StepKind.COMMENT, ADVISER)])
    make(tree, at(2025, 11, 28), [(at(2025, 12, 1, 0, 30), StepKind.COMMENT, ADVISER)])
    # Decided this morning: counted. Answered after ``now``: not yet.
    make(tree, at(2026, 11, 27), [(at(2026, 11, 30, 9), StepKind.DECIDED, NOBODY)])
    make(tree, at(2026, 11, 27), [(at(2026, 11, 30, 13), StepKind.COMMENT, ADVISER)])

    stats = response_times(unit=tree["cs"], now=NOW)

    assert (stats.cases, stats.first_response.count, stats.decision.count) == (2, 2, 1)
    # Friday noon to Monday 9:00: half of Friday and 9/24 of Monday.
    assert stats.decision.median == Decimal("0.875")


def test_a_withdrawn_case_counts_for_its_first_response_only(tree):
    make(
        tree,
        at(2026, 6, 1),
        [
            (at(2026, 6, 2), StepKind.QUESTION, STUDENT),
            (at(2026, 6, 10), StepKind.WITHDRAWN, NOBODY),
        ],
        status=CaseStatus.WITHDRAWN,
    )

    stats = response_times(unit=tree["cs"], now=NOW)

    assert (stats.first_response.count, stats.first_response.median) == (1, Decimal(1))
    assert stats.decision.count == 0


def test_a_unit_without_cases_has_its_promise_and_no_figures(tree):
    stats = response_times(unit=tree["health"], now=NOW)

    assert not stats.has_figures
    assert (stats.first_response.count, stats.first_response.median) == (0, None)
    assert stats.first_response.percent_within is None
    assert (stats.first_response_days, stats.decision_days, stats.promise_set) == (5, 15, False)


def test_one_case_is_its_own_median_and_90th_percentile():
    measure = Measure.of([Decimal("2.5")], within=1)

    assert (measure.median, measure.p90, measure.percent_within) == (
        Decimal("2.5"),
        Decimal("2.5"),
        100,
    )


def test_the_90th_percentile_lies_between_the_fastest_and_the_slowest():
    measure = Measure.of([Decimal(day) for day in range(1, 11)], within=10)

    assert measure.median == Decimal("5.5")
    assert measure.p90 == Decimal("9.1")
    assert measure.p90_display == Decimal("9.1")


def _many(tree, count):
    for day in range(count):
        start = at(2026, 2, 2) + datetime.timedelta(days=day % 20)
        make(
            tree,
            start,
            [
                (start + datetime.timedelta(hours=30), StepKind.QUESTION, STUDENT),
                (start + datetime.timedelta(days=3), StepKind.ANSWER, ADVISER),
                (start + datetime.timedelta(days=5), StepKind.DECIDED, NOBODY),
            ],
            unit="cs" if day % 2 else "health",
        )


@pytest.mark.parametrize("count", [5, 50])
def test_the_figures_of_any_number_of_cases_and_units_take_three_queries(
    tree, django_assert_num_queries, count
):
    _many(tree, count)
    units = [tree["cs"], tree["health"], tree["it"]]

    with django_assert_num_queries(3):
        stats = response_times_list(units=units, now=NOW)

    assert sum(one.cases for one in stats) == count
    assert [one.unit for one in stats] == units


def test_the_index_lists_the_units_that_have_had_cases(tree, cases):
    make(tree, None, [], unit="health")  # a draft to another unit does not count
    case_make(student=tree["student"], agreement=tree["kth_agreement"], unit=tree["it"])

    assert set(units_with_cases()) == {tree["cs"], tree["health"]}
