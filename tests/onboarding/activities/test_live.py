"""Live places through the real ASGI application: a signup reaches that event's pages only."""

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from onboarding.activities.services import signup_cancel, signup_create
from onboarding.asgi import application
from tests.factories import UserFactory
from tests.onboarding.activities.conftest import lean_tree
from tests.onboarding.activities.factories import event_create
from tests.onboarding.live.conftest import session_headers
from tests.onboarding.live.websocket import WebsocketCommunicator

# Serialized rollback: the flush after each test keeps the migrations' data (root page).
pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PATH = "/ws/live/"


@pytest.fixture
def tree(site_tree):
    """Built per test: this module has transactional tests, which see only committed data."""
    return lean_tree(site_tree["home"])


@pytest.fixture
def events(unit):
    return event_create(unit, capacity=3), event_create(unit, capacity=3)


@pytest.fixture
def viewers(db):
    """Two people with a page open each, and their handshake headers."""
    people = [UserFactory(), UserFactory()]
    return people, [session_headers(Client(), person) for person in people]


async def _subscribed(headers, topic):
    communicator = WebsocketCommunicator(application, PATH, headers=headers)
    connected, _code = await communicator.connect()
    assert connected
    await communicator.send_json_to({"type": "subscribe", "topic": topic})
    assert await communicator.receive_json_from(timeout=5) == {"type": "subscribed", "topic": topic}
    return communicator


async def test_a_signup_pushes_the_new_count_to_that_events_pages_only(events, viewers, student):
    first, second = events
    _people, headers = viewers
    watching_first = await _subscribed(headers[0], f"event:{first.pk}")
    watching_second = await _subscribed(headers[1], f"event:{second.pk}")

    await database_sync_to_async(signup_create)(event=first, user=student)

    message = await watching_first.receive_json_from(timeout=5)
    assert message["type"] == "topic" and message["topic"] == f"event:{first.pk}"
    data = message["data"]
    assert (data["type"], data["event"], data["confirmed"], data["free"]) == (
        "event.places",
        first.pk,
        1,
        2,
    )
    assert await watching_second.receive_nothing(timeout=0.5)
    await watching_first.disconnect()
    await watching_second.disconnect()


async def test_a_cancellation_that_promotes_says_so(unit, viewers, students):
    event = await database_sync_to_async(event_create)(unit, capacity=1)
    first, second = await database_sync_to_async(students)(2)
    mine = await database_sync_to_async(signup_create)(event=event, user=first)
    await database_sync_to_async(signup_create)(event=event, user=second)
    _people, headers = viewers
    watching = await _subscribed(headers[0], f"event:{event.pk}")

    await database_sync_to_async(signup_cancel)(signup=mine, user=first)

    data = (await watching.receive_json_from(timeout=5))["data"]
    assert (data["confirmed"], data["waitlisted"], data["promoted"]) == (1, 0, 1)
    await watching.disconnect()


async def test_an_unpublished_events_topic_is_refused(events, viewers):
    first, _second = events
    await database_sync_to_async(first.unpublish)()
    _people, headers = viewers
    communicator = WebsocketCommunicator(application, PATH, headers=headers[0])
    await communicator.connect()
    await communicator.send_json_to({"type": "subscribe", "topic": f"event:{first.pk}"})
    reply = await communicator.receive_json_from(timeout=5)
    assert reply["code"] == "topic_forbidden"
    await communicator.disconnect()
