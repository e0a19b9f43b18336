"""Search is where people look for it: in the header of every page, on the home page, and the
search page's own form, each sending to the search URL in the reader's language."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation

from cms.search.index import search_index_rebuild

pytestmark = pytest.mark.django_db

LANGUAGES = ["nb", "en"]
HEADER_LABEL = {"nb": "Søk på nettstedet", "en": "Site search"}
FIELD_LABEL = {"nb": "Søk på nettstedet", "en": "Search the site"}


def _search_url(language):
    with translation.override(language):
        return reverse("search")


def _search_forms(html):
    """Every form with a search field: (form, its field)."""
    soup = BeautifulSoup(html, "html.parser")
    return [(field.find_parent("form"), field) for field in soup.select("input[name='q']")]


def _label_of(form, field):
    return form.find("label", attrs={"for": field["id"]}).get_text(strip=True)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_search_pages_form_sends_to_the_search_url(client, site_tree, language):
    url = _search_url(language)
    response = client.get(url, {"q": "housing"})

    forms = _search_forms(response.content.decode())

    assert response.status_code == 200
    assert len(forms) == 2  # the header's and the page's own
    assert [form["action"] for form, _field in forms] == [url, url]
    assert [form["method"] for form, _field in forms] == ["get", "get"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("where", ["home", "events"])
def test_the_header_has_a_labelled_search_field_in_the_pages_language(
    client, site_tree, language, where
):
    with translation.override(language):
        path = f"/{language}/" if where == "home" else reverse("activities:event_list")
    html = client.get(path).content.decode()

    header = BeautifulSoup(html, "html.parser").find("header")
    form = header.find("form", attrs={"role": "search"})
    field = form.find("input", attrs={"name": "q"})

    assert form["action"] == _search_url(language)
    assert form["aria-label"] == HEADER_LABEL[language]
    assert field["type"] == "search"
    assert _label_of(form, field) == FIELD_LABEL[language]
    # Inside the menu that folds away on small screens, which works without JavaScript.
    assert form.find_parent("details", class_="site-menu") is not None


@pytest.mark.parametrize(
    ("language", "label"), [("nb", "Søk i Velkommen"), ("en", "Search Velkommen")]
)
def test_the_home_page_has_its_own_search_field(client, site_tree, language, label):
    html = client.get(f"/{language}/").content.decode()

    main = BeautifulSoup(html, "html.parser").find("main")
    form = main.find("form", attrs={"role": "search"})
    field = form.find("input", attrs={"name": "q"})

    assert form["action"] == _search_url(language)
    assert _label_of(form, field) == label


def test_the_header_search_finds_pages(client, site_tree):
    search_index_rebuild()
    html = client.get("/en/").content.decode()
    form = BeautifulSoup(html, "html.parser").find("header").find("form", attrs={"role": "search"})

    response = client.get(form["action"], {"q": "housing"})

    results = BeautifulSoup(response.content.decode(), "html.parser").select("ol.search-results h3")
    assert response.status_code == 200
    assert [title.get_text(strip=True) for title in results] == ["Arrival and housing"]
