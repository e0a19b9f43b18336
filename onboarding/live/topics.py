"""Page topics: live hints for everyone who has a page open, such as an event's free seats.

A topic is ``<prefix>:<key>``, for example ``event:42``. An app registers the
prefix with a function that says whether a user may see that key::

    register_topic("event", lambda user, key: event_visible_to(user, int(key)))

The function is synchronous and may query the database; the consumer runs it
in a thread. Services publish to a topic with ``services.topic_publish``.
"""

import re

# A prefix is a lower-case word; a key is up to 60 characters that are all
# allowed in a channel-layer group name, so the group name is unambiguous.
TOPIC_RE = re.compile(r"^(?P<prefix>[a-z][a-z0-9_]{0,29}):(?P<key>[A-Za-z0-9_\-.]{1,60})$")

_authorisers = {}


class TopicAlreadyRegistered(Exception):
    pass


def register_topic(prefix, authorise, *, replace=False):
    """Allow subscriptions to ``<prefix>:<key>`` for users ``authorise(user, key)`` accepts."""
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,29}", prefix):
        raise ValueError(f"Invalid topic prefix {prefix!r}.")
    if prefix in _authorisers and not replace:
        raise TopicAlreadyRegistered(prefix)
    _authorisers[prefix] = authorise


def unregister_topic(prefix):
    _authorisers.pop(prefix, None)


def topic_parse(topic):
    """(prefix, key) of a well-formed topic, or None."""
    match = TOPIC_RE.match(topic) if isinstance(topic, str) else None
    return (match["prefix"], match["key"]) if match else None


def topic_group(topic):
    """The channel-layer group of a well-formed topic: ``topic.<prefix>.<key>``."""
    parsed = topic_parse(topic)
    if parsed is None:
        raise ValueError(f"Invalid topic {topic!r}.")
    prefix, key = parsed
    return f"topic.{prefix}.{key}"


def user_group(user_id):
    return f"user.{user_id}"


# Every open socket is also in this group: a notify to many people sends one
# message with each recipient's count instead of one message per person, and
# each socket picks out its own user's entry.
BROADCAST_GROUP = "users.all"


def topic_authorise(user, topic):
    """Whether ``user`` may subscribe to ``topic``: its prefix is registered and allows it."""
    parsed = topic_parse(topic)
    if parsed is None:
        return False
    prefix, key = parsed
    authorise = _authorisers.get(prefix)
    if authorise is None:
        return False
    return bool(authorise(user, key))
