"""The domain errors of the courses app."""


class CourseError(Exception):
    """A change was refused; ``code`` says why, ``message`` tells the person (translated).

    ``enrolment`` is the enrolment concerned, when there is one (for example
    the existing one behind ``already_enrolled``), and ``position`` its place
    on the waitlist.
    """

    def __init__(self, *, code, message, enrolment=None, position=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.enrolment = enrolment
        self.position = position


class EnrolmentError(CourseError):
    """Enrolling or cancelling was refused."""


class PlacementError(CourseError):
    """A placement result could not be recorded."""


class ResultError(CourseError):
    """A course result could not be recorded."""


class CourseCancelError(CourseError):
    """Calling a whole course off was refused."""
