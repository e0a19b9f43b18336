"""Fixtures for the live layer: people in each language, a clean channel layer, a test topic."""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from wagtail import hooks

from onboarding.hooks import LIVE_TOPICS
from tests.factories import UserFactory
from tests.live_layer import channel_layer_reset

ORIGIN = (b"origin", b"http://testserver")


@pytest.fixture(autouse=True)
def _clean_channel_layer():
    """Each test gets its own channel layer with no groups or queued messages."""
    channel_layer_reset()
    yield
    channel_layer_reset()


@pytest.fixture
def nb_user(db):
    return UserFactory(language="nb", first_name="Kari")


@pytest.fixture
def en_user(db):
    return UserFactory(language="en", first_name="Ana")


@pytest.fixture
def secret_topic():
    """A page topic "secret:<key>" that only staff may see, registered for the test."""
    secret = {"secret": lambda user, key: user.is_staff and key.isdigit()}
    with hooks.register_temporarily(LIVE_TOPICS, lambda: secret):
        yield "secret"


def session_headers(client, user):
    """WebSocket handshake headers of a logged-in browser: Origin and the session cookie."""
    client.force_login(user)
    cookie = client.cookies["sessionid"].value
    return [ORIGIN, (b"cookie", f"sessionid={cookie}".encode())]


def listen(group):
    """A new channel-layer channel added to ``group``; returns its name."""
    layer = get_channel_layer()

    async def join():
        channel = await layer.new_channel()
        await layer.group_add(group, channel)
        return channel

    return async_to_sync(join)()


def next_message(channel, timeout=1.0):
    """The next message on ``channel``, or None if none comes within ``timeout`` seconds."""
    import asyncio

    layer = get_channel_layer()

    async def receive():
        try:
            return await asyncio.wait_for(layer.receive(channel), timeout)
        except TimeoutError:
            return None

    return async_to_sync(receive)()
