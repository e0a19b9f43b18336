"""The domain errors of the courses app."""

from __future__ import annotations

from typing import Any

from onboarding.errors import DomainError


class CourseError(DomainError):
    """A change was refused; ``code`` says why, ``message`` tells the person (translated).

    ``enrolment`` is the enrolment concerned, when there is one (for example
    the existing one behind ``already_enrolled``), and ``position`` its place
    on the waitlist; both are kept in ``extra``.
    """

    @property
    def enrolment(self) -> Any:
        return self.extra.get("enrolment")

    @property
    def position(self) -> int | None:
        return self.extra.get("position")


class EnrolmentError(CourseError):
    """Enrolling or cancelling was refused."""


class PlacementError(CourseError):
    """A placement result could not be recorded."""


class ResultError(CourseError):
    """A course result could not be recorded."""


class CourseCancelError(CourseError):
    """Calling a whole course off was refused."""
