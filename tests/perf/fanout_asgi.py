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


def register_fanout_topic():
    from onboarding.live.topics import register_topic

    register_topic(TOPIC_PREFIX, fanout_topic_allowed, replace=True)


register_fanout_topic()
