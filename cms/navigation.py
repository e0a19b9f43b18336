"""The main navigation: the home page's live children marked "show in menus"."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from wagtail.models import Page, Site

if TYPE_CHECKING:
    from django.http import HttpRequest


class NavigationItem(TypedDict):
    title: str
    url: str | None
    active: bool


def main_navigation(request: HttpRequest) -> list[NavigationItem]:
    site = Site.find_for_request(request)
    if site is None:
        return []
    root = site.root_page
    items = list(Page.objects.child_of(root).live().in_menu().order_by("path"))
    current = getattr(request, "_velkommen_page_path", "")
    return [
        {"title": page.title, "url": page.get_url(request), "active": current.startswith(page.path)}
        for page in items
    ]
