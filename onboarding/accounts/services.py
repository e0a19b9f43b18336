"""Writes on a person's own account that allauth does not cover."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.users.models import UserProfile

from .errors import AccountError

if TYPE_CHECKING:
    from .models import User

NAME_MAX_LENGTH = 150


@transaction.atomic
def user_update_preferences(
    *,
    user: User,
    language: str,
    first_name: str | None,
    last_name: str | None,
    preferred_name: str | None = None,
) -> User:
    """Set the person's preferred language and names; returns the user.

    ``preferred_name`` is what the person likes to be called (None leaves it
    as it is); the given and family name stay for official lists.

    The language decides what language their emails and notifications are
    written in, and the admin's for those who use it. Raises
    ``AccountError`` with code ``invalid_language`` for a language the site
    does not offer and ``name_too_long`` for a name over 150 characters;
    nothing is changed then.
    """
    if language not in dict(settings.LANGUAGES):
        raise AccountError(
            code="invalid_language",
            message=_("Choose one of the languages offered."),
            field="language",
        )
    first_name = (first_name or "").strip()
    last_name = (last_name or "").strip()
    if preferred_name is None:
        preferred_name = user.preferred_name
    preferred_name = (preferred_name or "").strip()
    names = (
        ("first_name", first_name),
        ("last_name", last_name),
        ("preferred_name", preferred_name),
    )
    for field, value in names:
        if len(value) > NAME_MAX_LENGTH:
            raise AccountError(
                code="name_too_long",
                message=_("Use at most 150 characters."),
                field=field,
            )
    user.language = language
    user.first_name = first_name
    user.last_name = last_name
    user.preferred_name = preferred_name
    user.save(update_fields=["language", "first_name", "last_name", "preferred_name"])
    # The admin follows the same choice: a language picked earlier in the
    # admin's own account settings would otherwise win over this one.
    UserProfile.objects.filter(user=user).exclude(preferred_language="").update(
        preferred_language=language
    )
    return user
