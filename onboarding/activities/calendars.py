"""Calendar files (RFC 5545) for one event and for a person's subscription feed.

Times are written in Europe/Oslo with the VTIMEZONE the icalendar library
builds from the time-zone database, so a calendar app shows the right hour
on both sides of a daylight-saving change. The personal feed carries
reminders (VALARM) a day and an hour before each event.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

PRODID = "-//Velkommen//Events//EN"
REMINDERS = (timedelta(days=1), timedelta(hours=1))
FEED_REFRESH = timedelta(hours=1)


def _zone():
    return ZoneInfo(settings.TIME_ZONE)


def _uid(event, domain):
    return f"event-{event.pk}@{domain}"


def _absolute(base_url, path):
    return f"{base_url.rstrip('/')}{path}" if path and path.startswith("/") else path or ""


def _vevent(event, *, domain, base_url, status="CONFIRMED", reminders=()):
    zone = _zone()
    component = Event()
    component.add("uid", _uid(event, domain))
    component.add("dtstamp", timezone.now())
    component.add("dtstart", timezone.localtime(event.start_at, zone))
    component.add("dtend", timezone.localtime(event.end_at, zone))
    component.add("summary", event.title)
    url = _absolute(base_url, event.get_url())
    description = event.summary or ""
    if event.online_url:
        online = _("Online link")
        description = f"{description}\n\n{online}: {event.online_url}".strip()
    if url:
        description = f"{description}\n\n{url}".strip()
        component.add("url", url)
    component.add("description", strip_tags(description))
    if event.place_label:
        component.add("location", event.place_label)
    component.add("status", status)
    if event.last_published_at:
        component.add("last-modified", event.last_published_at)
    for before in reminders:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -before)
        alarm.add("description", _("Reminder: %(title)s") % {"title": event.title})
        component.add_component(alarm)
    return component


def _calendar(name, events):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for component in events:
        calendar.add_component(component)
    starts = [component.start for component in events]
    if starts:
        # A VTIMEZONE covering the events only, not every rule since 1970.
        first = min(starts).date() - timedelta(days=366)
        last = max(starts).date() + timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar


def event_calendar(*, event, domain, base_url, language, cancelled=False):
    """The .ics file of one event, in ``language``; returns bytes.

    A ``cancelled`` event is marked so (``STATUS:CANCELLED``): a calendar that
    imports it again drops the event or shows it as called off.
    """
    status = "CANCELLED" if cancelled else "CONFIRMED"
    with translation.override(language):
        component = _vevent(event, domain=domain, base_url=base_url, status=status)
        calendar = _calendar(event.title, [component])
        calendar.add("method", "PUBLISH")
        return calendar.to_ical()


def feed_calendar(*, signups, domain, base_url, language):
    """A person's subscription feed: every event they signed up to, with reminders; bytes.

    Waitlisted signups appear as tentative, without reminders.
    """
    with translation.override(language):
        components = [
            _vevent(
                signup.event,
                domain=domain,
                base_url=base_url,
                status="CONFIRMED" if signup.status == "confirmed" else "TENTATIVE",
                reminders=REMINDERS if signup.status == "confirmed" else (),
            )
            for signup in signups
        ]
        calendar = _calendar(_("Velkommen: my events"), components)
        calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", FEED_REFRESH)
        return calendar.to_ical()
