"""The main navigation: the home page's live children marked "show in menus"."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from wagtail.models import Page, Site

from .fragments import fragment_get_or_build

if TYPE_CHECKING:
    from django.http import HttpRequest


class NavigationItem(TypedDict):
    title: str
    url: str | None
    active: bool


def _navigation_links(request: HttpRequest, site: Site) -> list[tuple[str, str | None, str]]:
    items = Page.objects.child_of(site.root_page).live().in_menu().order_by("path")
    return [(page.title, page.get_url(request), page.path) for page in items]


def main_navigation(request: HttpRequest) -> list[NavigationItem]:
    """The menu's links, the same for everyone in a language (cached, cms.fragments)."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    links = fragment_get_or_build(
        "main_navigation",
        site.pk,
        build=lambda: _navigation_links(request, site),
        request=request,
    )
    current = getattr(request, "_velkommen_page_path", "")
    return [
        {"title": title, "url": url, "active": current.startswith(path)}
        for title, url, path in links
    ]
