"""Calendar files parse back with icalendar and keep the right hour across daylight saving."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from onboarding.activities.calendars import event_calendar, feed_calendar
from onboarding.activities.selectors import feed_signups
from onboarding.activities.services import calendar_feed_create, signup_create
from tests.factories import UserFactory
from tests.onboarding.activities.factories import event_create

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")
# Summer time starts in Norway at 02:00 on 28 March 2027.
BEFORE_CHANGE = datetime(2027, 3, 27, 18, 0, tzinfo=OSLO)  # CET, 17:00 UTC
AFTER_CHANGE = datetime(2027, 3, 29, 18, 0, tzinfo=OSLO)  # CEST, 16:00 UTC


@pytest.fixture
def before(unit):
    return event_create(
        unit,
        title_nb="Før",
        title_en="Before",
        start_at=BEFORE_CHANGE,
        end_at=BEFORE_CHANGE + timedelta(hours=2),
        signup_opens_at=BEFORE_CHANGE - timedelta(days=700),
    )


@pytest.fixture
def after(unit):
    return event_create(
        unit,
        title_nb="Etter",
        title_en="After",
        start_at=AFTER_CHANGE,
        end_at=AFTER_CHANGE + timedelta(hours=2),
        online_url="https://video.example.org/room",
    )


def _events(ics):
    calendar = Calendar.from_ical(ics)
    return calendar, {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_an_event_file_is_valid_rfc_5545(before):
    calendar, events = _events(
        event_calendar(event=before, domain="example.org", base_url="https://x", language="en")
    )
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    event = events["Before"]
    for required in ("UID", "DTSTAMP", "DTSTART", "DTEND"):
        assert required in event
    assert str(event["UID"]) == f"event-{before.pk}@example.org"
    assert "https://x/en/" in str(event["URL"])


def test_times_are_local_with_their_zone_on_both_sides_of_the_change(before, after):
    _calendar, events = _events(
        feed_calendar(
            signups=[
                signup_create(
                    event=before, user=UserFactory(), now=BEFORE_CHANGE - timedelta(days=1)
                ),
                signup_create(
                    event=after, user=UserFactory(), now=AFTER_CHANGE - timedelta(days=1)
                ),
            ],
            domain="example.org",
            base_url="https://x",
            language="en",
        )
    )
    first, second = events["Before"].decoded("DTSTART"), events["After"].decoded("DTSTART")
    assert (first.hour, second.hour) == (18, 18)
    assert first.tzinfo.key == second.tzinfo.key == "Europe/Oslo"
    assert first.astimezone(UTC) == datetime(2027, 3, 27, 17, 0, tzinfo=UTC)
    assert second.astimezone(UTC) == datetime(2027, 3, 29, 16, 0, tzinfo=UTC)
    assert events["Before"].decoded("DTEND") - first == timedelta(hours=2)


def test_the_calendar_carries_the_oslo_time_zone_with_both_offsets(before, after):
    calendar, _events_by_title = _events(
        event_calendar(event=after, domain="example.org", base_url="https://x", language="en")
    )
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Oslo"
    assert zone.walk("STANDARD") and zone.walk("DAYLIGHT")
    assert calendar.get_missing_tzids() == set()


def test_the_feed_reminds_a_day_and_an_hour_before(before, student):
    signup_create(event=before, user=student, now=BEFORE_CHANGE - timedelta(days=1))
    _calendar, events = _events(
        feed_calendar(
            signups=feed_signups(user=student, now=BEFORE_CHANGE - timedelta(days=2)),
            domain="example.org",
            base_url="https://x",
            language="en",
        )
    )
    triggers = sorted(alarm.decoded("TRIGGER") for alarm in events["Before"].walk("VALARM"))
    assert triggers == [-timedelta(days=1), -timedelta(hours=1)]
    assert all(alarm["ACTION"] == "DISPLAY" for alarm in events["Before"].walk("VALARM"))


def test_a_waitlist_place_is_tentative_without_reminders(unit, students):
    event = event_create(unit, capacity=1, title_en="Tiny")
    first, second = students(2)
    signup_create(event=event, user=first)
    waiting = signup_create(event=event, user=second)
    _calendar, events = _events(
        feed_calendar(signups=[waiting], domain="example.org", base_url="https://x", language="en")
    )
    assert events["Tiny"]["STATUS"] == "TENTATIVE"
    assert events["Tiny"].walk("VALARM") == []


@pytest.mark.parametrize(("language", "title"), [("nb", "Etter"), ("en", "After")])
def test_the_feed_address_serves_the_owners_events_in_the_language(
    client, after, student, language, title
):
    signup_create(event=after, user=student)
    feed = calendar_feed_create(user=student)
    with translation.override(language):
        path = reverse("activities:calendar_feed", args=[feed.token])
    response = client.get(path)
    assert response["Content-Type"].startswith("text/calendar")
    _calendar, events = _events(response.content)
    assert list(events) == [title]
    assert "https://video.example.org/room" in str(events[title]["DESCRIPTION"])
