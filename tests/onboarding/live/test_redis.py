"""With REDIS_URL set, hints cross processes: a service in one process reaches sockets in another."""

import asyncio
import os
import sys
import textwrap
from urllib.parse import quote

import pytest
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection

from tests.factories import UserFactory

from .conftest import session_headers
from .websocket import WebsocketCommunicator

BURST = 250
# Generous: only a failing test waits this long, and a busy machine can be slow.
WAIT = 20

pytestmark = [
    pytest.mark.stack,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def database_url():
    """The URL of the test database, for a second process to use."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"])
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


async def run_in_another_process(code):
    """Run Python ``code`` with Django set up on this test's database and Redis; returns its pid."""
    env = {
        # Not a test worker: REDIS_URL below already names this worker's Redis database.
        **{key: value for key, value in os.environ.items() if key != "PYTEST_XDIST_WORKER"},
        "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
    }
    script = "import os, django\ndjango.setup()\n" + textwrap.dedent(code) + "\nprint(os.getpid())"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        script,
        env=env,
        cwd=str(settings.BASE_DIR),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, stderr.decode()
    return int(stdout.decode().split()[-1])


@pytest.fixture
def person(db):
    return UserFactory(language="nb")


@pytest.fixture
def person_headers(person):
    from django.test import Client

    return session_headers(Client(), person)


def test_the_channel_layer_is_redis():
    assert type(get_channel_layer()).__name__ == "RedisChannelLayer"


async def test_a_burst_of_hints_to_one_processs_sockets_is_not_dropped():
    # All sockets of a process share one Redis key; its capacity must hold a burst.
    layer = get_channel_layer()
    channels = [await layer.new_channel() for _ in range(BURST)]
    for number, channel in enumerate(channels):
        await layer.group_add(f"user.burst{number}", channel)

    for number in range(BURST):
        await layer.group_send(f"user.burst{number}", {"type": "notification.hint", "unread": 1})

    for channel in channels:
        message = await asyncio.wait_for(layer.receive(channel), timeout=WAIT)
        assert message["type"] == "notification.hint"


def test_reads_from_redis_outlast_the_layers_blocking_pop():
    # Otherwise an idle consumer dies when the pop's empty answer comes late.
    layer = get_channel_layer()

    assert all(host["socket_timeout"] > layer.brpop_timeout for host in layer.hosts)


async def test_a_notification_made_in_another_process_reaches_this_processs_socket(
    person, person_headers
):
    from onboarding.asgi import application

    communicator = WebsocketCommunicator(application, "/ws/live/", headers=person_headers)
    connected, _code = await communicator.connect()
    assert connected

    other_pid = await run_in_another_process(
        f"""
        from django.contrib.auth import get_user_model
        from onboarding.live.services import notify
        notify(
            recipients=get_user_model().objects.filter(pk={person.pk}),
            kind="event_changed",
            context={{"event_title": {{"nb": "Fadderuke", "en": "Buddy week"}}}},
            email=False,
        )
        """
    )

    assert other_pid != os.getpid()
    assert await communicator.receive_json_from(timeout=WAIT) == {
        "type": "notification",
        "unread": 1,
    }
    await communicator.disconnect()


async def test_a_topic_published_in_another_process_reaches_its_subscribers_here(
    person, person_headers
):
    from wagtail import hooks

    from onboarding.asgi import application
    from onboarding.hooks import LIVE_TOPICS

    with hooks.register_temporarily(LIVE_TOPICS, lambda: {"crossing": lambda user, key: True}):
        communicator = WebsocketCommunicator(application, "/ws/live/", headers=person_headers)
        await communicator.connect()
        await communicator.send_json_to({"type": "subscribe", "topic": "crossing:1"})
        assert (await communicator.receive_json_from(timeout=WAIT))["type"] == "subscribed"

        await run_in_another_process(
            """
            from onboarding.live.services import topic_publish
            topic_publish(topic="crossing:1", payload={"free": 2})
            """
        )

        assert await communicator.receive_json_from(timeout=WAIT) == {
            "type": "topic",
            "topic": "crossing:1",
            "data": {"free": 2},
        }
        await communicator.disconnect()
