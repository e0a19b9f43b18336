"""Demo content of the site itself: the home page and the information pages, in both languages."""

import json
from uuid import uuid4

from django.conf import settings
from django.db import transaction
from django.utils import translation
from wagtail.models import Page, Site

from .models import HomePage, InformationPage, SiteContact

# The university's 24-hour emergency line, as the demo gives it: a made-up number
# (the "00" prefix is no Norwegian subscriber's), to be replaced by the real one.
EMERGENCY_PHONE = "+47 00 00 00 00"
EMERGENCY_PHONE_LINK = EMERGENCY_PHONE.replace(" ", "")


def _rich(text):
    return {"type": "paragraph", "value": text}


def _heading(text):
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


def _faq(title, pairs):
    return {
        "type": "faq",
        "value": {
            "title": title,
            "questions": [
                {"type": "item", "value": {"question": q, "answer": a}, "id": str(uuid4())}
                for q, a in pairs
            ],
        },
    }


def _cta(text, link_text, page_id):
    return {
        "type": "call_to_action",
        "value": {"text": text, "link_text": link_text, "page": page_id, "url": ""},
    }


def _contact(name, role, email, phone, hours, address):
    return {
        "type": "contact",
        "value": {
            "name": name,
            "role": role,
            "email": email,
            "phone": phone,
            "opening_hours": hours,
            "address": address,
        },
    }


HOME = {
    "slug": "home",
    "title": {"nb": "Velkommen", "en": "Welcome"},
    "intro": {
        "nb": "Fra opptaksbrevet til du hører til: alt du trenger som internasjonal student, "
        "samlet på ett sted og på begge språk.",
        "en": "From your letter of admission to feeling at home: everything you need as an "
        "international student, in one place and in both languages.",
    },
}

# Information pages: (slug_nb, slug_en, in main menu, titles, intros, bodies).
PAGES = [
    {
        "slug": {"nb": "ankomst-og-bolig", "en": "arrival-and-housing"},
        "menu": True,
        "title": {"nb": "Ankomst og bolig", "en": "Arrival and housing"},
        "intro": {
            "nb": "Slik forbereder du ankomsten, finner et sted å bo og kommer i gang de første dagene.",
            "en": "How to prepare your arrival, find a place to live and get going in your first days.",
        },
        "body": {
            "nb": [
                _heading("Før du kommer"),
                _rich(
                    "<p>Søk om studentbolig så snart du har takket ja til plassen. Bestill reisen slik "
                    "at du kommer før fadderuken, og ta med pass, opptaksbrev og bevis på "
                    "finansiering.</p>"
                ),
                _heading("De første dagene"),
                _rich(
                    "<p>Hent nøkkelen til boligen, betal semesteravgiften og hent studentkortet. "
                    "Den internasjonale seksjonen har åpen skranke hele fadderuken.</p>"
                ),
                _faq(
                    "Spørsmål og svar",
                    [
                        (
                            "Hva gjør jeg hvis jeg ikke har fått bolig?",
                            "<p>Ta kontakt med boligkontoret til studentsamskipnaden. De har en "
                            "venteliste og kan hjelpe med midlertidig overnatting.</p>",
                        ),
                        (
                            "Kan jeg bli hentet på flyplassen?",
                            "<p>Fadderordningen møter nye studenter på flyplassen og "
                            "jernbanestasjonen de to første dagene i fadderuken.</p>",
                        ),
                    ],
                ),
                _contact(
                    "Internasjonal seksjon",
                    "Mottak av internasjonale studenter",
                    "international@velkommen.example.org",
                    "+47 73 59 00 00",
                    "Hverdager 10–15",
                    "Studentservice, 1. etasje",
                ),
            ],
            "en": [
                _heading("Before you come"),
                _rich(
                    "<p>Apply for student housing as soon as you have accepted your place. Book your "
                    "journey so that you arrive before buddy week, and bring your passport, letter "
                    "of admission and proof of funding.</p>"
                ),
                _heading("Your first days"),
                _rich(
                    "<p>Collect your key, pay the semester fee and collect your student card. The "
                    "International Section keeps its desk open all through buddy week.</p>"
                ),
                _faq(
                    "Questions and answers",
                    [
                        (
                            "What if I have not been offered housing?",
                            "<p>Contact the housing office of the student welfare organisation. It "
                            "keeps a waiting list and can help with temporary accommodation.</p>",
                        ),
                        (
                            "Can someone meet me at the airport?",
                            "<p>The buddy programme meets new students at the airport and the "
                            "railway station on the first two days of buddy week.</p>",
                        ),
                    ],
                ),
                _contact(
                    "International Section",
                    "Welcoming international students",
                    "international@velkommen.example.org",
                    "+47 73 59 00 00",
                    "Weekdays 10–15",
                    "Student services, ground floor",
                ),
            ],
        },
    },
    {
        "slug": {
            "nb": "oppholdstillatelse-og-registrering",
            "en": "residence-permit-and-registration",
        },
        "parent": "ankomst-og-bolig",
        "menu": True,
        "title": {
            "nb": "Oppholdstillatelse og registrering",
            "en": "Residence permit and registration",
        },
        "intro": {
            "nb": "Hvem som må søke oppholdstillatelse, hvordan du registrerer deg hos politiet og "
            "hvordan du får D-nummer.",
            "en": "Who needs a residence permit, how to register with the police and how to get a "
            "D number.",
        },
        "body": {
            "nb": [
                _heading("Studenter fra land utenfor EU/EØS"),
                _rich(
                    "<p>Du må ha oppholdstillatelse for studier før du reiser til Norge. Bestill "
                    "time hos politiet for å hente oppholdskortet innen sju dager etter at du har "
                    "kommet.</p>"
                ),
                _heading("Studenter fra EU/EØS"),
                _rich(
                    "<p>Registrer deg i UDIs søknadsportal og møt opp hos politiet med pass og "
                    "opptaksbrev dersom du skal være her i mer enn tre måneder.</p>"
                ),
                _heading("D-nummer"),
                _rich(
                    "<p>Skatteetaten gir deg et D-nummer ved ID-kontroll. Du trenger det for å åpne "
                    "bankkonto og få lønn.</p>"
                ),
            ],
            "en": [
                _heading("Students from outside the EU/EEA"),
                _rich(
                    "<p>You need a study permit before you travel to Norway. Book an appointment "
                    "with the police to collect your residence card within seven days of "
                    "arriving.</p>"
                ),
                _heading("Students from the EU/EEA"),
                _rich(
                    "<p>Register in the immigration authority's application portal and meet the "
                    "police with your passport and letter of admission if you are staying for more "
                    "than three months.</p>"
                ),
                _heading("D number"),
                _rich(
                    "<p>The Tax Administration gives you a D number at an ID check. You need it to "
                    "open a bank account and be paid.</p>"
                ),
            ],
        },
    },
    {
        "slug": {"nb": "studentdemokratiet", "en": "student-democracy"},
        "menu": False,
        "title": {"nb": "Studentdemokratiet", "en": "Student democracy"},
        "intro": {
            "nb": "Internasjonale studenter har de samme rettighetene som andre studenter til å "
            "stemme, stille til valg og bli hørt.",
            "en": "International students have the same right as every other student to vote, "
            "stand for election and be heard.",
        },
        "body": {
            "nb": [
                _rich(
                    "<p>Studenttinget er det øverste studentorganet. Hvert fakultet har et "
                    "studentråd, og hvert studieprogram har tillitsvalgte. Møtene kan holdes på "
                    "engelsk når noen ber om det.</p>"
                ),
                _faq(
                    "Slik tar du del",
                    [
                        (
                            "Hvordan stiller jeg til valg?",
                            "<p>Valgene holdes hver vår. Meld deg som kandidat til valgstyret før "
                            "fristen som kunngjøres i januar.</p>",
                        ),
                    ],
                ),
            ],
            "en": [
                _rich(
                    "<p>The student parliament is the highest student body. Each faculty has a "
                    "student council, and each study programme has student representatives. "
                    "Meetings can be held in English when someone asks for it.</p>"
                ),
                _faq(
                    "How to take part",
                    [
                        (
                            "How do I stand for election?",
                            "<p>Elections are held every spring. Register as a candidate with the "
                            "election board before the deadline announced in January.</p>",
                        ),
                    ],
                ),
            ],
        },
    },
    {
        "slug": {"nb": "norskkurs-informasjon", "en": "norwegian-courses-information"},
        "menu": True,
        "title": {"nb": "Norskkurs", "en": "Norwegian courses"},
        "intro": {
            "nb": "Alle internasjonale studenter får tilbud om norskkurs, fra nybegynner til "
            "viderekommen.",
            "en": "Every international student is offered a Norwegian course, from beginner to "
            "advanced.",
        },
        "body": {
            "nb": [
                _rich(
                    "<p>Språksenteret gir kurs på nivå A1 til C1, på campus og digitalt, og et "
                    "intensivkurs før semesterstart. Kursene gir studiepoeng.</p>"
                ),
            ],
            "en": [
                _rich(
                    "<p>The language centre teaches courses at levels A1 to C1, on campus and "
                    "online, and an intensive course before the semester starts. The courses "
                    "give credits.</p>"
                ),
            ],
        },
    },
    {
        "slug": {"nb": "utveksling", "en": "go-abroad"},
        "menu": True,
        "title": {"nb": "Utveksling", "en": "Go abroad"},
        "intro": {
            "nb": "Ta deler av studiet i utlandet: finn et reisemål, få emnene forhåndsgodkjent og "
            "vit hvem du kontakter hvis noe skjer.",
            "en": "Take part of your degree abroad: find a destination, get your courses "
            "pre-approved and know whom to call if something happens.",
        },
        "body": {
            "nb": [
                _rich(
                    "<p>Universitetet har avtaler med over 300 institusjoner. Søknadsfristen for "
                    "utveksling neste studieår er 1. februar.</p>"
                ),
                _heading("Hvis noe skjer"),
                _rich(
                    "<p>Ring universitetets beredskapstelefon, som er åpen hele døgnet, på "
                    f'<a href="tel:{EMERGENCY_PHONE_LINK}">{EMERGENCY_PHONE}</a> hvis du havner i '
                    "en krise under oppholdet. Lagre nummeret før du reiser.</p>"
                ),
                _contact(
                    "Beredskapstelefonen",
                    "Internasjonal seksjon, ved kriser under utenlandsopphold",
                    "",
                    EMERGENCY_PHONE,
                    "Hele døgnet, alle dager",
                    "",
                ),
            ],
            "en": [
                _rich(
                    "<p>The university has agreements with more than 300 institutions. The "
                    "deadline for exchange next academic year is 1 February.</p>"
                ),
                _heading("If something happens"),
                _rich(
                    "<p>Call the university's emergency phone, open around the clock, on "
                    f'<a href="tel:{EMERGENCY_PHONE_LINK}">{EMERGENCY_PHONE}</a> if you face a '
                    "crisis during your stay. Save the number before you leave.</p>"
                ),
                _contact(
                    "Emergency phone",
                    "International Section, for crises during a stay abroad",
                    "",
                    EMERGENCY_PHONE,
                    "Around the clock, every day",
                    "",
                ),
            ],
        },
    },
    {
        "slug": {"nb": "tilgjengelighetserklaering", "en": "accessibility-statement"},
        "menu": False,
        "title": {"nb": "Tilgjengelighetserklæring", "en": "Accessibility statement"},
        "intro": {
            "nb": "Velkommen skal kunne brukes av alle. Her står hva nettstedet oppfyller, og "
            "hvordan du melder fra om problemer.",
            "en": "Velkommen is meant to be usable by everyone. This page says what the site meets "
            "and how to report a problem.",
        },
        "body": {
            "nb": [
                _heading("Status"),
                _rich(
                    "<p>Nettstedet er laget for å oppfylle WCAG 2.1 nivå AA, som kreves av "
                    "forskrift om universell utforming av IKT-løsninger. Sidene testes automatisk "
                    "med axe i hver versjon, og de fungerer uten JavaScript, med tastatur og ned til "
                    "320 piksler bredde.</p>"
                ),
                _heading("Kjente avvik"),
                _rich(
                    "<p>Eldre PDF-dokumenter fra enhetene kan mangle struktur. Be om en tilgjengelig "
                    "versjon, så får du den.</p>"
                ),
                _heading("Meld fra om problemer"),
                _rich(
                    '<p>Skriv til <a href="mailto:tilgjengelighet@velkommen.example.org">'
                    "tilgjengelighet@velkommen.example.org</a>. Vi svarer innen ti virkedager. Er du "
                    "ikke fornøyd med svaret, kan du klage til Tilsynet for universell utforming "
                    "av ikt hos Digitaliseringsdirektoratet.</p>"
                ),
            ],
            "en": [
                _heading("Status"),
                _rich(
                    "<p>The site is built to meet WCAG 2.1 level AA, as the Norwegian regulation on "
                    "universal design of ICT requires. Every release is tested automatically with "
                    "axe, and the pages work without JavaScript, with a keyboard and down to 320 "
                    "pixels wide.</p>"
                ),
                _heading("Known gaps"),
                _rich(
                    "<p>Older PDF documents from the units may lack structure. Ask for an "
                    "accessible version and you will get one.</p>"
                ),
                _heading("Report a problem"),
                _rich(
                    '<p>Write to <a href="mailto:tilgjengelighet@velkommen.example.org">'
                    "tilgjengelighet@velkommen.example.org</a>. We answer within ten working days. "
                    "If you are not satisfied with the answer, you can complain to the Authority "
                    "for Universal Design of ICT at the Norwegian Digitalisation Agency.</p>"
                ),
            ],
        },
    },
]


def _set_translated(page, field, values):
    # Only the per-language columns: assigning ``page.<field>`` would write the
    # column of whatever language happens to be active.
    for language, value in values.items():
        setattr(page, f"{field}_{language}", value)


def _set_body(page, bodies):
    for language, blocks in bodies.items():
        setattr(page, f"body_{language}", json.dumps(blocks))


def _publish(page):
    page.save()
    page.save_revision().publish()


def seed_site():
    """Create or update the home page, the information pages and the site settings."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        return _seed_site()


def _seed_site():
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        # Replace Wagtail's own welcome page (a plain Page) with ours.
        Page.objects.filter(depth=2, content_type__app_label="wagtailcore").delete()
        home = HomePage(title="Velkommen", slug="home")
        _set_translated(home, "title", HOME["title"])
        _set_translated(home, "intro", HOME["intro"])
        home.slug_nb = home.slug_en = "home"
        root.add_child(instance=home)
    _set_translated(home, "title", HOME["title"])
    _set_translated(home, "intro", HOME["intro"])
    _publish(home)

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(is_default_site=True)
    site.hostname, site.port, site.site_name, site.root_page = "localhost", 80, "Velkommen", home
    site.save()

    pages = {}
    for spec in PAGES:
        parent = home
        if "parent" in spec:
            parent = InformationPage.objects.get(slug_nb=spec["parent"])
        page = InformationPage.objects.child_of(parent).filter(slug_nb=spec["slug"]["nb"]).first()
        created = page is None
        if created:
            page = InformationPage(slug=spec["slug"]["nb"])
        _set_translated(page, "title", spec["title"])
        _set_translated(page, "intro", spec["intro"])
        _set_translated(page, "slug", spec["slug"])
        _set_body(page, spec["body"])
        page.show_in_menus = spec["menu"]
        if created:
            parent.add_child(instance=page)
        _publish(page)
        pages[spec["slug"]["en"]] = page

    democracy = pages["student-democracy"].pk
    home.body_nb = json.dumps(
        [
            _heading("Du er en del av studentdemokratiet"),
            _rich(
                "<p>Internasjonale studenter stemmer, stiller til valg og sitter i studentråd og "
                "linjeforeninger på lik linje med alle andre.</p>"
            ),
            _cta("Slik tar du del i studentdemokratiet.", "Studentdemokratiet", democracy),
        ]
    )
    home.body_en = json.dumps(
        [
            _heading("You are part of student democracy"),
            _rich(
                "<p>International students vote, stand for election and sit on student councils "
                "and line associations just like everyone else.</p>"
            ),
            _cta("How to take part in student democracy.", "Student democracy", democracy),
        ]
    )
    _publish(home)

    contact = SiteContact.for_site(site)
    contact.organisation_nb = "Internasjonal seksjon, Universitetet"
    contact.organisation_en = "International Section, the University"
    contact.address_nb = "Studentservice\nHøgskoleringen 1\n7034 Trondheim"
    contact.address_en = "Student services\nHøgskoleringen 1\n7034 Trondheim, Norway"
    contact.email = "international@velkommen.example.org"
    contact.phone = "+47 73 59 00 00"
    contact.accessibility_page = pages["accessibility-statement"]
    contact.save()
    return home


# The main navigation in the order people meet the sections (English slugs).
# Sections another part of the site has not made yet are simply absent.
MENU_ORDER = [
    "arrival-and-housing",
    "units",
    "events",
    "norwegian-courses",
    "norwegian-courses-information",
    "go-abroad",
    "who-does-what",
]


def order_navigation():
    """Put the home page's menu sections in the order of ``MENU_ORDER``; others stay first.

    Moving a page rewrites the paths and translated URLs of everything under
    it, and the units' section holds most of the site: so the section with the
    most pages stays where it is and the others are moved around it.
    """
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        home = HomePage.objects.first()
        if home is None:
            return
        sections = list(home.get_children().filter(show_in_menus=True))
        by_slug = {page.slug_en: page for page in sections}
        target = [page for page in sections if page.slug_en not in MENU_ORDER]
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


def _move(page, sibling, position):
    page.refresh_from_db()
    sibling.refresh_from_db()
    page.move(sibling, pos=position)
