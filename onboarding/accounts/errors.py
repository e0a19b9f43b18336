"""The domain errors of the accounts app: the account itself and the student profile."""

from onboarding.errors import DomainError


class _FieldError(DomainError):
    """An error that may belong to one form field, given as ``field=`` (kept in ``extra``)."""

    @property
    def field(self) -> str | None:
        """The name of the form field the error belongs to, or None for the whole form."""
        field = self.extra.get("field")
        return None if field is None else str(field)


class AccountError(_FieldError):
    """A change to an account was refused; ``code`` says why, ``message`` tells the person."""


class ProfileError(_FieldError):
    """A profile change was refused; ``code`` says why, ``message`` tells the person."""
