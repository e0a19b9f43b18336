"""Channel-layer calls with a bound on how many run at once in one process.

channels-redis takes a connection from a pool for each call, and the pool
(redis-py's, 100 connections by default) raises "Too many connections"
instead of waiting when it is exhausted. Hundreds of sockets connecting at
once after a deploy, or one notify to a thousand people, would hit that. All
of the live layer's calls go through here, so a burst queues briefly instead
of failing.
"""

import asyncio
import weakref

from channels.layers import get_channel_layer

# Below the pool's 100, leaving room for the consumers' receive loop.
LAYER_CONCURRENCY = 64

_limits = weakref.WeakKeyDictionary()


def _limit():
    loop = asyncio.get_running_loop()
    limit = _limits.get(loop)
    if limit is None:
        limit = _limits[loop] = asyncio.Semaphore(LAYER_CONCURRENCY)
    return limit


async def group_add(group, channel, layer=None):
    async with _limit():
        await (layer or get_channel_layer()).group_add(group, channel)


async def group_discard(group, channel, layer=None):
    async with _limit():
        await (layer or get_channel_layer()).group_discard(group, channel)


async def group_send(group, message, layer=None):
    async with _limit():
        await (layer or get_channel_layer()).group_send(group, message)


async def group_send_many(messages, layer=None):
    """Send (group, message) pairs, at most LAYER_CONCURRENCY at a time."""
    layer = layer or get_channel_layer()
    await asyncio.gather(*(group_send(group, message, layer) for group, message in messages))
