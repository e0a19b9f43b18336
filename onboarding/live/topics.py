"""Page topics: live hints for everyone who has a page open, such as an event's free seats.

A topic is ``<prefix>:<key>``, for example ``event:42``. An app names its
prefixes through the Wagtail hook ``onboarding.hooks.LIVE_TOPICS`` in its
``wagtail_hooks.py``, each with a function that says whether a user may see
that key::

    @hooks.register(LIVE_TOPICS)
    def event_topics():
        # The ``event`` page topic: anyone logged in may follow a live, public event.
        return {"event": lambda user, key: event_visible_to(user, int(key))}

The function is synchronous and may query the database; the consumer runs it
in a thread. Services publish to a topic with ``services.topic_publish``.
"""

import re
from collections.abc import Callable
from typing import Any

from wagtail import hooks

from onboarding.hooks import LIVE_TOPICS

# A prefix is a lower-case word; a key is up to 60 characters that are all
# allowed in a channel-layer group name, so the group name is unambiguous.
PREFIX_RE = re.compile(r"[a-z][a-z0-9_]{0,29}")
TOPIC_RE = re.compile(r"^(?P<prefix>[a-z][a-z0-9_]{0,29}):(?P<key>[A-Za-z0-9_\-.]{1,60})$")

type Authorise = Callable[[Any, str], object]


class TopicAlreadyRegistered(Exception):
    """Two registrations of ``LIVE_TOPICS`` gave the same prefix."""


# The authorisers by prefix, built from the hooks once per set of registered hook
# functions (a test that registers a hook temporarily gets a fresh registry).
_built: tuple[tuple[object, ...], dict[str, Authorise]] = ((), {})


def _authorisers() -> dict[str, Authorise]:
    global _built
    functions = tuple(hooks.get_hooks(LIVE_TOPICS))
    if functions != _built[0]:
        authorisers: dict[str, Authorise] = {}
        for function in functions:
            for prefix, authorise in function().items():
                if not PREFIX_RE.fullmatch(prefix):
                    raise ValueError(f"Invalid topic prefix {prefix!r}.")
                if prefix in authorisers:
                    raise TopicAlreadyRegistered(prefix)
                authorisers[prefix] = authorise
        _built = (functions, authorisers)
    return _built[1]


def topic_prefixes() -> list[str]:
    """Every registered topic prefix, in hook order."""
    return list(_authorisers())


def topic_parse(topic: object) -> tuple[str, str] | None:
    """(prefix, key) of a well-formed topic, or None."""
    match = TOPIC_RE.match(topic) if isinstance(topic, str) else None
    return (match["prefix"], match["key"]) if match else None


def topic_group(topic: str) -> str:
    """The channel-layer group of a well-formed topic: ``topic.<prefix>.<key>``."""
    parsed = topic_parse(topic)
    if parsed is None:
        raise ValueError(f"Invalid topic {topic!r}.")
    prefix, key = parsed
    return f"topic.{prefix}.{key}"


def user_group(user_id: int) -> str:
    """The channel-layer group of every open socket of one person."""
    return f"user.{user_id}"


# Every open socket is also in this group: a notify to many people sends one
# message with each recipient's count instead of one message per person, and
# each socket picks out its own user's entry.
BROADCAST_GROUP = "users.all"


def topic_authorise(user: Any, topic: object) -> bool:
    """Whether ``user`` may subscribe to ``topic``: its prefix is registered and allows it.

    Raises ``TopicAlreadyRegistered`` when two hook functions give one prefix.
    """
    parsed = topic_parse(topic)
    if parsed is None:
        return False
    prefix, key = parsed
    authorise = _authorisers().get(prefix)
    if authorise is None:
        return False
    return bool(authorise(user, key))
