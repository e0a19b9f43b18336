"""Admin wiring: from an event in the page explorer to its attendees and its check-in page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from .models import EventPage


def _organiser_buttons(page, user, priority):
    if page.specific_class is not EventPage or not page.permissions_for_user(user).can_edit():
        return
    yield Button(
        _("Attendees"),
        reverse("activities:attendees", args=[page.pk]),
        icon_name="group",
        priority=priority,
    )
    yield Button(
        _("Check-in"),
        reverse("activities:checkin", args=[page.pk]),
        icon_name="tick",
        priority=priority + 1,
    )


@hooks.register("register_page_listing_more_buttons")
def event_listing_buttons(page, user, next_url=None):
    yield from _organiser_buttons(page, user, priority=55)


@hooks.register("register_page_header_buttons")
def event_header_buttons(page, user, view_name, next_url=None):
    yield from _organiser_buttons(page, user, priority=55)
