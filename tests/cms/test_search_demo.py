"""The demo's words find their pages in both languages (the demo's seed builds the index)."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

pytestmark = [pytest.mark.django_db]

# (query, language, titles that must be among the results)
CASES = [
    ("buddy", "nb", ["Fadderordningen for internasjonale studenter"]),
    ("buddy", "en", ["International Buddy Programme"]),
    ("ISN", "nb", ["ISN Trondheim – internasjonalt studentnettverk"]),
    ("ISN", "en", ["ISN Trondheim – International Student Network"]),
    ("studentråd", "nb", ["Studentrådet AD", "Studentrådet HF", "Studentrådet IE"]),
    ("studentråd", "en", ["Student Council AD", "Student Council HF", "Student Council IE"]),
    # The glossary bridges the languages: the Norwegian word finds the English page, and back.
    ("fadder", "en", ["International Buddy Programme"]),
    ("student council", "nb", ["Studentrådet AD"]),
    # Glossary terms themselves, and the meetings and elections of student democracy.
    ("studiepoeng", "nb", ["studiepoeng"]),
    ("ECTS", "en", ["ECTS credits"]),
    ("valgreglement", "nb", ["Tingmøte 2: valgreglement"]),
    ("Student Parliament", "en", ["Election to the Student Parliament"]),
]


def search(client, language, query, **params):
    with translation.override(language):
        url = reverse("search")
    response = client.get(url, {"q": query, **params})
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return response, soup


def titles(soup):
    return [h3.get_text(strip=True) for h3 in soup.select("ol.search-results h3")]


def all_titles(client, language, query):
    """Every result's title, over every page of results."""
    found, number = [], 1
    while True:
        _response, soup = search(client, language, query, page=number)
        found += titles(soup)
        if soup.select_one("a[rel=next]") is None:
            return found
        number += 1


@pytest.mark.parametrize(("query", "language", "expected"), CASES)
def test_the_demos_words_find_their_pages(demo_site, client, query, language, expected):
    found = all_titles(client, language, query)

    assert set(expected) <= set(found), found


def test_the_units_filter_keeps_the_councils(demo_site, client):
    _response, soup = search(client, "en", "studentråd", type="unit")

    types = {
        item.select_one(".search-result__type").get_text() for item in soup.select(".search-result")
    }
    assert types == {"Unit"}
    assert soup.select_one("#type-unit").has_attr("checked")


@pytest.mark.postgres
@pytest.mark.stack
@pytest.mark.parametrize(
    ("query", "language", "expected"),
    [
        # Norwegian stemming: the plural with its article finds the singular council.
        ("studentrådene", "nb", ["Studentrådet AD"]),
        # English stemming: "councils" finds "Student Council ...".
        ("councils", "en", ["Student Council AD"]),
    ],
)
def test_on_postgresql_stemming_finds_other_forms(demo_site, client, query, language, expected):
    assert connection.vendor == "postgresql"

    found = all_titles(client, language, query)

    assert set(expected) <= set(found), found


def test_few_and_many_results_cost_the_same_queries(demo_site, client):
    """One query per source, whatever the number of hits (earlier decisions, which prefetch
    their two sides, add two when there are any: both searches here find some)."""
    search(client, "en", "warm up")  # the site's root paths cached
    counts = {}
    for query in ("Astrophysics", "München"):
        with CaptureQueriesContext(connection) as queries:
            _response, soup = search(client, "en", query)
        total = soup.select_one("#type-precedent").find_next("label").get_text()
        counts[query] = (len(queries), total)

    assert counts["Astrophysics"][1] != counts["München"][1]
    assert counts["Astrophysics"][0] == counts["München"][0], counts
