"""A guard in the admin: pages people hold places at are cancelled, which tells them, before
they are hidden or deleted; and buttons from those pages to their organiser pages.

Unpublishing or deleting such a page (alone, with what is under it, or in a bulk action) is
refused with a message that says how many people would be left with a place on nothing, and a
button to the page's cancel page; once it is cancelled, has ended, or nobody is left to tell,
the admin does as asked.

Each kind of holder plugs in through two Wagtail hooks, from its app's ``wagtail_hooks``:

- ``bookings_people_guard``: a function returning the :class:`PeopleGuard` of its pages;
- ``bookings_organiser_buttons``: a function returning its :class:`OrganiserButtons`.

This module reads every function registered for them (``hooks.get_hooks``), so any number of
kinds of holder are guarded; ``onboarding/bookings/wagtail_hooks.py`` registers the admin's
own hooks once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from wagtail import hooks
from wagtail.admin import messages as admin_messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.widgets import Button
from wagtail.models import Page

from .selectors import HolderPeople

PEOPLE_GUARD_HOOK = "bookings_people_guard"
ORGANISER_BUTTONS_HOOK = "bookings_organiser_buttons"


@dataclass(frozen=True)
class PeopleGuard:
    """One kind of page that people hold places at, and how to speak of it.

    ``with_people(page=, include_descendants=, live_only=)`` lists the pages at
    (or under) ``page`` that still have people to tell (:class:`HolderPeople`).
    ``when(holder)`` is its date in words, ``cancel_url(holder)`` its cancel page
    and ``cancel_label`` the button's text. ``alone(title, count)`` is the
    refusal for the page itself; ``under(count, title, listing)`` the one for
    pages under it, ``listing`` naming them.
    """

    with_people: Callable[..., list[HolderPeople]]
    when: Callable[[Any], str]
    cancel_url: Callable[[Any], str]
    cancel_label: Any
    alone: Callable[[str, int], str]
    under: Callable[[int, str, str], str]


@dataclass(frozen=True)
class OrganiserButtons:
    """Buttons to a page's organiser pages in the explorer's listing and the page's header.

    ``links`` are ``(label, URL name, icon)``; each URL takes the page's id. Only
    people who may edit the page see them (the pages check access themselves).
    """

    page_class: type[Page]
    links: Sequence[tuple[Any, str, str]]
    priority: int = 55


def people_guards() -> list[PeopleGuard]:
    """The guards every installed app registered (``bookings_people_guard``)."""
    return [make() for make in hooks.get_hooks(PEOPLE_GUARD_HOOK)]


def _listing(guard: PeopleGuard, found: list[HolderPeople]) -> str:
    return ", ".join(
        gettext("“%(title)s”, %(start)s") % {"title": row.title, "start": guard.when(row.holder)}
        for row in found
    )


def _objection(
    page: Page, *, include_descendants: bool, live_only: bool
) -> tuple[PeopleGuard, list[HolderPeople]] | None:
    """The first guard with pages at (or under) ``page`` that people hold places at, and those
    pages; None when no guard objects."""
    for guard in people_guards():
        found = guard.with_people(
            page=page, include_descendants=include_descendants, live_only=live_only
        )
        if found:
            return guard, found
    return None


def _cancel_buttons(guard: PeopleGuard, found: list[HolderPeople]) -> list[Any]:
    """The button to the cancel page of the first of ``found``."""
    return [
        admin_messages.button(guard.cancel_url(row.holder), guard.cancel_label) for row in found[:1]
    ]


def _refuse(
    request: HttpRequest, page: Page, guard: PeopleGuard, found: list[HolderPeople]
) -> HttpResponse:
    """Refuse to hide or delete ``page``: ``found`` at or under it have people to tell first."""
    if len(found) == 1 and found[0].pk == page.pk:
        message = guard.alone(page.title, found[0].people)
    else:
        message = guard.under(len(found), page.title, _listing(guard, found))
    admin_messages.error(request, message, buttons=_cancel_buttons(guard, found))
    next_url = get_valid_next_url_from_request(request)
    parent = page.get_parent()
    return redirect(next_url or reverse("wagtailadmin_explore", args=[parent.pk]))


def guard_refusal(
    request: HttpRequest, page: Page, *, include_descendants: bool, live_only: bool
) -> HttpResponse | None:
    """The admin's refusal to hide or delete ``page`` as the first guard that objects sees it,
    or None when no guard objects."""
    objection = _objection(page, include_descendants=include_descendants, live_only=live_only)
    return _refuse(request, page, *objection) if objection else None


def before_unpublish(request: HttpRequest, page: Page) -> HttpResponse | None:
    descendants = bool(request.POST.get("include_descendants"))
    return guard_refusal(request, page, include_descendants=descendants, live_only=True)


def before_delete(request: HttpRequest, page: Page) -> HttpResponse | None:
    return guard_refusal(request, page, include_descendants=True, live_only=False)


def before_bulk_action(
    request: HttpRequest, action_type: str, objects: Sequence[Any], action_class_instance: Any
) -> HttpResponse | None:
    if action_type not in ("unpublish", "delete"):
        return None
    if not all(isinstance(item, Page) for item in objects):
        return None
    descendants = action_type == "delete" or bool(request.POST.get("include_descendants"))
    for page in objects:
        refusal = guard_refusal(
            request, page, include_descendants=descendants, live_only=action_type == "unpublish"
        )
        if refusal is not None:
            return refusal
    return None


def organiser_buttons(page: Page, user: Any) -> Iterator[Button]:
    """The organiser buttons registered (``bookings_organiser_buttons``) for ``page``'s kind."""
    specs = [make() for make in hooks.get_hooks(ORGANISER_BUTTONS_HOOK)]
    spec = next((spec for spec in specs if page.specific_class is spec.page_class), None)
    if spec is None or not page.permissions_for_user(user).can_edit():
        return
    for offset, (label, url_name, icon) in enumerate(spec.links):
        yield Button(
            label,
            reverse(url_name, args=[page.pk]),
            icon_name=icon,
            priority=spec.priority + offset,
        )


# --- Hiding by privacy or by moving ---------------------------------------------------------


def hidden_from_people(page: Page) -> tuple[PeopleGuard, list[HolderPeople]] | None:
    """The first guard with live pages at or under ``page`` that people hold places at, and
    those pages; None when hiding ``page`` would leave nobody with a place on nothing."""
    return _objection(page, include_descendants=True, live_only=True)


def hiding_refusal(guard: PeopleGuard, found: list[HolderPeople]) -> str:
    """Why ``found`` may not be hidden yet: whom it would leave with a place on nothing."""
    people = sum(row.people for row in found)
    return ngettext(
        "%(count)s person holds a place at %(listing)s. This would hide it from them without "
        "telling them: cancel it first, which tells everyone with a place.",
        "%(count)s people hold places at %(listing)s. This would hide it from them without "
        "telling them: cancel it first, which tells everyone with a place.",
        people,
    ) % {"count": people, "listing": _listing(guard, found)}


def before_move(request: HttpRequest, page: Page, destination: Page) -> HttpResponse | None:
    """Refuse to move a page people hold places at (or a page above such pages) under a page
    that is not live or that only some may see: it would disappear for them."""
    hidden = not destination.live or destination.get_view_restrictions().exists()
    if not hidden:
        return None
    blocked = hidden_from_people(page)
    if blocked is None:
        return None
    guard, found = blocked
    admin_messages.error(
        request, hiding_refusal(guard, found), buttons=_cancel_buttons(guard, found)
    )
    return redirect(reverse("wagtailadmin_explore", args=[page.get_parent().pk]))
