"""The one base of every domain error in the project.

A service or the booking engine that refuses a change raises a subclass of
``DomainError``, always with keywords: ``code`` is a short, stable string that
code and tests compare (``"full"``, ``"not_in_plan"``), ``message`` is the
translated sentence shown to the person, and any further keyword is kept in
``extra`` for the caller (the booking that already exists, the form field the
error belongs to). Views turn the error into a message or a form error; nothing
is half-written, since services raise before they write or inside a transaction.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise

type Message = str | Promise


class DomainError(Exception):
    """A change was refused; ``code`` says why, ``message`` tells the person."""

    def __init__(self, *, code: str, message: Message, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra: dict[str, Any] = extra

    def __str__(self) -> str:
        return str(self.message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={str(self.message)!r})"
