"""Ordering the demo's menu moves the small sections, not the largest (see also test_demo.py)."""

import pytest
from wagtail.models import Page

from cms.demo import MENU_ORDER, order_navigation
from cms.models import InformationPage


def _menu(home):
    return [page.slug_en for page in home.get_children().filter(show_in_menus=True)]


def _section(parent, slug, *, menu=True):
    page = InformationPage(title=slug, slug=slug, show_in_menus=menu)
    page.title_nb = page.title_en = page.slug_nb = page.slug_en = slug
    parent.add_child(instance=page)
    return page


def test_ordering_moves_the_other_sections_around_the_largest(site_tree, monkeypatch):
    home = site_tree["home"]
    moved = []
    move = Page.move

    def recording_move(page, *args, **kwargs):
        moved.append(page.slug_en)
        return move(page, *args, **kwargs)

    monkeypatch.setattr(Page, "move", recording_move)
    others = [slug for slug in _menu(home) if slug not in MENU_ORDER]
    _section(home, "who-does-what")
    units = _section(home, "units")
    for number in range(3):
        _section(units, f"unit-{number}", menu=False)
    _section(home, "events")

    order_navigation()

    menu = _menu(home)
    present = {"arrival-and-housing", "go-abroad"} & set(menu)
    expected = [s for s in MENU_ORDER if s in present | {"who-does-what", "units", "events"}]
    assert menu == others + expected
    # Moving a page rewrites everything under it: the largest section stays put.
    assert moved and "units" not in moved


def test_ordering_an_ordered_menu_moves_nothing(site_tree, monkeypatch):
    home = site_tree["home"]
    order_navigation()
    before = list(home.get_children().values_list("pk", "path"))
    monkeypatch.setattr(Page, "move", lambda *args, **kwargs: pytest.fail("a page was moved"))

    order_navigation()

    assert list(home.get_children().values_list("pk", "path")) == before
