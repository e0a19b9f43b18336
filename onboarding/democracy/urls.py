"""Student democracy, mounted under the translated "student-democracy/" path
(/nb/studentdemokrati/, /en/student-democracy/).

Meetings, elections and representatives pages are Wagtail pages under their
body; these are the calendar, the forms and the calendar files, by id.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

import onboarding.http  # noqa: F401  (registers the <id:...> path converter)

from . import views

app_name = "democracy"

urlpatterns = [
    path(_("elections/"), views.elections_calendar, name="elections_calendar"),
    path(_("elections/calendar.ics"), views.elections_ics, name="elections_ics"),
    path(_("elections/<id:election_id>/stand/"), views.candidacy_new, name="candidacy_new"),
    path(_("meetings/<id:meeting_id>/calendar.ics"), views.meeting_ics, name="meeting_ics"),
    path(_("bodies/<id:unit_id>/"), views.body_meetings, name="body_meetings"),
    path(_("bodies/<id:unit_id>/meetings.ics"), views.body_meetings_ics, name="body_meetings_ics"),
    path(_("representatives/"), views.representatives, name="representatives"),
]
