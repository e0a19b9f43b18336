"""The one WebSocket endpoint. It authenticates, joins groups and forwards; no business rules.

Protocol (JSON both ways):

- client ``{"type": "ping"}`` → ``{"type": "pong"}``
- client ``{"type": "subscribe", "topic": "event:42"}`` → ``{"type": "subscribed", "topic": ...}``
  or ``{"type": "error", "code": "topic_forbidden" | "topic_invalid" | "too_many_topics",
  "topic": ...}``
- client ``{"type": "unsubscribe", "topic": ...}`` → ``{"type": "unsubscribed", "topic": ...}``
- server ``{"type": "notification", "unread": n}`` when the user's notifications change
- server ``{"type": "topic", "topic": ..., "data": {...}}`` for a subscribed topic
- server close with code 4401 when the person logs out of the session the socket
  was opened with (their other devices stay connected)

Every server message is a hint: the page re-reads the state it shows.
"""

import json
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from . import layer
from .topics import BROADCAST_GROUP, topic_authorise, topic_group, topic_parse, user_group

logger = logging.getLogger(__name__)

# Close codes: 4401 not logged in (the client does not retry).
CLOSE_UNAUTHENTICATED = 4401
MAX_TOPICS = 20
MAX_MESSAGE_BYTES = 4096


def _authorise(user, topic):
    try:
        return topic_authorise(user, topic)
    except Exception:
        logger.exception("Authorising topic %s failed", topic)
        return False


class LiveConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user_key = str(user.pk)
        session = self.scope.get("session")
        self.session_key = getattr(session, "session_key", None)
        self.groups_joined = [user_group(user.pk), BROADCAST_GROUP]
        self.topics = set()
        for group in self.groups_joined:
            await layer.group_add(group, self.channel_name, self.channel_layer)
        await self.accept()

    async def disconnect(self, code):
        groups = [topic_group(topic) for topic in getattr(self, "topics", ())]
        groups += getattr(self, "groups_joined", [])
        for group in groups:
            await layer.group_discard(group, self.channel_name, self.channel_layer)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None or len(text_data) > MAX_MESSAGE_BYTES:
            await self.send_json({"type": "error", "code": "invalid_message"})
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.send_json({"type": "error", "code": "invalid_message"})
            return
        if not isinstance(content, dict):
            await self.send_json({"type": "error", "code": "invalid_message"})
            return
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type")
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind == "subscribe":
            await self.subscribe(content.get("topic"))
        elif kind == "unsubscribe":
            await self.unsubscribe(content.get("topic"))
        else:
            await self.send_json({"type": "error", "code": "unknown_type"})

    async def subscribe(self, topic):
        if topic_parse(topic) is None:
            await self.send_json({"type": "error", "code": "topic_invalid", "topic": topic})
            return
        if topic in self.topics:
            await self.send_json({"type": "subscribed", "topic": topic})
            return
        if len(self.topics) >= MAX_TOPICS:
            await self.send_json({"type": "error", "code": "too_many_topics", "topic": topic})
            return
        allowed = await database_sync_to_async(_authorise)(self.scope["user"], topic)
        if not allowed:
            await self.send_json({"type": "error", "code": "topic_forbidden", "topic": topic})
            return
        self.topics.add(topic)
        await layer.group_add(topic_group(topic), self.channel_name, self.channel_layer)
        await self.send_json({"type": "subscribed", "topic": topic})

    async def unsubscribe(self, topic):
        if topic_parse(topic) is None:
            await self.send_json({"type": "error", "code": "topic_invalid", "topic": topic})
            return
        if topic in self.topics:
            self.topics.discard(topic)
            await layer.group_discard(topic_group(topic), self.channel_name, self.channel_layer)
        await self.send_json({"type": "unsubscribed", "topic": topic})

    # Channel-layer handlers: forward hints to the browser.

    async def notification_hint(self, event):
        await self.send_json({"type": "notification", "unread": event["unread"]})

    async def notification_batch(self, event):
        # One message for many people: forward only this user's own count.
        unread = event["unread"].get(self.user_key)
        if unread is not None:
            await self.send_json({"type": "notification", "unread": unread})

    async def topic_message(self, event):
        if event["topic"] in self.topics:
            await self.send_json({"type": "topic", "topic": event["topic"], "data": event["data"]})

    async def session_ended(self, event):
        # The person logged out: close the sockets opened with that session only.
        if event.get("session") == self.session_key:
            await self.close(code=CLOSE_UNAUTHENTICATED)
