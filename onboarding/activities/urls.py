"""Events, mounted under the translated "events/" path (/nb/arrangementer/, /en/events/).

The event pages themselves are Wagtail pages under their units; these are
the listing, the person's own signups, tickets and calendars, and the
organisers' tools, addressed by the event's id.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

import onboarding.http  # noqa: F401  (registers the <id:...> path converter)

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path(_("mine/"), views.my_events, name="my_events"),
    path(_("mine/calendar/"), views.calendar_feed_create, name="calendar_feed_create"),
    path(_("mine/calendar/revoke/"), views.calendar_feed_revoke, name="calendar_feed_revoke"),
    path(_("calendar/<str:token>.ics"), views.calendar_feed, name="calendar_feed"),
    path(_("tickets/<str:code>/"), views.ticket, name="ticket"),
    path(_("organise/"), views.organiser_events, name="organiser_events"),
    path(
        _("organise/series/<id:series_id>/repeat/"),
        views.series_recurrence,
        name="series_recurrence",
    ),
    path("<id:event_id>/places.json", views.event_places, name="event_places"),
    path(_("<id:event_id>/signup/"), views.event_signup, name="signup"),
    path(_("<id:event_id>/cancel/"), views.event_cancel, name="cancel"),
    path(_("<id:event_id>/claim/"), views.event_claim, name="claim"),
    path(_("<id:event_id>/answers/"), views.event_answers, name="answers"),
    path(_("<id:event_id>/calendar.ics"), views.event_ics, name="event_ics"),
    path(_("<id:event_id>/attendees/"), views.attendees, name="attendees"),
    path(_("<id:event_id>/attendees.csv"), views.attendees_csv, name="attendees_csv"),
    path(_("<id:event_id>/check-in/"), views.checkin, name="checkin"),
    path(_("<id:event_id>/message/"), views.message, name="message"),
    path(_("<id:event_id>/cancel-event/"), views.cancel_event, name="cancel_event"),
    path(_("<id:event_id>/repeat/"), views.occurrence_recurrence, name="occurrence_recurrence"),
]
