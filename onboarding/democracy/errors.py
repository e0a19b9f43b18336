"""The domain errors of student democracy."""

from __future__ import annotations

from onboarding.errors import DomainError


class DemocracyError(DomainError):
    """A change in student democracy was refused."""


class CandidacyError(DemocracyError):
    """Standing in an election was refused: ``not_open`` (before nominations open),
    ``closed`` (after they close), ``already_standing``, ``no_such_seat`` (a reserved seat the
    election does not have), ``not_live`` or ``anonymous``."""
