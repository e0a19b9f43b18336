"""Course pages are built from cached parts; the places and the reader's standing are not."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.caches import shared_cache_fixture  # noqa: F401 (the shared_cache fixture)

pytestmark = [pytest.mark.stack, pytest.mark.django_db, pytest.mark.usefixtures("shared_cache")]


def _url(course, language):
    with translation.override(language):
        return course.get_url()


def test_a_published_change_shows_at_once_in_both_languages(client, course, student):
    client.force_login(student)
    client.get(_url(course, "en")), client.get(_url(course, "nb"))
    page = course.get_latest_revision_as_object()
    page.location = "Sentralbygg 2"
    page.save_revision().publish()
    for language in ("en", "nb"):
        assert "Sentralbygg 2" in client.get(_url(course, language)).content.decode()


def test_course_page_queries_after_a_first_reader(client, course, student):
    client.force_login(student)
    path = _url(course, "en")
    client.get(path)  # the first reader fills the parts
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    # Most are the reader's own standing (enrolment, rules, round, placement), read per
    # request; the description and facts come from the cache.
    assert len(queries) == 12
