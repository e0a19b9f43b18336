"""The domain errors of the glossary."""

from __future__ import annotations

from onboarding.errors import DomainError


class GlossaryError(DomainError):
    """A change to the glossary was refused; ``field`` (in ``extra``) names the form field the
    refusal belongs to, when there is one."""

    @property
    def field(self) -> str | None:
        return self.extra.get("field")


class TermError(GlossaryError):
    """A term could not be saved: ``duplicate``, ``no_term``, ``bad_language``, ``no_owner``."""


class ProposalError(GlossaryError):
    """A proposal was refused: ``duplicate``, ``pending_duplicate``, ``no_term``,
    ``bad_language``, ``forbidden``, ``decided``, ``no_owner``."""


class ImportFileError(GlossaryError):
    """A whole import file was refused: ``unreadable``, ``bad_format``, ``bad_header``,
    ``unknown_owner``, ``unknown_field``."""
