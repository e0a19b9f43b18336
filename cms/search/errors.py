"""The search's refusals."""

from onboarding.errors import DomainError


class SearchError(DomainError):
    """A search that cannot be run as typed (``too_long``)."""
