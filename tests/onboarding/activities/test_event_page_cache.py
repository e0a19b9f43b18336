"""Event pages are built from cached parts, but places and the reader's signup are never stale."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from onboarding.activities.services import signup_cancel, signup_create
from tests.caches import shared_cache_fixture  # noqa: F401 (the shared_cache fixture)
from tests.factories import UserFactory

from .factories import event_create

pytestmark = [pytest.mark.stack, pytest.mark.django_db, pytest.mark.usefixtures("shared_cache")]


def _url(event, language):
    with translation.override(language):
        return event.get_url()


def _read(client, event, language):
    response = client.get(_url(event, language))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def event(unit):
    return event_create(unit, capacity=3, publish=True)


def test_a_signup_changes_the_places_for_the_next_reader_in_both_languages(client, event):
    client.force_login(UserFactory())
    assert "3 of 3 places free." in _read(client, event, "en")
    assert "3 av 3 plasser ledige." in _read(client, event, "nb")
    signup = signup_create(event=event, user=UserFactory())
    assert "2 of 3 places free." in _read(client, event, "en")
    assert "2 av 3 plasser ledige." in _read(client, event, "nb")
    signup_cancel(signup=signup, user=signup.person)
    assert "3 of 3 places free." in _read(client, event, "en")


def test_a_new_capacity_shows_at_once_in_both_languages(client, event):
    client.force_login(UserFactory())
    _read(client, event, "en"), _read(client, event, "nb")
    page = event.get_latest_revision_as_object()
    page.capacity = 5
    page.room = "B2-001"
    page.save_revision().publish()
    english, norwegian = _read(client, event, "en"), _read(client, event, "nb")
    assert "5 of 5 places free." in english and "B2-001" in english
    assert "5 av 5 plasser ledige." in norwegian and "B2-001" in norwegian
    assert "A4-112" not in english + norwegian


def test_each_reader_sees_only_their_own_signup(client, event):
    ana, ola = UserFactory(first_name="Ana"), UserFactory(first_name="Ola")
    signup_create(event=event, user=ana)
    client.force_login(ola)
    assert "You have a place." not in _read(client, event, "en")
    client.force_login(ana)
    assert "You have a place." in _read(client, event, "en")
    assert "Du har plass." in _read(client, event, "nb")
    client.force_login(ola)
    page = _read(client, event, "en")
    assert "You have a place." not in page and "Ana" not in page


def test_event_page_queries_after_a_first_reader(client, event):
    client.force_login(UserFactory())
    path = _url(event, "en")
    client.get(path)  # the first reader fills the parts
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    # The user, the page (its route remembered), the reader's header, and
    # per request the cancellation, the reader's signup, the places, the questions and
    # whether the reader organises it; the facts and the description come from the cache.
    assert len(queries) == 10
