"""The domain error of the units app."""


class UnitError(Exception):
    """A change to a unit or a follow was refused; ``code`` says why, ``message`` tells the person."""

    def __init__(self, *, code, message):
        super().__init__(message)
        self.code = code
        self.message = message
