"""The booking engine's refusals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from onboarding.errors import DomainError

if TYPE_CHECKING:
    from .models import Booking


class BookingError(DomainError):
    """The engine refused a change; ``code`` says why.

    Codes: ``already_booked`` (the person holds a place or a waitlist place;
    ``booking`` is it), ``full`` (no place and no waitlist), ``not_active``
    (cancelling a booking that is already cancelled), ``capacity_below_confirmed``
    (``confirmed`` people hold places; the capacity cannot go under that) and
    ``busy`` (the holder's lock was not given within ``BOOKING_LOCK_TIMEOUT_MS``).
    Domain apps turn these into their own errors and messages.
    """

    @property
    def booking(self) -> Booking | None:
        return self.extra.get("booking")

    @property
    def confirmed(self) -> int | None:
        return self.extra.get("confirmed")
