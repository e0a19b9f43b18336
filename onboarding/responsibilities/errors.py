"""The domain error of the responsibilities app."""


class ResponsibilityError(Exception):
    """A change to the matrix was refused; ``code`` says why, ``message`` says which area and level."""

    def __init__(self, *, code, message, level=""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.level = level
