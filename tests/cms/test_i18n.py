"""Both languages: URL prefixes, the root redirect, the switcher and <html lang>."""

import re

import pytest
from django.conf import settings
from django.utils import translation

from cms.models import InformationPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def nested_page(site_tree):
    """An information page two levels down, with different slugs in each language."""
    parent = InformationPage.objects.get(slug_nb="ankomst-og-bolig")
    child = InformationPage(
        title="Studentbolig",
        title_nb="Studentbolig",
        title_en="Student housing",
        slug="studentbolig",
        slug_nb="studentbolig",
        slug_en="student-housing",
        intro_nb="Slik søker du.",
        intro_en="How to apply.",
    )
    parent.add_child(instance=child)
    child.save_revision().publish()
    return child


@pytest.mark.parametrize(
    ("accept", "expected"), [("en-GB,en;q=0.9", "/en/"), ("nb-NO,nb;q=0.9", "/nb/"), ("de", "/nb/")]
)
def test_root_redirects_by_accept_language(client, site_tree, accept, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_root_redirect_prefers_the_language_cookie(client, site_tree):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="nb")
    assert response["Location"] == "/en/"


def test_reading_a_page_remembers_its_language(client, site_tree):
    client.get("/en/arrival-and-housing/", HTTP_ACCEPT_LANGUAGE="nb")
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="nb")
    assert response["Location"] == "/en/"


@pytest.mark.parametrize(
    ("path", "lang"),
    [
        ("/nb/ankomst-og-bolig/studentbolig/", "nb"),
        ("/en/arrival-and-housing/student-housing/", "en"),
        ("/nb/konto/logg-inn/", "nb"),
        ("/en/accounts/login/", "en"),
    ],
)
def test_html_lang_matches_the_url(client, nested_page, path, lang):
    response = client.get(path)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.content.decode()


def test_a_page_is_not_served_under_the_other_languages_slug(client, nested_page):
    assert client.get("/en/ankomst-og-bolig/studentbolig/").status_code == 404
    assert client.get("/nb/arrival-and-housing/student-housing/").status_code == 404


def _switch_target(html, code):
    match = re.search(rf'<a href="([^"]+)" lang="{code}" hreflang="{code}"', html)
    assert match, f"no switcher link to {code}"
    return match.group(1).replace("&amp;", "&")


def test_switcher_round_trip_on_a_nested_page_keeps_the_query(client, nested_page):
    nb = client.get("/nb/ankomst-og-bolig/studentbolig/?fra=epost&side=2").content.decode()
    to_en = _switch_target(nb, "en")
    assert to_en == "/en/arrival-and-housing/student-housing/?fra=epost&side=2"

    en = client.get(to_en)
    assert en.status_code == 200
    to_nb = _switch_target(en.content.decode(), "nb")
    assert to_nb == "/nb/ankomst-og-bolig/studentbolig/?fra=epost&side=2"
    assert client.get(to_nb).status_code == 200


def test_switcher_on_a_django_view_lands_on_the_same_view(client, site_tree):
    html = client.get("/en/search/?q=housing").content.decode()
    assert _switch_target(html, "nb") == "/nb/sok/?q=housing"


def test_a_field_empty_in_one_language_falls_back_and_is_labelled(client, site_tree):
    page = InformationPage.objects.get(slug_nb="studentdemokratiet")
    page.single_language = "nb"
    page.title_en = ""
    page.intro_en = ""
    page.body_en = "[]"
    page.save_revision().publish()

    html = client.get("/en/student-democracy/").content.decode()
    assert "Kun på norsk" in html
    assert "Studentdemokratiet" in html
    assert "Kun på norsk" not in client.get("/nb/studentdemokratiet/").content.decode()


def test_only_in_english_label(client, site_tree):
    page = InformationPage.objects.get(slug_nb="utveksling")
    page.single_language = "en"
    page.save_revision().publish()
    with translation.override("en"):
        assert page.only_in_language is None
    assert "Only in English" in client.get("/nb/utveksling/").content.decode()


@pytest.mark.parametrize(
    ("login", "next_path", "code", "expected_next"),
    [
        # A Django view: its translated path.
        ("/en/accounts/login/", "/en/search/?q=bolig", "nb", "/nb/sok/?q=bolig"),
        ("/nb/konto/logg-inn/", "/nb/sok/", "en", "/en/search/"),
        # A Wagtail page: its translated slugs.
        (
            "/en/accounts/login/",
            "/en/arrival-and-housing/student-housing/",
            "nb",
            "/nb/ankomst-og-bolig/studentbolig/",
        ),
        (
            "/nb/konto/logg-inn/",
            "/nb/ankomst-og-bolig/studentbolig/",
            "en",
            "/en/arrival-and-housing/student-housing/",
        ),
        # Paths without a language, and other sites, stay as they are.
        ("/en/accounts/login/", "/admin/pages/", "nb", "/admin/pages/"),
        ("/en/accounts/login/", "https://evil.example/en/", "nb", "https://evil.example/en/"),
    ],
)
def test_switcher_on_the_login_page_translates_next(
    client, nested_page, login, next_path, code, expected_next
):
    html = client.get(login, {"next": next_path}).content.decode()
    target = _switch_target(html, code)
    path, query = target.split("?", 1)
    with translation.override(code):
        from django.urls import reverse

        assert path == reverse("account_login")
    from urllib.parse import parse_qs

    assert parse_qs(query)["next"] == [expected_next]
    assert client.get(target).status_code == 200
