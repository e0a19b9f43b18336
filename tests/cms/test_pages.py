"""Every page type renders in both languages with its own language's content."""

import pytest

from cms.models import InformationPage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "lang", "expected"),
    [
        ("/nb/", "nb", "Velkommen"),
        ("/en/", "en", "Welcome"),
        ("/nb/ankomst-og-bolig/", "nb", "Ankomst og bolig"),
        ("/en/arrival-and-housing/", "en", "Arrival and housing"),
    ],
)
def test_page_renders_in_its_language(client, site_tree, path, lang, expected):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{expected}</h1>" in html


def test_information_page_body_is_in_the_readers_language(client, site_tree):
    nb = client.get("/nb/ankomst-og-bolig/").content.decode()
    en = client.get("/en/arrival-and-housing/").content.decode()
    assert "Før du kommer" in nb and "Before you come" not in nb
    assert "Before you come" in en and "Før du kommer" not in en


def test_demo_seed_is_idempotent(site_tree):
    from cms.demo import seed_site

    seed_site()
    count = InformationPage.objects.count()
    seed_site()
    assert InformationPage.objects.count() == count


@pytest.mark.parametrize("language", ["nb", "en"])
def test_go_abroad_gives_the_emergency_phone_as_a_number_to_call(client, site_tree, language):
    from cms.demo import DATA, EMERGENCY_PHONE, EMERGENCY_PHONE_LINK, seed_site

    seed_site()
    page = next(page for page in DATA["page"] if page["slug"]["en"] == "go-abroad")
    contact = next(block for block in page["body"][language] if "contact" in block)
    html = client.get(f"/{language}/{page['slug'][language]}/").content.decode()
    assert contact["name"] in html
    assert f'<a href="tel:{EMERGENCY_PHONE_LINK}">{EMERGENCY_PHONE}</a>' in html
