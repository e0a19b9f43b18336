"""The site search's results: both languages, every source, only what anyone may see.

The tests index what they search (the test settings do not index on save).
"""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail import hooks
from wagtail.models import PageViewRestriction

from cms.models import InformationPage
from cms.search.index import search_index_rebuild
from cms.search.registry import search_sources
from cms.search.selectors import MAX_QUERY_LENGTH, site_search, title_matches
from cms.search.sources import SearchSource, SourceAlreadyRegistered
from onboarding.hooks import SEARCH_SOURCES, SEARCH_SYNONYMS

pytestmark = [pytest.mark.django_db, pytest.mark.stack]

LANGUAGES = ["nb", "en"]


def page_make(parent, slug, *, nb, en, intro_nb="", intro_en="", single="", live=True):
    page = InformationPage(slug=slug, title=nb or en, single_language=single, live=live)
    page.slug_nb = page.slug_en = slug
    page.title_nb, page.title_en = nb, en
    page.intro_nb, page.intro_en = intro_nb, intro_en
    parent.add_child(instance=page)
    if live:
        page.save_revision().publish()
    return page


def search_url(language):
    with translation.override(language):
        return reverse("search")


def result_titles(response):
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return [h3.get_text(strip=True) for h3 in soup.select("ol.search-results h3")]


@pytest.fixture
def home(site_tree):
    return site_tree["home"]


@pytest.mark.parametrize(("language", "title"), [("nb", "Fadderuka"), ("en", "Buddy week")])
def test_both_languages_urls_find_a_page_by_either_languages_words(client, home, language, title):
    page_make(home, "buddy-week", nb="Fadderuka", en="Buddy week", intro_nb="Bli kjent.")
    search_index_rebuild()

    by_own = client.get(search_url(language), {"q": title})
    by_other = client.get(search_url(language), {"q": "Fadderuka" if language == "en" else "Buddy"})

    assert by_own.status_code == by_other.status_code == 200
    assert result_titles(by_own) == [title]
    assert result_titles(by_other) == [title]
    assert search_url(language) == {"nb": "/nb/sok/", "en": "/en/search/"}[language]


def test_a_page_in_an_unpublished_or_private_branch_is_never_found(client, home):
    draft = page_make(home, "draft", nb="Utkast", en="Draft", live=False)
    page_make(draft, "hidden-under-draft", nb="Skjult kalender", en="Hidden calendar")
    private = page_make(home, "private", nb="Privat", en="Private")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    page_make(private, "hidden-under-private", nb="Privat kalender", en="Private calendar")
    page_make(home, "open", nb="Åpen kalender", en="Open calendar")
    search_index_rebuild()

    response = client.get(search_url("en"), {"q": "calendar"})

    assert result_titles(response) == ["Open calendar"]
    assert site_search(query="kalender", language="nb").total == 1


def test_synonyms_from_the_hook_bridge_the_languages(client, home):
    page_make(home, "buddies", nb="Buddyprogrammet", en="Buddy programme")

    def synonyms(*, query, language):
        return ["buddy programme", "Fadder"] if query.casefold() == "fadder" else []

    search_index_rebuild()
    with hooks.register_temporarily(SEARCH_SYNONYMS, synonyms):
        response = client.get(search_url("en"), {"q": "fadder"})
        outcome = site_search(query="fadder", language="en")

    assert result_titles(response) == ["Buddy programme"]
    assert outcome.synonyms == ["buddy programme"]  # the query itself is not repeated
    assert "buddy programme" in BeautifulSoup(response.content, "html.parser").find("main").text
    assert site_search(query="fadder", language="en").total == 0  # without the synonyms


def test_filters_by_type_with_counts_and_labels_each_hit(client, home):
    news = page_make(home, "news", nb="Nyheter", en="News")
    page_make(news, "news-library", nb="Biblioteket åpner", en="The library opens")
    page_make(home, "library", nb="Biblioteket", en="The library")

    def sources():
        return [
            SearchSource(
                key="news",
                name="News item",
                plural="News",
                model=InformationPage,
                queryset=lambda: InformationPage.objects.child_of(news),
                order=5,
            )
        ]

    search_index_rebuild()
    with hooks.register_temporarily(SEARCH_SOURCES, sources):
        everything = client.get(search_url("en"), {"q": "library"})
        only_news = client.get(search_url("en"), {"q": "library", "type": "news"})

    soup = BeautifulSoup(everything.content.decode(), "html.parser")
    boxes = {box["value"]: box for box in soup.select("input[type=checkbox][name=type]")}
    labels = {
        key: soup.find("label", attrs={"for": box["id"]}).get_text() for key, box in boxes.items()
    }
    assert labels == {"news": "News (1)", "page": "Information pages (2)"}
    assert sorted(result_titles(everything)) == [
        "The library",
        "The library opens",
        "The library opens",
    ]
    types = [p.select_one(".search-result__type").get_text() for p in soup.select(".search-result")]
    assert sorted(types) == ["Information page", "Information page", "News item"]

    filtered = BeautifulSoup(only_news.content.decode(), "html.parser")
    assert result_titles(only_news) == ["The library opens"]
    assert filtered.select_one("#type-news").has_attr("checked")
    assert not filtered.select_one("#type-page").has_attr("checked")
    assert (
        filtered.select_one("#type-page").find_next("label").get_text() == "Information pages (2)"
    )


@pytest.mark.parametrize(
    ("language", "badge"), [("nb", "Only in English"), ("en", "Only in English")]
)
def test_a_single_language_page_is_labelled_and_the_readers_language_comes_first(
    client, home, language, badge
):
    page_make(
        home, "orientation", nb="Orientation orientation", en="Orientation orientation", single="en"
    )
    page_make(
        home,
        "week",
        nb="Velkomstuke",
        en="Welcome week",
        intro_nb="Orientation.",
        intro_en="Orientation.",
    )
    search_index_rebuild()

    response = client.get(search_url(language), {"q": "orientation"})

    soup = BeautifulSoup(response.content.decode(), "html.parser")
    items = soup.select("li.search-result")
    assert len(items) == 2
    english_only = next(item for item in items if item.select_one(".badge"))
    assert english_only.select_one(".badge").get_text() == badge
    assert english_only.select_one(".badge")["lang"] == "en"
    if language == "nb":
        # The page written in both comes first for a Norwegian reader, though weaker.
        assert items[0].select_one(".badge") is None
        assert english_only.h3["lang"] == "en"
    else:
        assert items[0] is english_only  # the stronger match (its title) first


def test_the_number_of_queries_does_not_grow_with_the_results(client, home):
    def pages(count, prefix):
        for number in range(count):
            page_make(home, f"{prefix}-{number}", nb=f"{prefix} {number}", en=f"{prefix} {number}")

    pages(10, "tiny")
    pages(100, "large")
    search_index_rebuild()
    client.get(search_url("en"), {"q": "warmup"})  # the site's root paths cached

    counts = {}
    for word in ("tiny", "large"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(search_url("en"), {"q": word})
        assert response.status_code == 200
        counts[word] = len(queries)

    assert site_search(query="large", language="en").total == 100
    assert counts["tiny"] == counts["large"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_too_long_and_empty_searches_are_explained(client, site_tree, language):
    too_long = client.get(search_url(language), {"q": "a" * (MAX_QUERY_LENGTH + 1)})
    empty = client.get(search_url(language), {"q": "   "})

    error = BeautifulSoup(too_long.content.decode(), "html.parser").find(id="search-error")
    assert too_long.status_code == 400
    assert error["role"] == "alert"
    assert str(MAX_QUERY_LENGTH) in error.get_text()
    assert empty.status_code == 200
    assert BeautifulSoup(empty.content.decode(), "html.parser").select("ol.search-results") == []


def test_nothing_found_says_so_in_the_readers_language(client, site_tree):
    search_index_rebuild()

    response = client.get(search_url("nb"), {"q": "xylofonorkester"})

    main = BeautifulSoup(response.content.decode(), "html.parser").find("main").get_text()
    assert "0 treff" in main
    assert "Ingen treff" in main


def test_a_source_key_registered_twice_is_refused():
    def twice():
        return [
            SearchSource(key="page", name="x", plural="xs", model=InformationPage),
        ]

    with hooks.register_temporarily(SEARCH_SOURCES, twice), pytest.raises(SourceAlreadyRegistered):
        search_sources()


def test_every_source_of_the_site_is_registered():
    keys = [source.key for source in search_sources()]

    assert {"page", "unit", "event", "course", "checklist", "destination", "precedent"} <= set(keys)


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        "\\",
        "*",
        "-",
        "a -b",
        "(",
        "AND",
        "NEAR(a b)",
        "^x",
        "a:b",
        "&|!",
        "“quoted”",
        "ø*",
    ],
)
def test_any_characters_are_searched_as_words(client, home, query):
    page_make(home, "library", nb="Biblioteket", en="The library")
    search_index_rebuild()

    response = client.get(search_url("en"), {"q": query})

    assert response.status_code == 200


def test_a_hit_whose_title_holds_the_words_comes_before_one_that_mentions_them(client, home):
    page_make(
        home,
        "arrival",
        nb="Ankomst",
        en="Arrival",
        intro_en="Council council council council.",
    )
    page_make(
        home,
        "councils",
        nb="Studentrådene",
        en="Student councils",
        intro_en="Each faculty has one, elected every year by the students of the faculty, "
        "with meetings open to all, minutes published and a budget of its own.",
    )
    search_index_rebuild()

    assert result_titles(client.get(search_url("en"), {"q": "council"})) == [
        "Student councils",
        "Arrival",
    ]
    assert result_titles(client.get(search_url("nb"), {"q": "studentråd"})) == ["Studentrådene"]


@pytest.mark.parametrize(
    ("title", "phrases", "matches"),
    [
        ("Studentrådet AD", ["studentråd"], True),
        ("International Buddy Programme", ["fadder", "buddy programme"], True),
        ("ISN Trondheim – International Student Network", ["isn"], True),
        ("Arrival checklist", ["buddy"], False),
        ("Student councils", ["council", "elections"], True),
        ("Student life", ["student council"], False),
        ("Anything", ["  "], False),
        # A short word (an abbreviation) must be a whole word, or "sp" would be in every spring.
        ("Norwegian, elementary – Spring 2027", ["sp"], False),
        ("Courses of 7.5 sp", ["sp"], True),
    ],
)
def test_a_title_holds_the_words_when_each_begins_one_of_its_words(title, phrases, matches):
    assert title_matches(title, phrases) is matches


def test_an_abbreviation_among_the_synonyms_finds_itself_not_every_word_it_begins(client, home):
    page_make(home, "credits", nb="Studiepoeng", en="Credits")
    page_make(home, "spring", nb="Vårsemesteret", en="Spring semester")

    def synonyms(*, query, language):
        return ["sp", "credits"] if query.casefold() == "studiepoeng" else []

    search_index_rebuild()
    with hooks.register_temporarily(SEARCH_SYNONYMS, synonyms):
        response = client.get(search_url("en"), {"q": "studiepoeng"})

    assert result_titles(response) == ["Credits"]


def test_rich_text_is_summarised_as_its_words(client, home):
    page_make(
        home, "rich", nb="Rik", en="Rich", intro_en="<p>Bring <b>two</b> photos &amp; a form.</p>"
    )
    search_index_rebuild()

    response = client.get(search_url("en"), {"q": "rich"})

    result = BeautifulSoup(response.content.decode(), "html.parser").select_one(
        "ol.search-results li"
    )
    texts = [paragraph.get_text(strip=True) for paragraph in result.find_all("p")]
    assert "Bring two photos & a form." in texts
