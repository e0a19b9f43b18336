"""The completeness report of a unit for its editors, and the table of units for the staff,
in both languages; refused to everyone else."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from onboarding.units.models import UnitPage
from onboarding.units.services import international_staff_add, unit_editor_add
from tests.factories import StaffFactory, UserFactory

from .completeness_factories import page_add
from .factories import mfa_enable

pytestmark = pytest.mark.django_db


def refused(response):
    """The admin's refusal: 403, or sent away (to the admin home, or to the site for someone
    without admin access) with a message saying so, in the person's language."""
    if response.status_code == 403:
        return True
    return (
        response.status_code == 302
        and response["Location"] in (reverse("wagtailadmin_home"), "/nb/", "/en/")
        and bool(list(get_messages(response.wsgi_request)))
    )


HEADINGS = {"en": "Bilingual completeness", "nb": "Tospråklig fullstendighet"}


def login(client, user, language):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(mfa_enable(user))
    return client


def unit_url(unit):
    return reverse("units_admin:completeness_unit", args=[unit.pk])


INDEX_URL = "units_admin:completeness"


@pytest.fixture
def faculty(tree):
    """Faculty A with a complete page and a page in Norwegian only."""
    unit = UnitPage.objects.get(pk=tree["faculty_a"].pk)
    page_add(unit)
    unit.missing_page = page_add(unit, en=False)
    return unit


@pytest.fixture
def editor(faculty):
    user = StaffFactory()
    unit_editor_add(unit=faculty, user=user)
    return user


@pytest.fixture
def other_editor(tree):
    user = StaffFactory()
    unit_editor_add(unit=UnitPage.objects.get(pk=tree["faculty_b"].pk), user=user)
    return user


@pytest.fixture
def staff():
    user = StaffFactory()
    international_staff_add(user=user)
    return user


@pytest.mark.parametrize("language", ["en", "nb"])
def test_an_editor_sees_their_units_report_with_links_to_fix(client, faculty, editor, language):
    login(client, editor, language)

    response = client.get(unit_url(faculty))

    assert response.status_code == 200
    html = response.content.decode()
    assert HEADINGS[language] in html
    figures = response.context["figures"]
    assert (figures.total, figures.both, figures.missing) == (3, 2, 1)
    edit = reverse("wagtailadmin_pages:edit", args=[faculty.missing_page.pk])
    assert f'href="{edit}"' in html
    assert "66 %" in html


@pytest.mark.parametrize("language", ["en", "nb"])
def test_an_editor_of_another_unit_is_refused(client, faculty, other_editor, language):
    login(client, other_editor, language)

    assert refused(client.get(unit_url(faculty)))


def test_people_without_a_unit_are_refused_both_views(client, faculty):
    login(client, StaffFactory(), "en")

    assert refused(client.get(unit_url(faculty)))
    assert refused(client.get(reverse(INDEX_URL)))


def test_students_and_anonymous_people_get_no_admin(client, faculty):
    response = client.get(unit_url(faculty))
    assert response.status_code == 302 and "/konto/logg-inn/" in response["Location"]
    client.force_login(UserFactory())
    assert refused(client.get(unit_url(faculty)))
    assert refused(client.get(reverse(INDEX_URL)))


@pytest.mark.parametrize("language", ["en", "nb"])
def test_the_staff_see_every_unit_lowest_share_first(client, tree, faculty, staff, language):
    login(client, staff, language)

    response = client.get(reverse(INDEX_URL))

    assert response.status_code == 200
    assert HEADINGS[language] in response.content.decode()
    rows = response.context["figures"]
    assert rows[0].unit.pk == faculty.pk
    assert len(rows) == UnitPage.objects.count()
    assert f'href="{unit_url(faculty)}"' in response.content.decode()
    assert client.get(unit_url(faculty)).status_code == 200


@pytest.mark.parametrize("language", ["en", "nb"])
def test_an_editor_sees_only_the_units_they_edit_in_the_table(client, faculty, editor, language):
    login(client, editor, language)

    response = client.get(reverse(INDEX_URL))

    assert response.status_code == 200
    assert [row.unit.pk for row in response.context["figures"]] == [faculty.pk]


def test_the_report_is_in_the_reports_menu_for_editors_and_staff_only(
    client, faculty, editor, other_editor
):
    login(client, editor, "en")
    assert reverse(INDEX_URL) in client.get(reverse("wagtailadmin_home")).content.decode()
    client.logout()
    login(client, mfa_enable(StaffFactory()), "en")
    home = client.get(reverse("wagtailadmin_home"))
    assert home.status_code != 200 or reverse(INDEX_URL) not in home.content.decode()


def test_the_units_page_header_links_to_its_report(client, faculty, editor, other_editor):
    login(client, editor, "en")
    edit = reverse("wagtailadmin_pages:edit", args=[faculty.pk])

    assert unit_url(faculty) in client.get(edit).content.decode()


def _view_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.stack
def test_the_views_take_as_many_queries_for_50_pages_as_for_5(client, faculty, staff):
    login(client, staff, "en")
    # The faculty's page, its two fixture pages and two more, one of them a draft: 5 pages.
    for number in range(2):
        page_add(faculty, en=number % 2 == 0, publish=number != 0)
    with_five = [
        _view_queries(client, unit_url(faculty)),
        _view_queries(client, reverse(INDEX_URL)),
    ]
    for number in range(45):
        page_add(faculty, en=number % 2 == 0, publish=number % 4 != 0)

    assert _view_queries(client, unit_url(faculty)) == with_five[0]
    assert _view_queries(client, reverse(INDEX_URL)) == with_five[1]
