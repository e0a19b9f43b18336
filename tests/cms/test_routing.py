"""Routing to a page finds it in the database, whatever the number of its siblings."""

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cms.models import InformationPage

pytestmark = [pytest.mark.stack, pytest.mark.django_db]


def _section_with_children(home, slug, count):
    # Norwegian is the default language, so the untranslated title and slug
    # fields mean the Norwegian ones while the pages are made.
    with translation.override("nb"):
        return _make_section(home, slug, count)


def _make_section(home, slug, count):
    section = InformationPage(
        title_nb=f"Seksjon {slug}", title_en=f"Section {slug}", slug_nb=slug, slug_en=f"{slug}-en"
    )
    section.title = section.title_nb
    section.slug = slug
    home.add_child(instance=section)
    section.save_revision().publish()
    depth = section.depth + 1
    for number in range(count):
        child = InformationPage(
            title=f"Side {number}",
            title_nb=f"Side {number}",
            title_en=f"Page {number}",
            slug=f"side-{number}",
            slug_nb=f"side-{number}",
            slug_en=f"page-{number}",
            live=True,
            depth=depth,
            path=InformationPage._get_path(section.path, depth, number + 1),
            numchild=0,
        )
        # The tree position is set above; skipping full_clean (a sibling-slug
        # query per page) makes 500 siblings take seconds instead of half a minute.
        child.save(clean=False)
    InformationPage.objects.filter(pk=section.pk).update(numchild=count)
    return section


@pytest.fixture(scope="module")
def _sections(django_db_setup, django_db_blocker):
    """Sections with 5 and with 500 children, built once for the module and rolled back after."""
    from django.db import transaction

    from cms.models import HomePage

    with django_db_blocker.unblock(), transaction.atomic():
        home = HomePage.objects.get()
        _section_with_children(home, "fa", 5)
        _section_with_children(home, "mange", 500)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def sections(_sections, db):
    """The slugs "fa" (5 children) and "mange" (500 children) under the home page."""


def _queries_for(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.fixture
def rows_loaded(monkeypatch):
    """Counts model instances built from database rows."""
    counter = {"rows": 0}
    original = Model.from_db.__func__

    def counting(cls, db, field_names, values, **kwargs):
        counter["rows"] += 1
        return original(cls, db, field_names, values, **kwargs)

    monkeypatch.setattr(Model, "from_db", classmethod(counting))
    return counter


def _rows_for(client, path, counter):
    counter["rows"] = 0
    assert client.get(path).status_code == 200
    return counter["rows"]


@pytest.mark.parametrize(
    ("nb_path", "en_path"),
    [("/nb/{slug}/side-3/", "/en/{slug}-en/page-3/")],
)
def test_routing_among_500_siblings_costs_the_same_as_among_5(client, sections, nb_path, en_path):
    for template in (nb_path, en_path):
        # Warm the site-root cache on a sibling; each measured page is read for
        # the first time, so neither comes from the page cache.
        _queries_for(client, template.format(slug="fa").replace("-3/", "-1/"))
        few = _queries_for(client, template.format(slug="fa"))
        many = _queries_for(client, template.format(slug="mange"))
        assert few == many, template


def test_routing_among_500_siblings_loads_no_more_rows_than_among_5(client, sections, rows_loaded):
    for template in ("/nb/{slug}/side-3/", "/en/{slug}-en/page-3/"):
        _rows_for(client, template.format(slug="fa").replace("-3/", "-1/"), rows_loaded)
        few = _rows_for(client, template.format(slug="fa"), rows_loaded)
        many = _rows_for(client, template.format(slug="mange"), rows_loaded)
        assert few == many, template


def test_a_slug_missing_in_english_falls_back_to_the_norwegian_one(client, site_tree):
    home = site_tree["home"]
    page = InformationPage(
        title="Bare norsk",
        title_nb="Bare norsk",
        slug="bare-norsk",
        slug_nb="bare-norsk",
        slug_en="",
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    assert client.get("/en/bare-norsk/").status_code == 200


def test_unpublished_pages_are_not_served(client, site_tree):
    page = InformationPage.objects.get(slug_nb="utveksling")
    page.unpublish()
    assert client.get("/nb/utveksling/").status_code == 404
