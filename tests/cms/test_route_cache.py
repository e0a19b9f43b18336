"""Remembered routes (cms.routing): fewer queries, and no route survives a change of the tree.

Marked ``stack``: the suite runs these on the local-memory cache, and CI again on Redis.
"""

import re

import pytest
from django.db import connection
from wagtail.models import Page, PageViewRestriction, Site

from cms.middleware import page_cache_clear
from cms.models import InformationPage

pytestmark = pytest.mark.stack

PERMIT = {
    "nb": "/nb/ankomst-og-bolig/oppholdstillatelse/",
    "en": "/en/arrival-and-housing/residence-permit/",
}


@pytest.fixture(autouse=True)
def _without_the_reader_page_cache(settings):
    """Routing is what these tests read: the reader page cache would answer before it."""
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if name != "cms.middleware.ReaderPageCacheMiddleware"
    ]


def _queries(client, path, status=200):
    """The SQL a request ran (an execute wrapper: Django clears its query log as a request starts)."""
    sql = []

    def record(execute, query, params, many, context):
        sql.append(query)
        return execute(query, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get(path)
    assert response.status_code == status, path
    return sql


def _routing_queries(sql):
    """The site, a child by its slug, a page's specific row by its id: what routing asks.

    The same generation purges the cached page parts (cms.fragments), whose own queries
    (the menu, the subpages, the breadcrumbs, the footer) a first request makes too.
    """
    return [
        query
        for query, where in ((q, q.partition(" WHERE ")[2]) for q in sql)
        if '"wagtailcore_site"' in query
        or '"slug_' in where
        or re.search(r'"page_ptr_id" = %s', where)
    ]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_second_request_routes_from_the_cache_in_one_query(client, site_tree, user, language):
    # Signed in, so that the anonymous page cache does not answer instead (and the reader
    # page cache is left out above).
    client.force_login(user)
    client.get(PERMIT[language])
    # A new generation forgets the routes (and the cached page parts, built again).
    page_cache_clear()
    first = _queries(client, PERMIT[language])
    second = _queries(client, PERMIT[language])
    # Routing afresh: the site with its root, the root's specific row and two levels of pages
    # (each found, then its specific row), six queries. A remembered route takes one, the page
    # itself, and knows that nothing restricts it. (The same generation also rebuilds the
    # cached page parts, cms.fragments, whose own queries the first request makes too.)
    assert len(_routing_queries(first)) == 6
    assert len(_routing_queries(second)) == 1
    assert not [q for q in second if '"wagtailcore_site"' in q]
    assert not [q for q in second if '"wagtailcore_pageviewrestriction"' in q]


def test_the_languages_route_apart(client, site_tree, user):
    client.force_login(user)
    for _ in range(2):
        assert "Oppholdstillatelse" in client.get(PERMIT["nb"]).text
        assert "Residence permit" in client.get(PERMIT["en"]).text
    # The English slug under the Norwegian prefix is no route.
    assert client.get("/nb/arrival-and-housing/residence-permit/").status_code == 404


def test_an_unpublished_page_is_not_served_from_a_remembered_route(client, site_tree, user):
    client.force_login(user)
    for path in PERMIT.values():
        client.get(path)
    InformationPage.objects.get(slug_en="residence-permit").unpublish()
    for path in PERMIT.values():
        assert client.get(path).status_code == 404


def test_a_page_unpublished_without_signals_is_routed_afresh(client, site_tree, user):
    client.force_login(user)
    client.get(PERMIT["en"])
    # A bulk update sends no signal: the remembered page is checked for being live on each hit.
    InformationPage.objects.filter(slug_en="residence-permit").update(live=False)
    assert client.get(PERMIT["en"]).status_code == 404


def test_a_renamed_page_moves_to_its_new_address_in_both_languages(client, site_tree, user):
    client.force_login(user)
    for path in PERMIT.values():
        client.get(path)
    page = InformationPage.objects.get(slug_en="residence-permit")
    page.slug_nb, page.slug_en = "opphold", "permit"
    page.save_revision().publish()
    for path in PERMIT.values():
        assert client.get(path).status_code == 404
    assert "Oppholdstillatelse" in client.get("/nb/ankomst-og-bolig/opphold/").text
    assert "Residence permit" in client.get("/en/arrival-and-housing/permit/").text


def test_a_moved_page_is_found_at_its_new_address(client, site_tree, user):
    client.force_login(user)
    client.get(PERMIT["en"])
    page = InformationPage.objects.get(slug_en="residence-permit")
    page.move(site_tree["home"], pos="last-child")
    # The old address sends the reader on (Wagtail's redirects), the new one serves the page.
    response = client.get(PERMIT["en"])
    assert response.status_code == 301 and response["Location"] == "/en/residence-permit/"
    assert "Residence permit" in client.get("/en/residence-permit/").text


def test_a_deleted_page_is_gone(client, site_tree, user):
    client.force_login(user)
    client.get(PERMIT["en"])
    Page.objects.get(pk=InformationPage.objects.get(slug_en="residence-permit").pk).delete()
    assert client.get(PERMIT["en"]).status_code == 404


def test_a_restricted_page_stays_restricted_after_its_route_is_remembered(client, site_tree, user):
    # Read anonymously (the page cache keeps it) and signed in (the route is remembered).
    client.get(PERMIT["en"])
    client.force_login(user)
    client.get(PERMIT["en"])
    client.logout()
    page = InformationPage.objects.get(slug_en="residence-permit")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(PERMIT["en"])
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(user)
    assert client.get(PERMIT["en"]).status_code == 200


def test_a_page_under_a_restricted_section_is_checked_on_every_request(client, site_tree, user):
    section = InformationPage.objects.get(slug_en="arrival-and-housing")
    PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
    client.force_login(user)
    for _ in range(2):
        sql = _queries(client, PERMIT["en"])
        assert [q for q in sql if '"wagtailcore_pageviewrestriction"' in q]
    client.logout()
    for _ in range(2):
        response = client.get(PERMIT["nb"])
        assert response.status_code == 302 and "/nb/konto/logg-inn/?next=" in response["Location"]
    PageViewRestriction.objects.filter(page=section).delete()
    assert client.get(PERMIT["nb"]).status_code == 200


def test_a_changed_site_routes_afresh(client, site_tree, user):
    client.force_login(user)
    client.get(PERMIT["en"])
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.is_default_site = "elsewhere.example.org", False
    site.save()
    # No site answers for localhost any more.
    assert client.get(PERMIT["en"]).status_code == 404
