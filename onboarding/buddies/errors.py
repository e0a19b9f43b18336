"""The domain errors of the buddy programme."""

from __future__ import annotations

from onboarding.errors import DomainError


class BuddyError(DomainError):
    """A change to a buddy round was refused; ``field`` in ``extra`` names the form field."""


class ProfileError(BuddyError):
    """Volunteering as a buddy or asking for one was refused."""


class MatchingError(BuddyError):
    """Running, adjusting or publishing a matching was refused."""
