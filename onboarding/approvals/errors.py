"""The domain errors of the course-approval app."""

from __future__ import annotations

from onboarding.errors import DomainError


class ApprovalError(DomainError):
    """A change to a precedent, case, learning agreement or recognition was refused.

    ``field`` (in ``extra``) names the form field the refusal belongs to, when there is one.
    """

    @property
    def field(self) -> str | None:
        return self.extra.get("field")


class ImportRowError(ApprovalError):
    """One row of an import file was refused; ``row`` (in ``extra``) is its line number."""

    @property
    def row(self) -> int | None:
        return self.extra.get("row")
