"""The arrival forecast: no figure under 5 is shown, directly or by difference."""

import datetime
import random
import re

import pytest
from django.urls import reverse
from django.utils import translation

from onboarding.accounts.models import StudentStatus
from onboarding.buddies.forecast import (
    SUPPRESS_BELOW,
    arrival_forecast,
    suppress,
    suppress_together,
    with_margins,
)
from tests.onboarding.buddies.factories import buddy_create, student_create
from tests.onboarding.courses.factories import student_create as profile_student_create


def lines(grid):
    height, width = len(grid), len(grid[0])
    return [[(i, j) for j in range(width)] for i in range(height)] + [
        [(i, j) for i in range(height)] for j in range(width)
    ]


def assert_protected(grid, hidden):
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            if 0 < value < SUPPRESS_BELOW:
                assert hidden[i][j], f"{value} at {(i, j)} is shown"
    for line in lines(grid):
        count = sum(hidden[i][j] for i, j in line)
        # A row or column (which adds up to its total) that hid one figure alone would give it
        # away by subtraction.
        assert count != 1, f"line {line} hides one figure only"


def random_grid(rng):
    height, width = rng.randint(1, 6), rng.randint(1, 5)
    return with_margins(
        [
            [rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 14, 30]) for _ in range(width)]
            for _ in range(height)
        ]
    )


@pytest.mark.parametrize("seed", range(300))
def test_no_small_figure_is_shown_directly_or_by_difference(seed):
    grid = random_grid(random.Random(seed))
    assert_protected(grid, suppress(grid))


def test_the_complement_of_a_lone_small_cell_is_hidden_too():
    grid = with_margins([[3, 12, 20], [7, 8, 9]])
    hidden = suppress(grid)
    assert hidden[0][0]
    # Row 0 would give the 3 away (35 - 12 - 20): its smallest other figure, 12, goes too,
    # and then column 0 and column 1 each need a second hidden figure.
    assert hidden[0][1]
    assert sum(hidden[i][0] for i in range(3)) >= 2 and sum(hidden[i][1] for i in range(3)) >= 2
    assert_protected(grid, hidden)


def test_zeros_and_large_figures_alone_hide_nothing():
    grid = with_margins([[0, 12], [7, 0]])
    assert not any(any(row) for row in suppress(grid))


@pytest.mark.parametrize("seed", range(100))
def test_tables_that_share_their_totals_hide_the_same_totals(seed):
    rng = random.Random(seed)
    weeks = rng.randint(1, 6)
    by_a = [[rng.choice([0, 2, 6, 11]) for _ in range(3)] for _ in range(weeks)]
    # A second breakdown of the same weekly totals: one column per week's total.
    by_b = [[sum(row) - sum(row) // 2, sum(row) // 2] for row in by_a]
    grid_a, grid_b = with_margins(by_a), with_margins(by_b)
    hidden_a, hidden_b = suppress_together([grid_a, grid_b])
    assert [row[-1] for row in hidden_a] == [row[-1] for row in hidden_b]
    assert_protected(grid_a, hidden_a)
    assert_protected(grid_b, hidden_b)


def test_the_forecast_counts_each_person_once_and_suppresses(round, tree):
    week = datetime.date(2026, 8, 10)
    for _n in range(6):
        profile_student_create(
            status=StudentStatus.INCOMING_EXCHANGE, faculty=tree["faculty_a"], arrival=week
        )
    for _n in range(2):
        profile_student_create(status=StudentStatus.PHD, faculty=tree["faculty_b"], arrival=week)
    # Asked for a buddy too: still one arrival.
    twice = profile_student_create(
        faculty=tree["faculty_a"], arrival=week + datetime.timedelta(days=1)
    )
    student_create(round, user=twice, faculty=tree["faculty_a"], available_on=week)
    buddy_create(round, capacity=3)
    report = arrival_forecast(round=round)
    assert report.expected.value == 9 and not report.expected.hidden
    assert (report.requests, report.places) == (1, 3)
    row = next(r for r in report.by_faculty.rows if r.total.value)
    shown = [cell.shown for cell in row.cells]
    assert 7 not in shown and 2 not in shown  # the 2 is small, so the 7 beside it goes too


def test_the_forecast_page_shows_no_small_figure(client, round, tree, other_editor):
    week = datetime.date(2026, 8, 3)
    for _n in range(3):
        profile_student_create(faculty=tree["faculty_a"], arrival=week)
    for _n in range(8):
        profile_student_create(faculty=tree["faculty_b"], arrival=week + datetime.timedelta(days=7))
    client.force_login(other_editor)
    with translation.override("nb"):
        page = client.get(
            reverse("buddies:forecast", kwargs={"round_id": round.pk})
        ).content.decode()
    cells = re.findall(r"<td>([^<]*)</td>", page)
    assert cells and all(cell in ("*", "0") or int(cell) >= SUPPRESS_BELOW for cell in cells)
    assert "<svg" in page and "<desc" in page
