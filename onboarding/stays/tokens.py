"""Signed answer links of safety checks: single-purpose, expiring, never stored.

The email of a safety check carries two links, "I am safe" and "I need help",
that work without logging in. Each holds a token made with
``django.core.signing`` under a salt of its own, so that no other signed value
of the site (a session, a password-reset link, another purpose's token) is
accepted as one: the check, the student it was sent to and the answer. A
token is refused ``settings.SAFETY_CHECK_LINK_DAYS`` days after it was made.

A link only chooses what the answer page offers: opening it (as a mail
scanner does) changes nothing; the answer is recorded when the person sends
the page's form. Nothing is stored: the signature is the proof.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from .errors import AnswerLinkError
from .models import CheckAnswer

# The purpose of these tokens, and nothing else's: a value signed for another purpose fails.
SALT = "onboarding.stays.safety-check.answer"
# The answers a link may carry ("no answer yet" is not one).
LINK_ANSWERS = (CheckAnswer.SAFE, CheckAnswer.HELP)


@dataclass(frozen=True)
class AnswerToken:
    """What an answer link says: this check, sent to this student, answered so."""

    check_id: int
    student_id: int
    answer: str


def answer_token_make(*, check_id: int, student_id: int, answer: str) -> str:
    """The token of the answer link for ``answer`` to one student's safety check."""
    if answer not in LINK_ANSWERS:
        raise ValueError(f"No answer link for {answer!r}.")
    return signing.dumps([check_id, student_id, str(answer)], salt=SALT, compress=False)


def link_max_age() -> timedelta:
    """How long an answer link works after it was made."""
    return timedelta(days=settings.SAFETY_CHECK_LINK_DAYS)


def answer_token_read(token: str) -> AnswerToken:
    """What the token says, if it is a whole, unexpired answer token.

    Raises ``AnswerLinkError`` ``expired`` for a token older than
    ``SAFETY_CHECK_LINK_DAYS``, and ``invalid`` for anything else that is not
    an answer token as made here: changed, cut short, signed for another
    purpose or with another key.
    """
    try:
        payload = signing.loads(token, salt=SALT, max_age=link_max_age())
    except signing.SignatureExpired as error:
        raise AnswerLinkError(
            code="expired",
            message=_(
                "This link has expired. Log in and answer on your safety check instead: "
                "the answer counts just the same."
            ),
        ) from error
    except (signing.BadSignature, ValueError, UnicodeError) as error:
        raise _invalid() from error
    if (
        not isinstance(payload, list)
        or len(payload) != 3
        or not all(isinstance(part, int) and not isinstance(part, bool) for part in payload[:2])
        or payload[2] not in LINK_ANSWERS
    ):
        raise _invalid()
    check_id, student_id, answer = payload
    return AnswerToken(check_id=check_id, student_id=student_id, answer=answer)


def _invalid() -> AnswerLinkError:
    return AnswerLinkError(
        code="invalid",
        message=_(
            "This link is not whole or not valid. Copy the whole link from the email, or log in "
            "and answer on your safety check."
        ),
    )
