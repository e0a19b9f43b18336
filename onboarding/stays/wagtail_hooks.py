"""Admin wiring of stays abroad: each part registers its own hooks in its module."""

from . import hooks_crisis, hooks_registry, hooks_returns  # noqa: F401
