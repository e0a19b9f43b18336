"""Admin wiring: from an event in the page explorer to its organiser pages, and a guard that
an event people are signed up to is cancelled (so they are told) before it is hidden or deleted.
"""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.widgets import Button

from . import selectors
from .admin_guard import PeopleGuard, guard_register
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
    yield Button(
        _("Cancel event"),
        reverse("activities:cancel_event", args=[page.pk]),
        icon_name="cross",
        priority=priority + 2,
    )


@hooks.register("register_page_listing_more_buttons")
def event_listing_buttons(page, user, next_url=None):
    yield from _organiser_buttons(page, user, priority=55)


@hooks.register("register_page_header_buttons")
def event_header_buttons(page, user, view_name, next_url=None):
    yield from _organiser_buttons(page, user, priority=55)


# --- Events with people signed up are cancelled, not hidden --------------------------------


def _alone(title, count):
    return ngettext(
        "“%(title)s” has %(count)s person with a place or on the waitlist. Cancel the event "
        "first, which tells them; then it can be unpublished or deleted.",
        "“%(title)s” has %(count)s people with a place or on the waitlist. Cancel the event "
        "first, which tells them; then it can be unpublished or deleted.",
        count,
    ) % {"title": title, "count": count}


def _under(count, title, listing):
    return ngettext(
        "%(count)s coming event under “%(title)s” has people with a place or on the "
        "waitlist: %(events)s. Cancel it first, which tells them.",
        "%(count)s coming events under “%(title)s” have people with a place or on the "
        "waitlist: %(events)s. Cancel them first, which tells them.",
        count,
    ) % {"count": count, "title": title, "events": listing}


guard_register(
    PeopleGuard(
        with_people=selectors.events_with_people,
        when=lambda event: formats.date_format(
            timezone.localtime(event.start_at), "SHORT_DATETIME_FORMAT"
        ),
        cancel_url=lambda event: reverse("activities:cancel_event", args=[event.pk]),
        cancel_label=_("Cancel event"),
        alone=_alone,
        under=_under,
    )
)
