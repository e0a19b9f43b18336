"""The domain errors of the events app."""

from __future__ import annotations

from typing import Any

from onboarding.errors import DomainError


class ActivityError(DomainError):
    """A change was refused; ``code`` says why, ``message`` tells the person (translated).

    ``signup`` is the signup concerned, when there is one (for example the
    existing one behind ``already_signed_up``), and ``position`` its place on
    the waitlist; both are kept in ``extra``.
    """

    @property
    def signup(self) -> Any:
        return self.extra.get("signup")

    @property
    def position(self) -> int | None:
        return self.extra.get("position")


class SignupError(ActivityError):
    """Signing up or cancelling was refused; ``errors`` are refused answers by question id."""

    @property
    def errors(self) -> dict[int, str]:
        return self.extra.get("errors") or {}


class CheckInError(ActivityError):
    """A check-in was refused (or had been done before: ``already_checked_in``)."""


class OrganiserError(ActivityError):
    """An organiser action was refused."""


class RecurrenceError(ActivityError):
    """A recurrence (or a change to one) was refused; ``field`` names the form field, if any."""

    @property
    def field(self) -> str | None:
        return self.extra.get("field")
