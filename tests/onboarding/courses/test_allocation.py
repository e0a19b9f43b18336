"""The allocation's min-cost flow: optimal against a brute force over every assignment."""

import itertools
import random

import pytest

from onboarding.courses.allocation import Applicant, allocate, objective


def brute_force(applicants, places):
    """The best objective over every assignment: each student to one choice or none."""
    options = [[None, *a.choices] for a in applicants]
    best = None
    for assignment in itertools.product(*options):
        used = {}
        for course in assignment:
            if course is not None:
                used[course] = used.get(course, 0) + 1
        if any(count > places.get(course, 0) for course, count in used.items()):
            continue
        placed = {a.key: c for a, c in zip(applicants, assignment, strict=True) if c is not None}
        key = objective(applicants, placed)
        if best is None or key > best:
            best = key
    return best


def random_round(rng, students, courses):
    places = {course: rng.randint(0, 2) for course in range(1, courses + 1)}
    applicants = [
        Applicant(
            key=100 + index,
            choices=tuple(rng.sample(sorted(places), rng.randint(1, min(3, courses)))),
        )
        for index in range(students)
    ]
    return applicants, places


@pytest.mark.parametrize("seed", range(60))
def test_the_flow_is_optimal_against_brute_force(seed):
    rng = random.Random(seed)
    applicants, places = random_round(rng, rng.randint(1, 6), rng.randint(1, 3))
    result = allocate(applicants, places)
    # Valid: capacities, one place each, only ranked courses.
    counts = {}
    for key, course in result.placed.items():
        counts[course] = counts.get(course, 0) + 1
        applicant = next(a for a in applicants if a.key == key)
        assert course in applicant.choices
        assert result.ranks[key] == applicant.choices.index(course) + 1
    assert all(count <= places[course] for course, count in counts.items())
    assert objective(applicants, result.placed) == brute_force(applicants, places)


def test_priority_decides_who_gets_the_last_place():
    applicants = [Applicant(1, (10,)), Applicant(2, (10,))]
    assert allocate(applicants, {10: 1}).placed == {1: 10}
    assert allocate(list(reversed(applicants)), {10: 1}).placed == {2: 10}


def test_a_later_student_gets_in_when_an_earlier_one_has_an_alternative():
    # The first ranks X then Y; the second wants only X: both get a place.
    applicants = [Applicant(1, (10, 20)), Applicant(2, (10,))]
    assert allocate(applicants, {10: 1, 20: 1}).placed == {1: 20, 2: 10}


def test_on_equal_preferences_the_earlier_student_gets_the_first_choice():
    applicants = [Applicant(1, (10, 20)), Applicant(2, (10, 20))]
    result = allocate(applicants, {10: 1, 20: 1})
    assert result.placed == {1: 10, 2: 20}
    assert result.ranks == {1: 1, 2: 2}


def test_most_first_choices():
    applicants = [Applicant(1, (10, 20)), Applicant(2, (20, 10)), Applicant(3, (10, 20))]
    result = allocate(applicants, {10: 1, 20: 1})
    assert result.placed == {1: 10, 2: 20}
    assert result.unplaced(applicants) == [3]


def test_courses_without_places_and_repeats_are_ignored():
    applicants = [Applicant(1, (30, 10, 10))]
    assert allocate(applicants, {10: 1, 30: 0}).placed == {1: 10}
    assert allocate([], {10: 1}).placed == {}


def test_a_large_round_runs_quickly():
    rng = random.Random(7)
    applicants, places = random_round(rng, 300, 6)
    places = dict.fromkeys(places, 30)
    result = allocate(applicants, places)
    assert len(result.placed) <= 180
