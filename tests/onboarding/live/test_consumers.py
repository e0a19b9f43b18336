"""The /ws/live/ consumer through the real ASGI application (origin check and session auth)."""

import pytest
from channels.db import database_sync_to_async

from onboarding.asgi import application
from onboarding.live import consumers, services
from onboarding.live.services import notify, topic_publish
from tests.factories import StaffFactory, UserFactory

from .conftest import ORIGIN, session_headers
from .websocket import WebsocketCommunicator

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PATH = "/ws/live/"
TITLE = {"nb": "Fadderuke", "en": "Buddy week"}
# Generous: only a failing test waits this long, and a busy machine can be slow.
WAIT = 10


@pytest.fixture
def alice(db):
    return UserFactory(language="en")


@pytest.fixture
def bob(db):
    return UserFactory(language="nb")


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def headers(alice, bob, staff):
    """Handshake headers (Origin and session cookie) of each person, made before the loop runs."""
    from django.test import Client

    people = {alice: None, bob: None, staff: None}
    for person in people:
        people[person] = session_headers(Client(), person)
    return people.__getitem__


async def connect(headers=None):
    communicator = WebsocketCommunicator(application, PATH, headers=headers or [ORIGIN])
    connected, code = await communicator.connect()
    return communicator, connected, code


def notify_changed(people):
    people = people if isinstance(people, list) else [people]
    return notify(
        recipients=people, kind="event_changed", context={"event_title": TITLE}, email=False
    )


# --- Connecting -------------------------------------------------------------------------


async def test_an_anonymous_connection_is_refused():
    communicator, connected, code = await connect()

    assert not connected
    assert code == consumers.CLOSE_UNAUTHENTICATED
    await communicator.disconnect()


async def test_a_connection_without_an_origin_is_refused(alice, headers):
    cookie_only = [h for h in headers(alice) if h[0] != b"origin"]

    communicator, connected, _code = await connect(cookie_only)

    assert not connected
    await communicator.disconnect()


async def test_a_connection_from_another_site_is_refused(alice, headers):
    foreign = [(b"origin", b"https://evil.example")] + [
        h for h in headers(alice) if h[0] != b"origin"
    ]

    communicator, connected, _code = await connect(foreign)

    assert not connected
    await communicator.disconnect()


async def test_a_logged_in_user_connects_and_gets_a_heartbeat(alice, headers):
    communicator, connected, _code = await connect(headers(alice))
    assert connected

    await communicator.send_json_to({"type": "ping"})

    assert await communicator.receive_json_from(timeout=WAIT) == {"type": "pong"}
    await communicator.disconnect()


async def test_an_unknown_message_type_gets_an_error(alice, headers):
    communicator, _connected, _code = await connect(headers(alice))

    await communicator.send_json_to({"type": "shout"})

    assert await communicator.receive_json_from(timeout=WAIT) == {
        "type": "error",
        "code": "unknown_type",
    }
    await communicator.disconnect()


async def test_a_message_that_is_not_json_gets_an_error(alice, headers):
    communicator, _connected, _code = await connect(headers(alice))

    await communicator.send_to(text_data="{not json")

    response = await communicator.receive_json_from(timeout=WAIT)
    assert response == {"type": "error", "code": "invalid_message"}
    await communicator.disconnect()


# --- Notifications ----------------------------------------------------------------------


async def test_a_notification_reaches_the_recipients_open_pages(alice, headers):
    communicator, _connected, _code = await connect(headers(alice))

    await database_sync_to_async(notify_changed)(alice)

    assert await communicator.receive_json_from(timeout=WAIT) == {
        "type": "notification",
        "unread": 1,
    }
    await communicator.disconnect()


async def test_every_open_tab_of_the_recipient_gets_the_hint(alice, headers):
    first, _c, _code = await connect(headers(alice))
    second, _c, _code = await connect(headers(alice))

    await database_sync_to_async(notify_changed)(alice)

    assert (await first.receive_json_from(timeout=WAIT))["unread"] == 1
    assert (await second.receive_json_from(timeout=WAIT))["unread"] == 1
    await first.disconnect()
    await second.disconnect()


async def test_a_user_never_receives_another_users_notifications(alice, bob, headers):
    alice_socket, _c, _code = await connect(headers(alice))
    bob_socket, _c, _code = await connect(headers(bob))

    await database_sync_to_async(notify_changed)(bob)

    assert (await bob_socket.receive_json_from(timeout=WAIT))["type"] == "notification"
    assert await alice_socket.receive_nothing(timeout=0.5)
    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_in_a_notify_to_many_each_socket_gets_only_its_own_users_count(
    alice, bob, staff, headers, monkeypatch
):
    monkeypatch.setattr(services, "BROADCAST_MIN_RECIPIENTS", 2)
    alice_socket, _c, _code = await connect(headers(alice))
    bob_socket, _c, _code = await connect(headers(bob))

    await database_sync_to_async(notify_changed)([bob, staff])

    assert await bob_socket.receive_json_from(timeout=WAIT) == {
        "type": "notification",
        "unread": 1,
    }
    assert await alice_socket.receive_nothing(timeout=0.5)
    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_what_was_sent_while_disconnected_is_there_after_reconnecting(
    alice, headers, async_client
):
    headers_alice = headers(alice)
    communicator, _c, _code = await connect(headers_alice)
    await communicator.disconnect()

    await database_sync_to_async(notify_changed)(alice)
    again, connected, _code = await connect(headers_alice)

    # The hint went to nobody, but the page re-reads the count when it reconnects.
    assert connected
    assert await again.receive_nothing(timeout=0.3)
    await database_sync_to_async(async_client.force_login)(alice)
    response = await async_client.get("/en/notifications/unread.json")
    assert response.json()["unread"] == 1
    page = await async_client.get("/en/notifications/")
    assert "Buddy week has changed" in page.content.decode()
    await again.disconnect()


# --- Page topics ------------------------------------------------------------------------


async def test_a_topic_the_user_may_see_is_subscribed_and_pushed(staff, headers, secret_topic):
    communicator, _c, _code = await connect(headers(staff))

    await communicator.send_json_to({"type": "subscribe", "topic": "secret:7"})
    assert await communicator.receive_json_from(timeout=WAIT) == {
        "type": "subscribed",
        "topic": "secret:7",
    }
    await database_sync_to_async(topic_publish)(topic="secret:7", payload={"free": 3})

    assert await communicator.receive_json_from(timeout=WAIT) == {
        "type": "topic",
        "topic": "secret:7",
        "data": {"free": 3},
    }
    await communicator.disconnect()


async def test_a_topic_the_user_may_not_see_is_refused(alice, headers, secret_topic):
    communicator, _c, _code = await connect(headers(alice))

    await communicator.send_json_to({"type": "subscribe", "topic": "secret:7"})

    assert await communicator.receive_json_from(timeout=WAIT) == {
        "type": "error",
        "code": "topic_forbidden",
        "topic": "secret:7",
    }
    await database_sync_to_async(topic_publish)(topic="secret:7", payload={"free": 3})
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


async def test_a_topic_no_app_registered_is_refused(staff, headers):
    communicator, _c, _code = await connect(headers(staff))

    await communicator.send_json_to({"type": "subscribe", "topic": "nothing:1"})

    assert (await communicator.receive_json_from(timeout=WAIT))["code"] == "topic_forbidden"
    await communicator.disconnect()


@pytest.mark.parametrize("topic", ["secret", "secret:", "secret:a b", 42, None])
async def test_a_malformed_topic_is_refused(staff, headers, secret_topic, topic):
    communicator, _c, _code = await connect(headers(staff))

    await communicator.send_json_to({"type": "subscribe", "topic": topic})

    assert (await communicator.receive_json_from(timeout=WAIT))["code"] == "topic_invalid"
    await communicator.disconnect()


async def test_after_unsubscribing_nothing_more_arrives(staff, headers, secret_topic):
    communicator, _c, _code = await connect(headers(staff))
    await communicator.send_json_to({"type": "subscribe", "topic": "secret:7"})
    await communicator.receive_json_from(timeout=WAIT)

    await communicator.send_json_to({"type": "unsubscribe", "topic": "secret:7"})
    assert await communicator.receive_json_from(timeout=WAIT) == {
        "type": "unsubscribed",
        "topic": "secret:7",
    }
    await database_sync_to_async(topic_publish)(topic="secret:7", payload={"free": 3})

    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


async def test_a_page_may_hold_only_so_many_topics(staff, headers, secret_topic):
    communicator, _c, _code = await connect(headers(staff))
    for number in range(consumers.MAX_TOPICS):
        await communicator.send_json_to({"type": "subscribe", "topic": f"secret:{number}"})
        assert (await communicator.receive_json_from(timeout=WAIT))["type"] == "subscribed"

    await communicator.send_json_to({"type": "subscribe", "topic": "secret:999"})

    assert (await communicator.receive_json_from(timeout=WAIT))["code"] == "too_many_topics"
    await communicator.disconnect()


async def test_an_authoriser_that_fails_refuses_the_topic(staff, headers):
    from wagtail import hooks

    from onboarding.hooks import LIVE_TOPICS

    def broken(user, key):
        raise LookupError(key)

    with hooks.register_temporarily(LIVE_TOPICS, lambda: {"broken": broken}):
        communicator, _c, _code = await connect(headers(staff))
        await communicator.send_json_to({"type": "subscribe", "topic": "broken:1"})

        assert (await communicator.receive_json_from(timeout=WAIT))["code"] == "topic_forbidden"
        await communicator.disconnect()


# --- Logging out ------------------------------------------------------------------------


async def test_logging_out_closes_that_sessions_sockets_only(alice):
    from django.test import Client

    def two_sessions():
        browser, phone = Client(), Client()
        return browser, session_headers(browser, alice), session_headers(phone, alice)

    browser, browser_headers, phone_headers = await database_sync_to_async(two_sessions)()
    on_browser, connected, _code = await connect(browser_headers)
    on_phone, phone_connected, _code = await connect(phone_headers)
    assert connected and phone_connected

    await database_sync_to_async(browser.post)("/en/accounts/logout/")

    closed = await on_browser.receive_output(timeout=WAIT)
    assert closed == {"type": "websocket.close", "code": consumers.CLOSE_UNAUTHENTICATED}
    await on_phone.send_json_to({"type": "ping"})
    assert await on_phone.receive_json_from(timeout=WAIT) == {"type": "pong"}
    await on_phone.disconnect()
