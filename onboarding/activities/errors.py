"""The domain errors of the events app."""


class ActivityError(Exception):
    """A change was refused; ``code`` says why, ``message`` tells the person (translated).

    ``signup`` is the signup concerned, when there is one (for example the
    existing one behind ``already_signed_up``), and ``position`` its place on
    the waitlist.
    """

    def __init__(self, *, code, message, signup=None, position=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.signup = signup
        self.position = position


class SignupError(ActivityError):
    """Signing up or cancelling was refused."""


class CheckInError(ActivityError):
    """A check-in was refused (or had been done before: ``already_checked_in``)."""


class OrganiserError(ActivityError):
    """An organiser action was refused."""
