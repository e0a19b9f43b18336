"""Demo content of the site itself (``demo.toml``): the home page and the information pages."""

import json
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.db import transaction
from django.utils import translation
from wagtail.models import Page, Site

from .demo_data import (
    Data,
    child_find,
    child_publish,
    load,
    publish,
    set_translated,
    substitute,
)
from .models import HomePage, InformationPage, SiteContact

_RAW = load(__file__)
# The university's 24-hour emergency line, as the demo gives it (a made-up number).
EMERGENCY_PHONE: str = _RAW["emergency_phone"]
EMERGENCY_PHONE_LINK = EMERGENCY_PHONE.replace(" ", "")
# Texts in the data files may name these.
TOKENS = {"emergency_phone": EMERGENCY_PHONE, "emergency_phone_link": EMERGENCY_PHONE_LINK}
DATA: Data = substitute(_RAW, TOKENS)
# The main navigation in the order people meet the sections (English slugs).
MENU_ORDER: list[str] = DATA["menu_order"]


def _block(spec: Data, pages: dict[str, Page]) -> dict[str, Any]:
    """One StreamField block from its data (see ``demo.toml``)."""
    if "heading" in spec:
        return {"type": "heading", "value": {"text": spec["heading"], "level": "h2"}}
    if "paragraph" in spec:
        return {"type": "paragraph", "value": spec["paragraph"]}
    if "faq" in spec:
        questions = [
            {"type": "item", "value": {"question": q["question"], "answer": q["answer"]}}
            for q in spec["questions"]
        ]
        for question in questions:
            question["id"] = str(uuid4())
        return {"type": "faq", "value": {"title": spec["faq"], "questions": questions}}
    if "contact" in spec:
        fields = ("name", "role", "email", "phone", "opening_hours", "address")
        return {"type": "contact", "value": {field: spec.get(field, "") for field in fields}}
    if "call_to_action" in spec:
        value = {"text": spec["call_to_action"], "link_text": spec["link_text"]}
        return {
            "type": "call_to_action",
            "value": value | {"page": pages[spec["page"]].pk, "url": ""},
        }
    raise ValueError(f"Unknown block in the demo's data: {sorted(spec)}")


def _set_body(page: Page, bodies: Data, pages: dict[str, Page]) -> None:
    for language, blocks in bodies.items():
        setattr(page, f"body_{language}", json.dumps([_block(b, pages) for b in blocks]))


def seed_site() -> HomePage:
    """Create or update the home page, the information pages and the site settings."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        return _seed_site()


def _seed_site() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        # Replace Wagtail's own welcome page (a plain Page) with ours.
        Page.objects.filter(depth=2, content_type__app_label="wagtailcore").delete()
        home = HomePage(title=DATA["home"]["title"]["nb"], slug="home")
        set_translated(home, "title", DATA["home"]["title"])
        set_translated(home, "slug", {"nb": "home", "en": "home"})
        Page.get_first_root_node().add_child(instance=home)
    set_translated(home, "title", DATA["home"]["title"])
    set_translated(home, "intro", DATA["home"]["intro"])

    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname, site.port, site.site_name, site.root_page = "localhost", 80, "Velkommen", home
    site.save()

    pages: dict[str, Page] = {}
    by_slug_nb: dict[str, Page] = {}
    for spec in DATA["page"]:
        parent = by_slug_nb[spec["parent"]] if "parent" in spec else home
        page = child_find(InformationPage, parent, spec["slug"]["nb"])
        created = page is None
        if page is None:
            page = InformationPage(slug=spec["slug"]["nb"])
        for field in ("title", "intro", "slug"):
            set_translated(page, field, spec[field])
        _set_body(page, spec["body"], pages)
        page.show_in_menus = spec["menu"]
        child_publish(page, parent, created=created)
        pages[spec["slug"]["en"]] = by_slug_nb[spec["slug"]["nb"]] = page

    # The home page's body links to the pages: published once they exist.
    _set_body(home, DATA["home"]["body"], pages)
    publish(home)

    contact = SiteContact.for_site(site)
    set_translated(contact, "organisation", DATA["contact"]["organisation"])
    set_translated(contact, "address", DATA["contact"]["address"])
    contact.email, contact.phone = DATA["contact"]["email"], DATA["contact"]["phone"]
    contact.accessibility_page = pages[DATA["contact"]["accessibility_page"]]
    contact.save()
    return home


def order_navigation() -> None:
    """Put the home page's menu sections in the order of ``MENU_ORDER``; others stay first.

    Moving a page rewrites the paths and translated URLs of everything under
    it, and the units' section holds most of the site: so the section with the
    most pages stays where it is and the others are moved around it.
    """
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        home = HomePage.objects.first()
        if home is None:
            return
        menu = home.get_children().filter(show_in_menus=True)
        sections = list(menu)
        slug_of = dict(menu.values_list("pk", "slug_en"))
        by_slug = {slug_of[page.pk]: page for page in sections}
        target = [page for page in sections if slug_of[page.pk] not in MENU_ORDER]
        target += [by_slug[slug] for slug in MENU_ORDER if slug in by_slug]
        if [page.pk for page in sections] == [page.pk for page in target]:
            return
        anchor = max(range(len(target)), key=lambda index: target[index].get_descendant_count())
        # Before the anchor: each page just left of the one that follows it.
        for index in range(anchor - 1, -1, -1):
            _move(target[index], target[index + 1], "left")
        # After it: each page just right of the one before it.
        for index in range(anchor + 1, len(target)):
            _move(target[index], target[index - 1], "right")


def _move(page: Page, sibling: Page, position: str) -> None:
    page.refresh_from_db()
    sibling.refresh_from_db()
    page.move(sibling, pos=position)
