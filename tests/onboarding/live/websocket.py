"""channels' WebsocketCommunicator, importable without daphne.

``channels.testing``'s package ``__init__`` also imports its live-server test
case, which needs daphne (and with it Twisted). Velkommen serves with uvicorn
and needs only the communicator, so when daphne is missing the package's
submodules are loaded without that one import.
"""

import sys
import types
from pathlib import Path

try:
    from channels.testing import WebsocketCommunicator
except ModuleNotFoundError as error:  # pragma: no cover - depends on what is installed
    if not (error.name or "").startswith("daphne"):
        raise
    import channels

    package = types.ModuleType("channels.testing")
    package.__path__ = [str(Path(channels.__file__).parent / "testing")]
    sys.modules["channels.testing"] = package
    from channels.testing.application import ApplicationCommunicator
    from channels.testing.websocket import WebsocketCommunicator

    package.ApplicationCommunicator = ApplicationCommunicator
    package.WebsocketCommunicator = WebsocketCommunicator

__all__ = ["WebsocketCommunicator"]
