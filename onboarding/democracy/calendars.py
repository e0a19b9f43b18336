"""Calendar files (RFC 5545) of meetings and elections.

Times are written in Europe/Oslo with a VTIMEZONE built by the icalendar
library from the time-zone database, so a calendar shows the right hour on
both sides of a daylight-saving change.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import ElectionPage, MeetingPage

PRODID = "-//Velkommen//Student democracy//EN"
# A meeting without an end time is taken to last this long.
MEETING_LENGTH = timedelta(hours=2)


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE))


def _absolute(base_url: str, path: str | None) -> str:
    return f"{base_url.rstrip('/')}{path}" if path and path.startswith("/") else path or ""


def _event(
    *, uid: str, start: datetime, end: datetime, summary: str, description: str, url: str
) -> Event:
    component = Event()
    component.add("uid", uid)
    component.add("dtstamp", timezone.now())
    component.add("dtstart", _local(start))
    component.add("dtend", _local(end))
    component.add("summary", summary)
    if url:
        description = f"{description}\n\n{url}".strip()
        component.add("url", url)
    component.add("description", strip_tags(description))
    return component


def meeting_event(meeting: MeetingPage, *, domain: str, base_url: str) -> Event:
    url = _absolute(base_url, meeting.get_url())
    description = meeting.intro or ""
    if meeting.online_url:
        description = f"{description}\n\n{_('Online link')}: {meeting.online_url}".strip()
    component = _event(
        uid=f"meeting-{meeting.pk}@{domain}",
        start=meeting.start_at,
        end=meeting.end_at or meeting.start_at + MEETING_LENGTH,
        summary=meeting.title,
        description=description,
        url=url,
    )
    if meeting.place:
        component.add("location", meeting.place)
    elif meeting.online_url:
        component.add("location", meeting.online_url)
    return component


def election_events(election: ElectionPage, *, domain: str, base_url: str) -> list[Event]:
    """Two events per election: the nomination period and the voting period."""
    url = _absolute(base_url, election.get_url())
    return [
        _event(
            uid=f"election-{election.pk}-nomination@{domain}",
            start=election.nomination_opens_at,
            end=election.nomination_closes_at,
            summary=_("Nominations: %(title)s") % {"title": election.title},
            description=election.intro,
            url=url,
        ),
        _event(
            uid=f"election-{election.pk}-voting@{domain}",
            start=election.voting_opens_at,
            end=election.voting_closes_at,
            summary=_("Voting: %(title)s") % {"title": election.title},
            description=election.intro,
            url=election.voting_url or url,
        ),
    ]


def _day(moment: datetime | date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _calendar(name: str, events: Iterable[Event]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    events = list(events)
    for component in events:
        calendar.add_component(component)
    if events:
        # A VTIMEZONE covering the events only, not every rule since 1970.
        starts = [component.decoded("dtstart") for component in events]
        ends = [component.decoded("dtend") for component in events]
        calendar.add_missing_timezones(
            first_date=_day(min(starts)) - timedelta(days=366),
            last_date=_day(max(ends)) + timedelta(days=366),
        )
    return calendar.to_ical()


def meeting_calendar(*, meeting: MeetingPage, domain: str, base_url: str, language: str) -> bytes:
    """The .ics file of one meeting, in ``language``."""
    with translation.override(language):
        return _calendar(meeting.title, [meeting_event(meeting, domain=domain, base_url=base_url)])


def body_calendar(
    *, body_title: str, meetings: Iterable[MeetingPage], domain: str, base_url: str, language: str
) -> bytes:
    """The feed of a body's meetings, in ``language``."""
    with translation.override(language):
        return _calendar(
            _("Meetings: %(body)s") % {"body": body_title},
            [meeting_event(m, domain=domain, base_url=base_url) for m in meetings],
        )


def elections_calendar_file(
    *, elections: Iterable[ElectionPage], domain: str, base_url: str, language: str
) -> bytes:
    """The dates of every election on the calendar, in ``language``."""
    with translation.override(language):
        events = [
            component
            for election in elections
            for component in election_events(election, domain=domain, base_url=base_url)
        ]
        return _calendar(_("Student democracy: elections"), events)
