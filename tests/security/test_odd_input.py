"""What the fuzz tests found, each pinned by an example: dates at the ends of the calendar.

A student's arrival date of 0001-01-01 was saved, and then their arrival
plan and every coordinator's progress pages failed (a plan's dates are days
before and after arrival); a date filter of 9999-12-31 on the events listing
failed the same way. Both are now refused with a message, in both languages.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from onboarding.accounts.models import StudentProfile

pytestmark = pytest.mark.django_db


def _url(name, language):
    with translation.override(language):
        return reverse(name)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Give a date between the years 1950 and 2100."),
        ("nb", "Oppgi en dato mellom årene 1950 og 2100."),
    ],
)
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_an_arrival_date_out_of_range_is_refused_and_nothing_is_saved(
    client, world, language, message, day
):
    student = world["student"]
    client.force_login(student)
    data = {
        "status": "incoming_exchange",
        "faculty": world["faculty_a"].pk,
        "arrival_date": day,
        "language": language,
        "norwegian_level": "none",
    }
    response = client.post(_url("profile_edit", language), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    profile = StudentProfile.objects.get(user=student)
    assert profile.arrival_date == datetime.date(2026, 8, 10)
    assert client.get(_url("arrival_plan", language)).status_code == 200


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Give a date between the years 1950 and 2100."),
        ("nb", "Oppgi en dato mellom årene 1950 og 2100."),
    ],
)
@pytest.mark.parametrize(("field", "day"), [("date_from", "0001-01-01"), ("date_to", "9999-12-31")])
def test_an_event_date_filter_out_of_range_is_a_form_error(client, language, message, field, day):
    with translation.override(language):
        address = reverse("activities:event_list")
    response = client.get(address, {field: day})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_dates_inside_the_range_still_filter(client):
    response = client.get(
        reverse("activities:event_list"), {"date_from": "1950-01-01", "date_to": "2100-12-31"}
    )
    assert response.status_code == 200
