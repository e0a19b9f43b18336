"""The crisis topics through the real ASGI application: who may follow a board, and what the
board's and the students' open pages hear."""

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from cms.models import HomePage
from onboarding.asgi import application
from onboarding.stays.models import SafetyCheck
from onboarding.stays.services.crisis import check_answer
from tests.live_layer import channel_layer_reset
from tests.onboarding.live.conftest import ORIGIN, session_headers
from tests.onboarding.live.websocket import WebsocketCommunicator
from tests.onboarding.stays.conftest import stays_tree

from .crisis_factories import declare
from .factories import stay_make

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WAIT = 10


@pytest.fixture(autouse=True)
def _clean_channel_layer():
    channel_layer_reset()
    yield
    channel_layer_reset()


@pytest.fixture
def world(transactional_db):
    tree = stays_tree(HomePage.objects.get())
    stay_make(tree["student"], city="Valencia", country="ES")
    tree["crisis"] = declare(tree["staff"]).crisis
    tree["check"] = SafetyCheck.objects.get(crisis=tree["crisis"])
    tree["headers"] = {
        role: session_headers(Client(), tree[role])
        for role in ("staff", "it_editor", "student", "other_student")
    }
    return tree


async def connect(headers):
    communicator = WebsocketCommunicator(application, "/ws/live/", headers=headers or [ORIGIN])
    connected, _code = await communicator.connect()
    assert connected
    return communicator


async def subscribe(communicator, topic):
    await communicator.send_json_to({"type": "subscribe", "topic": topic})
    return await communicator.receive_json_from(timeout=WAIT)


async def test_staff_and_faculties_follow_a_board_and_students_do_not(world):
    topic = f"crisis:{world['crisis'].pk}"
    expected = {
        "staff": "subscribed",
        "it_editor": "subscribed",
        "student": "error",
        "other_student": "error",
    }
    for role, answer in expected.items():
        communicator = await connect(world["headers"][role])
        reply = await subscribe(communicator, topic)
        assert reply["type"] == answer, role
        if answer == "error":
            assert reply["code"] == "topic_forbidden"
        assert (await subscribe(communicator, "crisis:999999"))["type"] == "error"
        await communicator.disconnect()


async def test_an_answer_reaches_the_open_board_and_a_new_check_the_students_page(world):
    board = await connect(world["headers"]["staff"])
    assert (await subscribe(board, f"crisis:{world['crisis'].pk}"))["type"] == "subscribed"
    page = await connect(world["headers"]["student"])
    assert (await subscribe(page, "safety:checks"))["type"] == "subscribed"

    await database_sync_to_async(check_answer)(
        check=world["check"], student=world["student"], answer="safe"
    )

    hint = await board.receive_json_from(timeout=WAIT)
    assert hint == {
        "type": "topic",
        "topic": f"crisis:{world['crisis'].pk}",
        "data": {"type": "crisis.board", "crisis": world["crisis"].pk, "open": True},
    }
    assert await page.receive_nothing(timeout=0.3)  # an answer tells the board only

    await database_sync_to_async(declare)(world["staff"], areas=[("ES", "")])

    messages = [await page.receive_json_from(timeout=WAIT) for _ in range(2)]
    assert {"type": "notification", "unread": 2} in messages
    (topic,) = [message for message in messages if message["type"] == "topic"]
    assert topic["topic"] == "safety:checks" and topic["data"]["type"] == "safety.checks"
    await board.disconnect()
    await page.disconnect()
