"""ASGI application of the fan-out benchmark's worker processes.

The site's own application, plus the benchmark's page topic ``fanout:<key>``,
which stands in for an event page's ``event:<id>`` topic: its authoriser makes
one database query, as a real one does. Run as
``uvicorn tests.perf.fanout_asgi:application``.
"""

from onboarding.asgi import application  # noqa: F401  (sets Django up first)

TOPIC_PREFIX = "fanout"


def fanout_topic_allowed(user, key):
    from django.contrib.auth import get_user_model

    return key.isdigit() and get_user_model().objects.filter(pk=user.pk, is_active=True).exists()


def fanout_topics():
    """The benchmark's ``fanout:<key>`` page topic."""
    return {TOPIC_PREFIX: fanout_topic_allowed}


def register_fanout_topic():
    from wagtail import hooks

    from onboarding.hooks import LIVE_TOPICS

    if fanout_topics not in hooks.get_hooks(LIVE_TOPICS):
        hooks.register(LIVE_TOPICS, fanout_topics)


register_fanout_topic()
