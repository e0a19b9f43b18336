"""A fresh, empty channel layer for a test, whichever layer the settings choose."""

from asgiref.sync import async_to_sync
from channels.layers import channel_layers, get_channel_layer


def channel_layer_reset():
    """Drop the cached layer, empty the backend with a new instance, and drop that one too.

    A layer instance keeps state tied to the event loop it ran on (channels-redis's
    connection pools, receive lock and buffers); flushing an old instance from a new
    loop fails with "attached to a different loop". Each test runs in a new loop, so
    each gets a new layer.
    """
    channel_layers.backends.clear()
    async_to_sync(get_channel_layer().flush)()
    channel_layers.backends.clear()
