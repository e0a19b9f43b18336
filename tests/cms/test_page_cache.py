"""Anonymous readers get cached pages: never the other language's, never stale after publishing."""

import pytest

from cms.models import InformationPage

pytestmark = [pytest.mark.stack, pytest.mark.django_db]


def test_a_second_anonymous_read_is_served_from_the_cache(client, site_tree):
    assert client.get("/nb/ankomst-og-bolig/")["X-Page-Cache"] == "miss"
    assert client.get("/nb/ankomst-og-bolig/")["X-Page-Cache"] == "hit"


def test_the_languages_never_share_a_cached_copy(client, site_tree):
    client.get("/nb/")
    english = client.get("/en/")
    assert english["X-Page-Cache"] == "miss"
    assert '<html lang="en">' in english.content.decode()
    assert "<h1>Welcome</h1>" in english.content.decode()


def test_publishing_a_change_clears_the_cache(client, site_tree):
    client.get("/en/arrival-and-housing/")
    page = InformationPage.objects.get(slug_nb="ankomst-og-bolig")
    page.intro_en = "Updated introduction for arrivals."
    page.save_revision().publish()
    response = client.get("/en/arrival-and-housing/")
    assert response["X-Page-Cache"] == "miss"
    assert "Updated introduction for arrivals." in response.content.decode()


def test_logged_in_readers_are_never_served_from_the_cache(client, site_tree, user):
    client.get("/nb/")
    client.force_login(user)
    response = client.get("/nb/")
    # Not the anonymous copy: the reader page cache's own (cms.middleware), with their menu.
    assert response.get("X-Page-Cache") in (None, "reader-miss", "reader-hit")
    # The header names the person signed in (an anonymous page from the cache would not).
    assert f">{user.get_short_name()}</a>" in response.content.decode()


def test_views_that_are_not_pages_are_not_cached(client, site_tree):
    client.get("/en/search/?q=housing")
    assert "X-Page-Cache" not in client.get("/en/search/?q=housing")
