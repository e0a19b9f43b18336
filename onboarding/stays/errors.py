"""The domain errors of stays abroad, crises and requests to come home early."""

from __future__ import annotations

from onboarding.errors import DomainError


class StaysError(DomainError):
    """A change was refused; ``field`` (in ``extra``) names the form field the refusal belongs
    to, when there is one."""

    @property
    def field(self) -> str | None:
        return self.extra.get("field")


class StayError(StaysError):
    """A change to a stay abroad was refused."""


class CrisisError(StaysError):
    """Declaring, answering, acknowledging, reminding or closing was refused."""


class AnswerLinkError(CrisisError):
    """An answer link from an email was refused: ``invalid`` (tampered, not ours, another
    purpose's), ``expired``, ``wrong_person``, ``no_check`` or ``closed``."""


class ReturnError(StaysError):
    """A step of a request to come home early was refused."""
