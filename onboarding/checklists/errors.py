"""The domain error of the checklists app."""

from onboarding.errors import DomainError


class ChecklistError(DomainError):
    """A change to checklist progress was refused; ``code`` says why, ``message`` tells the person."""
