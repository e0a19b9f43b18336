"""The domain errors of crises and their safety checks."""

from __future__ import annotations

from onboarding.errors import DomainError


class CrisisError(DomainError):
    """Declaring, answering, acknowledging, reminding or closing was refused.

    ``field`` (in ``extra``) names the form field the refusal belongs to, when there is one.
    """

    @property
    def field(self) -> str | None:
        return self.extra.get("field")


class AnswerLinkError(CrisisError):
    """An answer link from an email was refused: ``invalid`` (tampered, not ours, another
    purpose's), ``expired``, ``wrong_person``, ``no_check`` or ``closed``."""
