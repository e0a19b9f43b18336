"""Calendar files and the elections calendar across Oslo's daylight-saving changes.

In 2027 Oslo moves to summer time on Sunday 28 March (02:00 becomes 03:00) and back to
winter time on Sunday 31 October (03:00 becomes 02:00).
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from tests.onboarding.democracy.builders import election_make, meeting_make

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def _events(content):
    calendar = Calendar.from_ical(content)
    return calendar, list(calendar.walk("VEVENT"))


def _get(client, name, language, **kwargs):
    with translation.override(language):
        path = reverse(name, kwargs=kwargs or None)
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return response.content


@pytest.mark.parametrize(
    ("local", "utc_hour"),
    [
        (datetime(2027, 3, 27, 18, 0), 17),  # the Saturday before: winter time, UTC+1
        (datetime(2027, 3, 28, 18, 0), 16),  # the Sunday of the change: summer time, UTC+2
        (datetime(2027, 10, 30, 18, 0), 16),  # the Saturday before: summer time
        (datetime(2027, 10, 31, 18, 0), 17),  # the Sunday of the change: winter time
    ],
)
def test_a_meeting_ics_keeps_the_oslo_hour_on_both_sides_of_the_change(
    client, tree, local, utc_hour
):
    meeting = meeting_make(tree["parliament"], start_at=local.replace(tzinfo=OSLO))
    calendar, (event,) = _events(_get(client, "democracy:meeting_ics", "en", meeting_id=meeting.pk))
    start = event.decoded("dtstart")
    assert event["dtstart"].params["TZID"] == "Europe/Oslo"
    assert (start.hour, start.minute) == (18, 0)
    assert start.astimezone(UTC).hour == utc_hour
    # The VTIMEZONE says when the change happens, so a calendar app can place the hour.
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Oslo"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}


def test_a_body_feed_lists_its_meetings_on_both_sides(client, tree):
    before = meeting_make(tree["council_a"], start_at=datetime(2027, 3, 27, 18, tzinfo=OSLO))
    after = meeting_make(tree["council_a"], start_at=datetime(2027, 3, 28, 18, tzinfo=OSLO))
    meeting_make(tree["parliament"], start_at=datetime(2027, 3, 28, 12, tzinfo=OSLO))
    _calendar, events = _events(
        _get(client, "democracy:body_meetings_ics", "nb", unit_id=tree["council_a"].pk)
    )
    starts = sorted(e.decoded("dtstart").astimezone(UTC) for e in events)
    assert starts == [before.start_at.astimezone(UTC), after.start_at.astimezone(UTC)]
    assert starts[1] - starts[0] == timedelta(hours=23)  # the night is an hour short
    titles = {str(e["summary"]) for e in events}
    assert titles == {before.title_nb, after.title_nb}


def test_the_elections_ics_at_the_october_change(client, tree, settings):
    # Nominations from Saturday 20:00 (summer time) to Sunday 20:00 (winter time): 25 hours.
    opens = datetime(2027, 10, 30, 20, 0, tzinfo=OSLO)
    closes = datetime(2027, 10, 31, 20, 0, tzinfo=OSLO)
    election = election_make(
        tree["council_a"],
        opens=opens,
        closes=closes,
        voting_opens=datetime(2027, 11, 1, 9, tzinfo=OSLO),
        voting_closes=datetime(2027, 11, 5, 15, tzinfo=OSLO),
    )
    content = _get(client, "democracy:elections_ics", "en")
    _calendar, events = _events(content)
    nomination = next(e for e in events if "nomination" in str(e["uid"]))
    start, end = nomination.decoded("dtstart"), nomination.decoded("dtend")
    assert (start.hour, end.hour) == (20, 20)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=25)
    assert str(nomination["summary"]) == f"Nominations: {election.title_en}"
    voting = next(e for e in events if "voting" in str(e["uid"]))
    assert str(voting["url"]) == "https://valg.example.org/"
    # In Norwegian the same file speaks Norwegian.
    _calendar, events = _events(_get(client, "democracy:elections_ics", "nb"))
    assert {str(e["summary"]) for e in events} >= {f"Nominasjon: {election.title_nb}"}


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_elections_calendar_shows_oslo_hours_at_the_march_change(
    client, tree, language, monkeypatch
):
    now = datetime(2027, 3, 27, 12, tzinfo=OSLO)
    monkeypatch.setattr(timezone, "now", lambda: now)
    # Nominations close on the Sunday of the change at 12:00 summer time (10:00 UTC).
    election = election_make(
        tree["parliament"],
        opens=datetime(2027, 3, 20, 12, tzinfo=OSLO),
        closes=datetime(2027, 3, 28, 12, tzinfo=OSLO),
        voting_opens=datetime(2027, 3, 29, 9, tzinfo=OSLO),
        voting_closes=datetime(2027, 4, 2, 15, tzinfo=OSLO),
    )
    with translation.override(language):
        path = reverse("democracy:elections_calendar")
    content = client.get(path).content.decode()
    title = election.title_nb if language == "nb" else election.title_en
    assert title in content
    assert 'datetime="2027-03-28T12:00:00+02:00"' in content
    assert 'datetime="2027-03-20T12:00:00+01:00"' in content
    expected = "Nominasjonen er åpen" if language == "nb" else "Nominations are open"
    assert expected in content
