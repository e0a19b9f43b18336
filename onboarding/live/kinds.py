"""The kinds of notification and how each reaches people.

A kind is a code, a label people see on the preferences page, two templates
(``live/notifications/<code>/subject.txt`` and ``body.txt``, rendered in the
recipient's language), whether people may turn it off, and the channel it
uses until the person chooses another.

Every app that sends notifications names its kinds through the Wagtail hook
``onboarding.hooks.NOTIFICATION_KINDS`` in its ``wagtail_hooks.py``::

    @hooks.register(NOTIFICATION_KINDS)
    def exchange_kinds():
        # The kinds of notification the exchange app sends.
        return [NotificationKind(
            code="case_answered",
            label=_("A course pre-approval case is answered"),
            default_channel=Channel.EMAIL,
        )]

Context a kind's templates read is documented on the kind (``context_keys``).
A context value that is a dict keyed by language codes, such as
``{"nb": "Fadderuke", "en": "Buddy week"}`` (see :func:`translated_field`), is
resolved to the recipient's language before rendering.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from onboarding.hooks import NOTIFICATION_KINDS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Channel(models.TextChoices):
    """How a person wants to hear about one kind of notification."""

    SITE = "site", _("In the site only")
    EMAIL = "email", _("Email at once")
    DIGEST = "digest", _("Daily digest")
    OFF = "off", _("Off")


@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: StrOrPromise
    description: StrOrPromise = ""
    # Kinds that must reach people cannot be turned off.
    mandatory: bool = False
    default_channel: str = Channel.SITE
    # The context keys the kind's templates read (documentation and validation).
    context_keys: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.default_channel not in Channel.values:
            raise ValueError(f"Unknown default channel {self.default_channel!r} for {self.code}.")
        if self.mandatory and self.default_channel == Channel.OFF:
            raise ValueError(f"The mandatory kind {self.code} cannot default to off.")

    @property
    def subject_template(self) -> str:
        return f"live/notifications/{self.code}/subject.txt"

    @property
    def body_template(self) -> str:
        return f"live/notifications/{self.code}/body.txt"

    def channels(self) -> list[tuple[str, StrOrPromise]]:
        """The channels a person may choose for this kind, as (value, label) pairs."""
        return [
            (value, label)
            for value, label in Channel.choices
            if not (self.mandatory and value == Channel.OFF)
        ]


class KindAlreadyRegistered(Exception):
    """Two registrations of ``NOTIFICATION_KINDS`` gave the same code."""


# The kinds by code, built from the hooks once per set of registered hook functions
# (a test that registers a hook temporarily gets a fresh registry).
_built: tuple[tuple[object, ...], dict[str, NotificationKind]] = ((), {})


def _registry() -> dict[str, NotificationKind]:
    global _built
    functions = tuple(hooks.get_hooks(NOTIFICATION_KINDS))
    if functions != _built[0]:
        registry: dict[str, NotificationKind] = {}
        for function in functions:
            for kind in function():
                if kind.code in registry:
                    raise KindAlreadyRegistered(kind.code)
                registry[kind.code] = kind
        _built = (functions, registry)
    return _built[1]


def get_kind(code: str) -> NotificationKind | None:
    """The kind with this code, or None.

    Raises ``KindAlreadyRegistered`` when two hook functions give one code.
    """
    return _registry().get(code)


def kind_list() -> list[NotificationKind]:
    """Every kind, in hook order (this app's own first)."""
    return list(_registry().values())


def translated_field(obj: object, name: str) -> dict[str, str]:
    """A translated model field as a per-language context value: {"nb": ..., "en": ...}.

    Empty columns fall back to the other language's text, as the site does.
    """
    values = {code: getattr(obj, f"{name}_{code}", "") or "" for code, _label in settings.LANGUAGES}
    fallback = next((v for v in values.values() if v), "")
    return {code: value or fallback for code, value in values.items()}


def per_reader(texts: Mapping[str, str | None]) -> dict[str, str]:
    """Texts written per language as a per-language context value: {"nb": ..., "en": ...}.

    Each reader's language gets its own text, or, when that was left empty,
    the one that was written (Norwegian first).
    """
    values = {code: texts.get(code) or "" for code, _label in settings.LANGUAGES}
    fallback = next((v for v in values.values() if v), "")
    return {code: value or fallback for code, value in values.items()}
