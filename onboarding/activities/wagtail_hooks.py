"""Admin wiring: from an event in the page explorer to its organiser pages, and a guard that
an event people are signed up to is cancelled (so they are told) before it is hidden or deleted.
"""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages as admin_messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.widgets import Button
from wagtail.models import Page

from . import selectors
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


def _events_text(events):
    return ", ".join(
        gettext("“%(title)s”, %(start)s")
        % {
            "title": event.title,
            "start": formats.date_format(
                timezone.localtime(event.start_at), "SHORT_DATETIME_FORMAT"
            ),
        }
        for event in events
    )


def _refuse_while_people_wait(request, page, events):
    """Refuse to hide or delete ``page``: ``events`` under it have people to tell first."""
    if len(events) == 1 and events[0].pk == page.pk:
        message = ngettext(
            "“%(title)s” has %(count)s person with a place or on the waitlist. Cancel the event "
            "first, which tells them; then it can be unpublished or deleted.",
            "“%(title)s” has %(count)s people with a place or on the waitlist. Cancel the event "
            "first, which tells them; then it can be unpublished or deleted.",
            events[0].people,
        ) % {"title": page.title, "count": events[0].people}
    else:
        message = ngettext(
            "%(count)s coming event under “%(title)s” has people with a place or on the "
            "waitlist: %(events)s. Cancel it first, which tells them.",
            "%(count)s coming events under “%(title)s” have people with a place or on the "
            "waitlist: %(events)s. Cancel them first, which tells them.",
            len(events),
        ) % {"count": len(events), "title": page.title, "events": _events_text(events)}
    buttons = [
        admin_messages.button(
            reverse("activities:cancel_event", args=[event.pk]), _("Cancel event")
        )
        for event in events[:1]
    ]
    admin_messages.error(request, message, buttons=buttons)
    next_url = get_valid_next_url_from_request(request)
    parent = page.get_parent()
    return redirect(next_url or reverse("wagtailadmin_explore", args=[parent.pk]))


@hooks.register("before_unpublish_page")
def refuse_unpublishing_events_with_people(request, page):
    events = selectors.events_with_people(
        page=page, include_descendants=bool(request.POST.get("include_descendants")), live_only=True
    )
    if events:
        return _refuse_while_people_wait(request, page, events)
    return None


@hooks.register("before_delete_page")
def refuse_deleting_events_with_people(request, page):
    events = selectors.events_with_people(page=page)
    if events:
        return _refuse_while_people_wait(request, page, events)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_hiding_events_with_people(request, action_type, objects, action_class_instance):
    if action_type not in ("unpublish", "delete") or not all(isinstance(o, Page) for o in objects):
        return None
    descendants = action_type == "delete" or bool(request.POST.get("include_descendants"))
    for page in objects:
        events = selectors.events_with_people(
            page=page, include_descendants=descendants, live_only=action_type == "unpublish"
        )
        if events:
            return _refuse_while_people_wait(request, page, events)
    return None
