"""A guard in the admin: pages people hold places at are cancelled, which tells them, before
they are hidden or deleted.

Unpublishing or deleting such a page (alone, with what is under it, or in a bulk action) is
refused with a message that says how many people would be left with a place on nothing, and a
button to the page's cancel page; once it is cancelled, has ended, or nobody is left to tell,
the admin does as asked. Events and Norwegian courses each describe their pages with a
:class:`PeopleGuard` and call :func:`guard_register` from their ``wagtail_hooks``.

The same pages get buttons to their organiser pages (attendees, check-in, cancelling) in the
page explorer, from :func:`organiser_buttons_register`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from wagtail import hooks
from wagtail.admin import messages as admin_messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.widgets import Button
from wagtail.models import Page


@dataclass(frozen=True)
class PeopleGuard:
    """One kind of page that people hold places at, and how to speak of it.

    ``with_people(page=, include_descendants=, live_only=)`` lists the pages at
    (or under) ``page`` that still have people to tell, each with ``title``
    and ``people``. ``when(holder)`` is its date in words, ``cancel_url(holder)``
    its cancel page and ``cancel_label`` the button's text. ``alone(title,
    count)`` is the refusal for the page itself; ``under(count, title,
    listing)`` the one for pages under it, ``listing`` naming them.
    """

    with_people: Callable
    when: Callable
    cancel_url: Callable
    cancel_label: str
    alone: Callable
    under: Callable


def _listing(guard, holders):
    return ", ".join(
        gettext("“%(title)s”, %(start)s") % {"title": holder.title, "start": guard.when(holder)}
        for holder in holders
    )


def _refuse(request, page, guard, holders):
    """Refuse to hide or delete ``page``: ``holders`` at or under it have people to tell first."""
    if len(holders) == 1 and holders[0].pk == page.pk:
        message = guard.alone(page.title, holders[0].people)
    else:
        message = guard.under(len(holders), page.title, _listing(guard, holders))
    buttons = [
        admin_messages.button(guard.cancel_url(holder), guard.cancel_label)
        for holder in holders[:1]
    ]
    admin_messages.error(request, message, buttons=buttons)
    next_url = get_valid_next_url_from_request(request)
    parent = page.get_parent()
    return redirect(next_url or reverse("wagtailadmin_explore", args=[parent.pk]))


def guard_refusal(request, page, guard, *, include_descendants, live_only):
    """The admin's refusal to hide or delete ``page`` as ``guard`` sees it, or None."""
    holders = guard.with_people(
        page=page, include_descendants=include_descendants, live_only=live_only
    )
    return _refuse(request, page, guard, holders) if holders else None


def guard_register(guard):
    """Register the unpublish, delete and bulk action hooks that apply ``guard``."""

    def before_unpublish(request, page):
        descendants = bool(request.POST.get("include_descendants"))
        return guard_refusal(request, page, guard, include_descendants=descendants, live_only=True)

    def before_delete(request, page):
        return guard_refusal(request, page, guard, include_descendants=True, live_only=False)

    def before_bulk_action(request, action_type, objects, action_class_instance):
        if action_type not in ("unpublish", "delete"):
            return None
        if not all(isinstance(item, Page) for item in objects):
            return None
        descendants = action_type == "delete" or bool(request.POST.get("include_descendants"))
        for page in objects:
            refusal = guard_refusal(
                request,
                page,
                guard,
                include_descendants=descendants,
                live_only=action_type == "unpublish",
            )
            if refusal is not None:
                return refusal
        return None

    hooks.register("before_unpublish_page", before_unpublish)
    hooks.register("before_delete_page", before_delete)
    hooks.register("before_bulk_action", before_bulk_action)
    return guard


def organiser_buttons_register(page_class, links, *, priority=55):
    """Buttons to a page's organiser pages in the explorer's listing and the page's header.

    ``links`` are ``(label, URL name, icon)``; each URL takes the page's id. Only
    people who may edit the page see them (the pages check access themselves).
    """

    def buttons(page, user):
        if page.specific_class is not page_class or not page.permissions_for_user(user).can_edit():
            return
        for offset, (label, url_name, icon) in enumerate(links):
            yield Button(
                label, reverse(url_name, args=[page.pk]), icon_name=icon, priority=priority + offset
            )

    def listing_buttons(page, user, next_url=None):
        yield from buttons(page, user)

    def header_buttons(page, user, view_name, next_url=None):
        yield from buttons(page, user)

    hooks.register("register_page_listing_more_buttons", listing_buttons)
    hooks.register("register_page_header_buttons", header_buttons)
