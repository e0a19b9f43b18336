"""The public "Who does what": an accessible table per level, in both languages."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from onboarding.responsibilities.levels import Level, Role
from onboarding.responsibilities.models import ResponsibilityMatrixPage
from onboarding.responsibilities.services import AssignmentSpec, assignment_create
from onboarding.units.models import UnitPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def matrix_page(tree, area):
    page = ResponsibilityMatrixPage(title="Hvem gjør hva", slug="hvem-gjor-hva")
    page.title_nb, page.title_en = "Hvem gjør hva", "Who does what"
    page.slug_nb, page.slug_en = "hvem-gjor-hva", "who-does-what"
    page.intro_nb, page.intro_en = "Ansvarsfordelingen.", "The division of responsibility."
    page.show_in_menus = True
    tree["home"].add_child(instance=page)
    page.save_revision().publish()
    return page


def _url(page, language):
    with translation.override(language):
        return UnitPage.objects.get(pk=page.pk).get_url()


@pytest.mark.parametrize(
    ("path", "lang", "title", "area_name"),
    [
        ("/nb/hvem-gjor-hva/", "nb", "Hvem gjør hva", "Ankomst og bolig"),
        ("/en/who-does-what/", "en", "Who does what", "Arrival and housing"),
    ],
)
def test_matrix_page_renders_in_each_language(client, matrix_page, path, lang, title, area_name):
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{title}</h1>" in html
    assert f'<th scope="row">{area_name}</th>' in html


def test_matrix_has_a_table_per_level_in_use(client, matrix_page):
    html = client.get("/en/who-does-what/").content.decode()
    assert html.count("<table") == 2
    assert "<caption>Who does what: University level</caption>" in html
    assert "<caption>Who does what: Faculty level</caption>" in html
    assert "Department level</caption>" not in html


def test_matrix_columns_are_parties_with_links(client, matrix_page, tree):
    html = client.get("/en/who-does-what/").content.decode()
    university = html[
        html.index("University level</caption>") : html.index("Faculty level</caption>")
    ]
    headers = re.findall(r'<th scope="col">(.*?)</th>', university)
    assert headers[0] == "Area"
    assert f'<a href="{_url(tree["section"], "en")}">International Section</a>' in headers
    assert f'<a href="{_url(tree["buddies"], "en")}">Buddy Programme</a>' in headers


def test_matrix_cells_link_to_their_unit_and_show_notes(client, matrix_page, tree):
    html = client.get("/en/who-does-what/").content.decode()
    assert (
        f'<a href="{_url(tree["buddies"], "en")}">Responsible<span class="visually-hidden">'
        " – Buddy Programme</span></a>"
    ) in html
    assert '<span class="matrix__note">Airport pickup</span>' in html


def test_matrix_cell_for_each_faculty_links_to_the_faculties(client, matrix_page):
    html = client.get("/en/who-does-what/").content.decode()
    assert '<a href="/en/units/?kind=faculty">Each faculty</a>' in html
    assert (
        '<a href="/en/units/?kind=faculty">Accountable, Responsible<span class="visually-hidden">'
        " – Each faculty</span></a>"
    ) in html


def test_matrix_shows_the_norwegian_role_names_on_the_norwegian_page(client, matrix_page, tree):
    html = client.get("/nb/hvem-gjor-hva/").content.decode()
    assert (
        f'<a href="{_url(tree["buddies"], "nb")}">Ansvarlig<span class="visually-hidden">'
        " – Fadderordningen</span></a>"
    ) in html
    assert (
        '<a href="/nb/enheter/?kind=faculty">Godkjenner, Ansvarlig<span class="visually-hidden">'
        " – Hvert fakultet</span></a>"
    ) in html
    assert "<caption>Hvem gjør hva: Universitetsnivå</caption>" in html
    assert '<span class="matrix__note">Henting på flyplassen</span>' in html


def test_matrix_has_a_card_per_area_for_small_screens(client, matrix_page, tree):
    html = client.get("/en/who-does-what/").content.decode()
    cards = re.findall(r'<li class="matrix-card card">(.*?)</li>', html, re.S)
    university = cards[0]
    assert len(cards) == 2  # one area, at two levels
    assert "<h3>Arrival and housing</h3>" in university
    assert f'<dt><a href="{_url(tree["buddies"], "en")}">Buddy Programme</a></dt>' in university
    assert '<dd>Responsible<span class="matrix__note">Airport pickup</span></dd>' in university
    # Only the parties with a role in the area: the faculties have none at university level.
    assert "Each faculty" not in university and "Each faculty" in cards[1]


def test_matrix_leaves_out_a_unit_that_is_unpublished(client, matrix_page, tree):
    UnitPage.objects.get(pk=tree["buddies"].pk).unpublish()
    html = client.get("/en/who-does-what/").content.decode()
    assert "Buddy Programme" not in html


def test_matrix_is_printable(client, matrix_page):
    html = client.get("/en/who-does-what/").content.decode()
    assert "data-print-page" in html
    assert "js/responsibilities.js" in html


def test_a_change_to_the_matrix_reaches_anonymous_readers_at_once(
    client, matrix_page, area, tree, django_capture_on_commit_callbacks
):
    client.get("/en/who-does-what/")  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        assignment_create(
            area=area,
            spec=AssignmentSpec(Level.UNIVERSITY, Role.CONSULTED, unit=tree["language_centre"]),
        )
    html = client.get("/en/who-does-what/").content.decode()
    assert "Language Centre" in html


@pytest.mark.stack
def test_matrix_queries_do_not_grow_with_assignments(client, matrix_page, area, tree):
    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/en/who-does-what/").status_code == 200
        return len(queries)

    few = count()
    for key in ("language_centre", "choir", "faculty_a", "faculty_b", "department_a", "line_a"):
        assignment_create(
            area=area, spec=AssignmentSpec(Level.UNIVERSITY, Role.INFORMED, unit=tree[key])
        )
    assert count() == few
