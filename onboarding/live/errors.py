"""The domain errors of the live layer: notifications and page topics."""

from onboarding.errors import DomainError


class LiveError(DomainError):
    """A domain error of the live layer, with a code and a translated message."""


class NotificationError(LiveError):
    """A notification could not be stored, rendered or marked, or a preference set."""


class TopicError(LiveError):
    """A page topic message was refused: a malformed topic or payload."""
