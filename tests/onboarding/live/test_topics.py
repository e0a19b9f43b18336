"""Page topics come from every app's LIVE_TOPICS hook; a prefix is never silently replaced."""

import pytest
from wagtail import hooks

from onboarding.hooks import LIVE_TOPICS
from onboarding.live import topics


class Person:
    is_staff = False


def test_the_events_and_the_courses_apps_both_give_their_topic():
    assert {"event", "course"} <= set(topics.topic_prefixes())


def test_two_hooks_prefixes_are_both_kept():
    first = {"first": lambda user, key: key == "1"}
    second = {"second": lambda user, key: key == "2"}

    with hooks.register_temporarily([(LIVE_TOPICS, lambda: first), (LIVE_TOPICS, lambda: second)]):
        assert topics.topic_authorise(Person(), "first:1")
        assert topics.topic_authorise(Person(), "second:2")
        assert not topics.topic_authorise(Person(), "second:1")
    assert not topics.topic_authorise(Person(), "first:1")


def test_a_prefix_given_twice_is_refused():
    with (
        hooks.register_temporarily(LIVE_TOPICS, lambda: {"event": lambda user, key: True}),
        pytest.raises(topics.TopicAlreadyRegistered),
    ):
        topics.topic_authorise(Person(), "event:1")


def test_a_malformed_prefix_is_refused():
    with (
        hooks.register_temporarily(LIVE_TOPICS, lambda: {"Not ok": lambda user, key: True}),
        pytest.raises(ValueError, match="Invalid topic prefix"),
    ):
        topics.topic_prefixes()


def test_an_unregistered_prefix_is_not_authorised():
    assert not topics.topic_authorise(Person(), "nothing:1")
    assert not topics.topic_authorise(Person(), "not a topic")
