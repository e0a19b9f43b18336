"""The domain error of the units app."""

from onboarding.errors import DomainError


class UnitError(DomainError):
    """A change to a unit or a follow was refused; ``code`` says why, ``message`` tells the person."""
