"""The domain errors of privacy: deleting an account."""

from onboarding.errors import DomainError


class PrivacyError(DomainError):
    """A request about a person's data was refused, with a code and a translated message."""
