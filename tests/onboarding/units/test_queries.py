"""The directory and a unit page make as many queries with 50 child units as with 5."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from onboarding.units.kinds import UnitKind
from onboarding.units.models import UnitPage
from onboarding.units.services import follow_create
from tests.factories import UserFactory
from tests.onboarding.activities.factories import event_create, series_create
from tests.onboarding.units.factories import unit_create

pytestmark = [pytest.mark.stack, pytest.mark.django_db]


def _logo():
    # A small image: its renditions are made in milliseconds; the queries are the same.
    return get_image_model().objects.create(title="Logo", file=get_test_image_file(size=(16, 16)))


def _add_line_associations(parent, count):
    for _ in range(count):
        unit_create(parent, kind=UnitKind.LINE_ASSOCIATION, publish=False, logo=_logo())


def _queries(client, url):
    # Renditions of new logos are made on the first view: warm up, then measure
    # (both past the anonymous page cache).
    cache.clear()
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("logged_in", [False, True])
def test_directory_queries_do_not_grow_with_units(client, tree, logged_in):
    if logged_in:
        client.force_login(UserFactory())
    department = UnitPage.objects.get(pk=tree["department_b"].pk)
    _add_line_associations(department, 5)
    with_five = _queries(client, "/en/units/")
    _add_line_associations(department, 45)
    with_fifty = _queries(client, "/en/units/")
    assert with_fifty == with_five


@pytest.mark.parametrize("logged_in", [False, True])
def test_unit_page_queries_do_not_grow_with_child_units(client, tree, logged_in):
    if logged_in:
        student = UserFactory()
        follow_create(user=student, unit=tree["department_b"])
        client.force_login(student)
    department = UnitPage.objects.get(pk=tree["department_b"].pk)
    _add_line_associations(department, 5)
    url = department.get_url()
    with_five = _queries(client, url)
    _add_line_associations(department, 45)
    with_fifty = _queries(client, url)
    assert with_fifty == with_five


def _follow_units_with_events(student, department, count, *, with_events):
    """Follow ``count`` new line associations; ``with_events`` of them get an event and a series'.

    The events shown are capped, so a query per unit or per event shows as
    soon as more units are followed and more events listed.
    """
    _add_line_associations(department, count)
    new = UnitPage.objects.child_of(department).exclude(follows__user=student).order_by("path")
    for index, unit in enumerate(new):
        follow_create(user=student, unit=unit)
        if index < with_events:
            event_create(unit, publish=False)
            event_create(series_create(unit, publish=False), publish=False)


def test_connections_queries_do_not_grow_with_follows(client, tree):
    with translation.override("en"):
        url = reverse("unit_connections")
    student = UserFactory()
    client.force_login(student)
    department = UnitPage.objects.get(pk=tree["department_b"].pk)
    _follow_units_with_events(student, department, 5, with_events=1)
    with_five = _queries(client, url)
    _follow_units_with_events(student, department, 45, with_events=3)
    with_fifty = _queries(client, url)
    html = client.get(url).content.decode()
    assert "Upcoming events from the units you follow" in html
    assert "News from the units you follow" in html
    assert html.count('class="card event-card"') == 6
    assert with_fifty == with_five
