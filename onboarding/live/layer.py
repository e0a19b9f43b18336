"""Channel-layer calls with a bound on how many run at once in one process.

channels-redis takes a connection from a pool for each call, and the pool
(redis-py's, 100 connections by default) raises "Too many connections"
instead of waiting when it is exhausted. Hundreds of sockets connecting at
once after a deploy, or one notify to a thousand people, would hit that. All
of the live layer's calls go through here, so a burst queues briefly instead
of failing.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Iterable
from typing import Any

from channels.layers import BaseChannelLayer, get_channel_layer

# Below the pool's 100, leaving room for the consumers' receive loop.
LAYER_CONCURRENCY = 64

# A message for a group: the group's name and the message (a dict with a "type").
type GroupMessage = tuple[str, dict[str, Any]]

_limits: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


def _limit() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    limit = _limits.get(loop)
    if limit is None:
        limit = _limits[loop] = asyncio.Semaphore(LAYER_CONCURRENCY)
    return limit


async def group_add(group: str, channel: str, layer: BaseChannelLayer | None = None) -> None:
    async with _limit():
        await (layer or get_channel_layer()).group_add(group, channel)


async def group_discard(group: str, channel: str, layer: BaseChannelLayer | None = None) -> None:
    async with _limit():
        await (layer or get_channel_layer()).group_discard(group, channel)


async def group_send(
    group: str, message: dict[str, Any], layer: BaseChannelLayer | None = None
) -> None:
    async with _limit():
        await (layer or get_channel_layer()).group_send(group, message)


async def group_send_many(
    messages: Iterable[GroupMessage], layer: BaseChannelLayer | None = None
) -> None:
    """Send (group, message) pairs, at most LAYER_CONCURRENCY at a time."""
    layer = layer or get_channel_layer()
    await asyncio.gather(*(group_send(group, message, layer) for group, message in messages))
