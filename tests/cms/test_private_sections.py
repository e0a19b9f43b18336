"""Private sections remembered (cms.routing.private_sections): ``public()`` answers as
Wagtail's own, with no query for the restrictions once they are known, and follows every
change to them at once. Run on local memory, and on Redis when REDIS_URL is set."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from cms.models import InformationPage
from tests.caches import shared_cache_fixture  # noqa: F401 (the shared_cache fixture)

pytestmark = [pytest.mark.stack, pytest.mark.django_db, pytest.mark.usefixtures("shared_cache")]


def _public_slugs():
    return set(InformationPage.objects.live().public().values_list("slug_en", flat=True))


def _wagtails_own_public_slugs():
    """The same question through Wagtail's own ``private_q``, read from the database."""
    queryset = InformationPage.objects.live()
    q = None
    for restriction in PageViewRestriction.objects.select_related("page"):
        part = queryset.descendant_of_q(restriction.page, inclusive=True)
        q = part if q is None else q | part
    if q is not None:
        queryset = queryset.exclude(q)
    return set(queryset.values_list("slug_en", flat=True))


def _restrict(slug_en, kind=PageViewRestriction.LOGIN):
    page = InformationPage.objects.get(slug_en=slug_en)
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind)
    if kind == PageViewRestriction.GROUPS:
        restriction.groups.add(Group.objects.create(name=f"Readers of {slug_en}"))
    return restriction


def test_public_answers_as_wagtail_does_through_every_change(site_tree):
    assert _public_slugs() == _wagtails_own_public_slugs()
    restriction = _restrict("arrival-and-housing")
    # The page and everything under it are private at once, nothing else is.
    public = _public_slugs()
    assert "arrival-and-housing" not in public and "residence-permit" not in public
    assert public == _wagtails_own_public_slugs()
    _restrict("go-abroad", PageViewRestriction.GROUPS)
    assert _public_slugs() == _wagtails_own_public_slugs()
    assert "go-abroad" not in _public_slugs()
    restriction.delete()
    assert {"arrival-and-housing", "residence-permit"} <= _public_slugs()
    assert _public_slugs() == _wagtails_own_public_slugs()


def test_a_page_moved_into_a_private_section_is_private(site_tree):
    _restrict("go-abroad")
    moving = InformationPage.objects.get(slug_en="residence-permit")
    assert "residence-permit" in _public_slugs()
    moving.move(InformationPage.objects.get(slug_en="go-abroad"), pos="last-child")
    assert "residence-permit" not in _public_slugs()
    assert _public_slugs() == _wagtails_own_public_slugs()


def test_the_sections_are_read_once_then_remembered(site_tree):
    _restrict("go-abroad")
    _public_slugs()
    sql = []

    def record(execute, query, params, many, context):
        sql.append(query)
        return execute(query, params, many, context)

    with connection.execute_wrapper(record):
        for _ in range(3):
            list(Page.objects.live().public().values_list("pk", flat=True))
    assert len(sql) == 3
    assert not [query for query in sql if "wagtailcore_pageviewrestriction" in query]
    assert PageQuerySet.private_q.__name__ == "_cached_private_q"
