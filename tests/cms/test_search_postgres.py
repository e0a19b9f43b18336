"""On PostgreSQL: the search backend stems each field in its own language, and a query in both.

Wagtail's own backend stems the whole index in one configuration; ours reads
the field name's suffix (``_nb`` Norwegian, ``_en`` English, others simple).
"""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command
from django.utils import translation
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.database.postgres.postgres import IndexEntry, PostgresSearchBackend

from cms.models import InformationPage
from cms.search.postgres import BilingualPostgresSearchBackend, field_config
from cms.search.selectors import site_search

pytestmark = [pytest.mark.django_db, pytest.mark.stack, pytest.mark.postgres]


def page_make(parent, slug, *, nb, en, intro_nb="", intro_en=""):
    page = InformationPage(slug=slug, title=nb)
    page.slug_nb = page.slug_en = slug
    page.title_nb, page.title_en = nb, en
    page.intro_nb, page.intro_en = intro_nb, intro_en
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def found(query, *, language="en"):
    with translation.override(language):
        outcome = site_search(query=query, language=language)
        return [result.hit.title for result in outcome.results]


@pytest.fixture
def home(site_tree):
    return site_tree["home"]


def test_the_default_backend_is_the_bilingual_one():
    assert isinstance(get_search_backend(), BilingualPostgresSearchBackend)
    assert [field_config(name) for name in ("intro_nb", "intro_en", "title", "code")] == [
        "norwegian",
        "english",
        "simple",
        "simple",
    ]


def test_each_field_is_stemmed_in_its_own_language(home):
    page = page_make(
        home,
        "student-life",
        nb="Studentliv",
        en="Student life",
        intro_nb="Alle arrangementene i fadderuka.",
        intro_en="All the events of the week.",
    )
    get_search_backend().add(page)
    entry = IndexEntry.objects.get(object_id=str(page.pk), content_type__model="informationpage")

    def has(config, word):
        return IndexEntry.objects.filter(
            pk=entry.pk, body=SearchQuery(word, config=config)
        ).exists()

    # The Norwegian stem of "arrangementene" from intro_nb, the English stem of "events" from intro_en.
    assert has("norwegian", "arrangement")
    assert has("english", "event")
    # The English stemmer never saw the Norwegian text: its stem of "arrangementene" is not there.
    assert not IndexEntry.objects.filter(
        pk=entry.pk, body=SearchQuery("arrangementene", config="simple")
    ).exists()


@pytest.mark.parametrize(
    ("query", "language"),
    [("arrangement", "nb"), ("arrangementer", "en"), ("event", "en"), ("eventing", "nb")],
)
def test_a_query_is_matched_in_both_languages(home, query, language):
    page_make(
        home,
        "student-life",
        nb="Studentliv",
        en="Student life",
        intro_nb="Alle arrangementene i fadderuka.",
        intro_en="All the events of the week.",
    )
    page_make(home, "housing", nb="Bolig", en="Housing", intro_nb="Hybel.", intro_en="Rooms.")
    call_command("update_index", verbosity=0)

    assert found(query, language=language) == ["Studentliv" if language == "nb" else "Student life"]


def test_wagtails_own_backend_with_one_configuration_misses_the_other_language(home):
    page = page_make(
        home,
        "student-life",
        nb="Studentliv",
        en="Student life",
        intro_nb="Alle arrangementene.",
        intro_en="All the events.",
    )
    english_only = PostgresSearchBackend({"SEARCH_CONFIG": "english"})
    english_only.add(page)

    assert list(english_only.search("events", InformationPage)) == [page]
    assert list(english_only.search("arrangement", InformationPage)) == []


def test_a_published_page_is_indexed_on_save_when_auto_update_is_on(home, settings):
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cms.search.backend"}}

    page_make(home, "meetings", nb="Allmøtene", en="General meetings")

    assert found("allmøte", language="nb") == ["Allmøtene"]
    assert found("meeting") == ["General meetings"]
