"""The site the tests run on: a home page and information pages with the tests' own texts.

Built once into the template test database (``tests/database.py``), so every
test starts with it and no test pays for publishing it. The demo content
(``cms.demo``) has tests of its own; nothing else depends on its texts.
"""

import json
from uuid import uuid4

from django.conf import settings
from django.db import transaction
from django.utils import translation
from wagtail.models import Page, Site

from cms.models import HomePage, InformationPage, SiteContact

HOME = {
    "title": {"nb": "Velkommen", "en": "Welcome"},
    "intro": {"nb": "Testsidens forside.", "en": "The test site's home page."},
}

# (slugs, parent's English slug or None, in the main menu, titles, headings of the body)
PAGES = [
    (
        {"nb": "ankomst-og-bolig", "en": "arrival-and-housing"},
        None,
        True,
        {"nb": "Ankomst og bolig", "en": "Arrival and housing"},
        {"nb": "Før du kommer", "en": "Before you come"},
    ),
    (
        {"nb": "oppholdstillatelse", "en": "residence-permit"},
        "arrival-and-housing",
        True,
        {"nb": "Oppholdstillatelse", "en": "Residence permit"},
        {"nb": "Søknad om opphold", "en": "Applying for a permit"},
    ),
    (
        {"nb": "studentdemokratiet", "en": "student-democracy"},
        None,
        True,
        {"nb": "Studentdemokratiet", "en": "Student democracy"},
        {"nb": "Slik stemmer du", "en": "How to vote"},
    ),
    (
        {"nb": "utveksling", "en": "go-abroad"},
        None,
        True,
        {"nb": "Utveksling", "en": "Go abroad"},
        {"nb": "Før du reiser", "en": "Before you leave"},
    ),
    (
        {"nb": "tilgjengelighetserklaering", "en": "accessibility-statement"},
        None,
        False,
        {"nb": "Tilgjengelighetserklæring", "en": "Accessibility statement"},
        {"nb": "Slik når du oss", "en": "How to reach us"},
    ),
]


def _body(language, heading, *, cta_page=None):
    """Every kind of block the information pages offer, with the page's heading."""
    blocks = [
        {"type": "heading", "value": {"text": heading, "level": "h2"}},
        {"type": "paragraph", "value": f"<p>{heading}: {language}.</p>"},
        {
            "type": "faq",
            "value": {
                "title": {"nb": "Spørsmål", "en": "Questions"}[language],
                "questions": [
                    {
                        "type": "item",
                        "id": str(uuid4()),
                        "value": {
                            "question": {"nb": "Et spørsmål?", "en": "A question?"}[language],
                            "answer": {"nb": "<p>Et svar.</p>", "en": "<p>An answer.</p>"}[
                                language
                            ],
                        },
                    }
                ],
            },
        },
        {
            "type": "contact",
            "value": {
                "name": "Testkontoret",
                "role": {"nb": "Mottak", "en": "Reception"}[language],
                "email": "office@test.example.org",
                "phone": "+47 11 22 33 44",
                "opening_hours": "10–14",
                "address": "Testveien 1",
            },
        },
    ]
    if cta_page is not None:
        blocks.append(
            {
                "type": "call_to_action",
                "value": {
                    "text": {"nb": "Les mer.", "en": "Read more."}[language],
                    "link_text": {"nb": "Videre", "en": "Onwards"}[language],
                    "page": cta_page,
                    "url": "",
                },
            }
        )
    return json.dumps(blocks)


def _set(page, field, values):
    for language, value in values.items():
        setattr(page, f"{field}_{language}", value)


def site_create():
    """Replace Wagtail's welcome page with the test site; return its home page (published)."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        root = Page.get_first_root_node()
        Page.objects.filter(depth=2).delete()
        home = HomePage(title=HOME["title"]["nb"], slug="home")
        _set(home, "title", HOME["title"])
        _set(home, "intro", HOME["intro"])
        home.slug_nb = home.slug_en = "home"
        root.add_child(instance=home)
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "hostname": "localhost",
                "port": 80,
                "site_name": "Velkommen",
                "root_page": home,
            },
        )
        pages = {}
        for slugs, parent, menu, titles, headings in PAGES:
            page = InformationPage(slug=slugs["nb"], show_in_menus=menu)
            _set(page, "slug", slugs)
            _set(page, "title", titles)
            _set(page, "intro", {lang: f"{title}." for lang, title in titles.items()})
            _set(page, "body", {lang: _body(lang, text) for lang, text in headings.items()})
            (pages[parent] if parent else home).add_child(instance=page)
            page.save_revision().publish()
            pages[slugs["en"]] = page
        democracy = pages["student-democracy"].pk
        _set(
            home,
            "body",
            {lang: _body(lang, HOME["title"][lang], cta_page=democracy) for lang in ("nb", "en")},
        )
        home.save_revision().publish()

        contact = SiteContact.for_site(Site.objects.get(is_default_site=True))
        _set(contact, "organisation", {"nb": "Testkontoret", "en": "The Test Office"})
        _set(
            contact,
            "address",
            {"nb": "Testveien 1\n0001 Oslo", "en": "Testveien 1\n0001 Oslo, Norway"},
        )
        contact.email = "office@test.example.org"
        contact.phone = "+47 11 22 33 44"
        contact.accessibility_page = pages["accessibility-statement"]
        contact.save()
        return home
