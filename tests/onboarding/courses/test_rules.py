"""Who may take a course: status, length of stay and prerequisites (the rules on unsaved objects)."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import translation

from onboarding.courses.models import NorwegianCoursePage
from onboarding.courses.rules import (
    course_refusal,
    eligibility_refusal,
    prerequisite_refusal,
    stay_months,
)

# An unsaved page still looks up its content type.
pytestmark = pytest.mark.django_db

AUGUST_10 = datetime.date(2026, 8, 10)


def course(**fields):
    values = {"level_from": "A2", "level_to": "A2", "allowed_statuses": [], **fields}
    return NorwegianCoursePage(**values)


def profile(status="incoming_exchange", arrival=AUGUST_10, departure=None):
    return SimpleNamespace(status=status, arrival_date=arrival, departure_date=departure)


def months_later(months, days=0):
    month = AUGUST_10.month - 1 + months
    return datetime.date(AUGUST_10.year + month // 12, month % 12 + 1, 10) + datetime.timedelta(
        days=days
    )


# --- Length of stay -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("departure", "months"),
    [
        (datetime.date(2026, 12, 9), 3),
        (datetime.date(2026, 12, 10), 4),
        (datetime.date(2027, 6, 9), 9),
        (datetime.date(2027, 6, 10), 10),
        (AUGUST_10, 0),
    ],
)
def test_stay_counts_whole_calendar_months(departure, months):
    assert stay_months(AUGUST_10, departure) == months


# --- Status -------------------------------------------------------------------------------


def test_a_course_without_statuses_admits_every_status():
    assert eligibility_refusal(course=course(), profile=profile(status="buddy")) is None


def test_a_listed_status_is_admitted():
    restricted = course(allowed_statuses=["incoming_exchange"])

    assert eligibility_refusal(course=restricted, profile=profile("incoming_exchange")) is None


@pytest.mark.parametrize("status", ["international_degree", "phd", "outgoing"])
def test_an_unlisted_status_is_refused(status):
    restricted = course(allowed_statuses=["incoming_exchange"])

    with translation.override("en"):
        refusal = eligibility_refusal(course=restricted, profile=profile(status))

    assert refusal.code == "status_not_admitted"
    assert "Incoming exchange student" in refusal.message


def test_without_a_profile_the_student_is_asked_to_fill_it_in():
    refusal = eligibility_refusal(course=course(), profile=None)

    assert refusal.code == "no_profile"


# --- Minimum stay -------------------------------------------------------------------------


def test_a_stay_of_exactly_the_minimum_is_admitted():
    long_course = course(min_stay_months=9)

    refusal = eligibility_refusal(course=long_course, profile=profile(departure=months_later(9)))

    assert refusal is None


def test_a_stay_one_day_short_of_the_minimum_is_refused():
    long_course = course(min_stay_months=9)

    with translation.override("en"):
        refusal = eligibility_refusal(
            course=long_course, profile=profile(departure=months_later(9, days=-1))
        )

    assert refusal.code == "stay_too_short"
    assert "9 months" in refusal.message and "8 months" in refusal.message


def test_a_one_semester_exchange_student_cannot_take_the_year_course():
    long_course = course(min_stay_months=9)

    refusal = eligibility_refusal(
        course=long_course, profile=profile(departure=datetime.date(2026, 12, 20))
    )

    assert refusal.code == "stay_too_short"


# --- Maximum stay -------------------------------------------------------------------------


def test_a_one_semester_exchange_student_may_take_the_short_course():
    short_course = course(max_stay_months=6, allowed_statuses=["incoming_exchange"])

    refusal = eligibility_refusal(
        course=short_course, profile=profile(departure=datetime.date(2026, 12, 20))
    )

    assert refusal is None


def test_a_stay_of_exactly_the_maximum_is_admitted():
    short_course = course(max_stay_months=6)

    assert (
        eligibility_refusal(course=short_course, profile=profile(departure=months_later(6))) is None
    )


def test_a_stay_one_month_over_the_maximum_is_refused():
    short_course = course(max_stay_months=6)

    refusal = eligibility_refusal(course=short_course, profile=profile(departure=months_later(7)))

    assert refusal.code == "stay_too_long"


# --- Stays without a departure date -------------------------------------------------------


@pytest.mark.parametrize("status", ["international_degree", "phd"])
def test_a_degree_or_phd_stay_without_departure_is_long_enough_for_any_minimum(status):
    long_course = course(min_stay_months=9)

    assert eligibility_refusal(course=long_course, profile=profile(status=status)) is None


def test_a_degree_stay_without_departure_is_too_long_for_a_short_course():
    short_course = course(max_stay_months=6)

    refusal = eligibility_refusal(course=short_course, profile=profile("international_degree"))

    assert refusal.code == "stay_too_long"


def test_an_exchange_stay_without_departure_must_be_given_for_a_stay_limit():
    long_course = course(min_stay_months=9)

    refusal = eligibility_refusal(course=long_course, profile=profile("incoming_exchange"))

    assert refusal.code == "stay_unknown"


def test_a_missing_arrival_date_must_be_given_for_a_stay_limit():
    long_course = course(min_stay_months=9)

    refusal = eligibility_refusal(
        course=long_course, profile=profile("international_degree", arrival=None)
    )

    assert refusal.code == "stay_unknown"


def test_without_a_stay_limit_the_dates_do_not_matter():
    assert eligibility_refusal(course=course(), profile=profile(arrival=None)) is None


# --- Prerequisites ------------------------------------------------------------------------


def test_a_course_without_a_prerequisite_needs_nothing():
    assert prerequisite_refusal(course=course(prerequisite_level="")) is None


def test_the_prerequisite_is_missing_without_placement_or_passed_course():
    refusal = prerequisite_refusal(course=course(prerequisite_level="A1"))

    assert refusal.code == "prerequisite_missing"
    assert "A1" in refusal.message


@pytest.mark.parametrize("placement", ["A1", "A2", "C1"])
def test_a_placement_at_or_above_the_required_level_meets_it(placement):
    refusal = prerequisite_refusal(
        course=course(prerequisite_level="A1"), placement_level=placement
    )

    assert refusal is None


def test_a_placement_below_the_required_level_does_not_meet_it():
    refusal = prerequisite_refusal(
        course=course(level_from="B1", level_to="B1", prerequisite_level="A2"),
        placement_level="A1",
    )

    assert refusal.code == "prerequisite_missing"


def test_a_passed_course_reaching_the_required_level_meets_it():
    refusal = prerequisite_refusal(
        course=course(level_from="B1", level_to="B1", prerequisite_level="A2"), passed_level="A2"
    )

    assert refusal is None


def test_a_passed_lower_course_does_not_meet_a_higher_prerequisite():
    refusal = prerequisite_refusal(
        course=course(level_from="B1", level_to="B1", prerequisite_level="A2"), passed_level="A1"
    )

    assert refusal.code == "prerequisite_missing"


def test_eligibility_is_checked_before_the_prerequisite():
    refusal = course_refusal(
        course=course(prerequisite_level="A1", allowed_statuses=["phd"]),
        profile=profile("incoming_exchange"),
    )

    assert refusal.code == "status_not_admitted"


# --- Which courses fit a level ------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "fits"),
    [("none", False), ("A1", True), ("A2", False), ("B1", False)],
)
def test_a_course_fits_the_level_it_teaches_next(level, fits):
    assert course(level_from="A2", level_to="A2").fits_level(level) is fits


def test_a_course_spanning_two_levels_fits_both_starting_points():
    spanning = course(level_from="A1", level_to="A2")

    assert spanning.fits_level("none") and spanning.fits_level("A1")
    assert not spanning.fits_level("A2")
