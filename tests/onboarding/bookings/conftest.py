"""Fixtures for the booking engine's tests: events are the holders most of them book at."""

from tests.onboarding.activities.conftest import (  # noqa: F401
    _clean_channel_layer,
    _module_tree,
    student,
    students,
    tree,
    unit,
)
