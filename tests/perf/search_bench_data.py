"""Data of the site-search benchmark, run in its own process on the benchmark's database.

``python -m tests.perf.search_bench_data OUT.json [PAGES] [TERMS]`` makes (again, unless the
database already holds the same amount) the site, a unit tree, PAGES (5,000) information pages
in both languages under 50 section pages, and TERMS (2,000) glossary terms in both languages
with synonyms, through the glossary's service; then builds the search index as the demo does
(``cms.search.index.search_index_rebuild``) and signs in a student. It writes the session key
and the addresses of the searches and of the plain information page.
"""

import json
import random
import sys

# (Norwegian, its inflected forms, English): the pages' words. The searches below use the
# inflected forms, which only the Norwegian stemming brings back to the word.
TOPICS = [
    ("arrangement", "arrangementene", "event"),
    ("bolig", "boligene", "housing"),
    ("stipend", "stipendene", "grant"),
    ("eksamen", "eksamenene", "exam"),
    ("emne", "emnene", "course"),
    ("semester", "semesteret", "semester"),
    ("bibliotek", "bibliotekene", "library"),
    ("kantine", "kantinene", "canteen"),
    ("forelesning", "forelesningene", "lecture"),
    ("veileder", "veilederne", "adviser"),
    ("søknad", "søknadene", "application"),
    ("frist", "fristene", "deadline"),
    ("lab", "labene", "laboratory"),
    ("verksted", "verkstedene", "workshop"),
    ("studieplan", "studieplanene", "study plan"),
    ("karakter", "karakterene", "grade"),
    ("utveksling", "utvekslingene", "exchange"),
    ("forening", "foreningene", "association"),
    ("helse", "helsen", "health"),
    ("trening", "treningene", "training"),
    ("kurs", "kursene", "class"),
    ("møte", "møtene", "meeting"),
    ("valg", "valgene", "election"),
    ("rom", "rommene", "room"),
    ("nøkkel", "nøklene", "key"),
]
FILLER_NB = ["for", "nye", "studenter", "ved", "campus", "i", "høst", "og", "vår", "hjelp", "med"]
FILLER_EN = ["for", "new", "students", "on", "campus", "in", "autumn", "and", "spring", "help"]
FIELDS = ["0111", "0311", "0413", "0421", "0531", "0611", "0613", "0912"]


def _sentence(rng, language):
    words = []
    for _ in range(12):
        if rng.random() < 0.35:
            nb, inflected, en = rng.choice(TOPICS)
            words.append({"nb": rng.choice((nb, inflected)), "en": en}[language])
        else:
            words.append(rng.choice(FILLER_NB if language == "nb" else FILLER_EN))
    return " ".join(words).capitalize() + "."


def _pages(home, count, rng):
    from cms.models import InformationPage

    root = InformationPage.objects.filter(slug="sokeprove").first()
    if root is not None and root.get_descendants().count() == count + 50:
        return root
    if root is not None:
        root.delete()
    root = InformationPage(title="Søkeprøve", slug="sokeprove")
    root.title_nb, root.title_en = "Søkeprøve", "Search trial"
    root.slug_nb, root.slug_en = "sokeprove", "search-trial"
    home.add_child(instance=root)
    per_section = count // 50
    made = 0
    for section_number in range(50):
        nb, _inflected, en = TOPICS[section_number % len(TOPICS)]
        section = InformationPage(title=f"{nb} {section_number}", slug=f"del-{section_number}")
        section.title_nb, section.title_en = (
            f"Om {nb} {section_number}",
            f"About {en} {section_number}",
        )
        section.slug_nb, section.slug_en = f"del-{section_number}", f"part-{section_number}"
        root.add_child(instance=section)
        for number in range(per_section if section_number < 49 else count - made):
            nb, _inflected, en = rng.choice(TOPICS)
            page = InformationPage(slug=f"side-{section_number}-{number}")
            page.title_nb = f"{nb.capitalize()} {section_number}.{number}"
            page.title_en = f"{en.capitalize()} {section_number}.{number}"
            page.title = page.title_nb
            page.slug_nb = f"side-{section_number}-{number}"
            page.slug_en = f"page-{section_number}-{number}"
            page.intro_nb = " ".join(_sentence(rng, "nb") for _ in range(3))
            page.intro_en = " ".join(_sentence(rng, "en") for _ in range(3))
            section.add_child(instance=page)
            made += 1
    return root


def _terms(count, rng, units):
    from onboarding.exchange.models import IscedField
    from onboarding.glossary.models import Term
    from onboarding.glossary.services import term_save

    made = Term.objects.filter(source_id__startswith="bench-").count()
    if made == count:
        return
    Term.objects.filter(source_id__startswith="bench-").delete()
    fields = list(IscedField.objects.filter(code__in=FIELDS))
    for number in range(count):
        nb, inflected, en = TOPICS[number % len(TOPICS)]
        names = {
            "term_nb": f"{nb}begrep {number}",
            "term_en": f"{en} term {number}",
            "synonyms_nb": f"{inflected}uttrykk {number}",
            "synonyms_en": f"{en} expression {number}",
        }
        if number == 0:
            # One the synonym search finds: "fadder" on the English site looks for "buddy" too.
            names = {"term_nb": "fadder", "term_en": "buddy", "synonyms_nb": "", "synonyms_en": ""}
        term_save(
            values={
                **names,
                "definition_nb": _sentence(rng, "nb"),
                "definition_en": _sentence(rng, "en"),
            },
            field=fields[number % len(fields)],
            owner=units[number % len(units)],
            source_id=f"bench-{number}",
        )


def setup(out_path, pages, terms):
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection, transaction
    from django.urls import reverse
    from django.utils import translation

    from cms.demo import seed_site
    from cms.models import InformationPage
    from cms.search.index import search_index_rebuild
    from onboarding.accounts.models import User
    from onboarding.units.models import UnitPage
    from tests.onboarding.checklists.conftest import fast_unit_tree

    rng = random.Random(2026)
    with transaction.atomic(), translation.override("nb"):
        home = seed_site()
        if not UnitPage.objects.exists():
            fast_unit_tree(home)
        units = list(UnitPage.objects.order_by("path")[:4])
        _pages(home, pages, rng)
        _terms(terms, rng, units)
    indexed = search_index_rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    with transaction.atomic():
        student, _created = User.objects.get_or_create(email="search.bench@example.test")
        session = SessionStore()
        session[SESSION_KEY] = str(student.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = student.get_session_auth_hash()
        session.create()
    info = InformationPage.objects.live().filter(slug_en="arrival-and-housing").first()
    with translation.override("nb"):
        search_nb = reverse("search")
        information = info.get_url()
    with translation.override("en"):
        search_en = reverse("search")
    data = {
        "session": session.session_key,
        "information": information,
        "pages": InformationPage.objects.count(),
        "terms": terms,
        "indexed": indexed,
        "searches": {
            "nb, one inflected word": f"{search_nb}?q=arrangementene",
            "nb, two words": f"{search_nb}?q=bolig+stipend",
            "en, one word": f"{search_en}?q=library",
            "en, a rare word (few hits)": f"{search_en}?q=workshop+7.12",
            "en, a glossary synonym": f"{search_en}?q=fadder",
            "nb, terms only": f"{search_nb}?q=eksamen&type=term",
            "en, third page": f"{search_en}?q=exam&page=3",
        },
    }
    with open(out_path, "w") as out:
        json.dump(data, out)


if __name__ == "__main__":
    setup(
        sys.argv[1],
        int(sys.argv[2]) if len(sys.argv) > 2 else 5_000,
        int(sys.argv[3]) if len(sys.argv) > 3 else 2_000,
    )
