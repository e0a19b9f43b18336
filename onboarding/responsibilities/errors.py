"""The domain error of the responsibilities app."""

from onboarding.errors import DomainError


class ResponsibilityError(DomainError):
    """A change to the matrix was refused; ``code`` says why, ``message`` says which area and level.

    Raised with ``level=`` (kept in ``extra``) when the refusal is about one level.
    """

    @property
    def level(self) -> str:
        """The level the refusal is about, or "" when it is about the whole area."""
        return str(self.extra.get("level", ""))
