"""The domain errors of the exchange app."""

from __future__ import annotations

from onboarding.errors import DomainError


class ExchangeError(DomainError):
    """A change to a partner, agreement, programme or report was refused.

    ``field`` (in ``extra``) names the form field the refusal belongs to, when there is one.
    """

    @property
    def field(self) -> str | None:
        return self.extra.get("field")


class ImportRowError(ExchangeError):
    """One row of an import file was refused; ``row`` (in ``extra``) is its line number."""

    @property
    def row(self) -> int | None:
        return self.extra.get("row")
