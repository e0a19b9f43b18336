"""How much of each unit's content exists in both languages (see docs/completeness.md).

Content that is not a page but belongs to a unit (glossary terms,
representatives) is counted through the ``COMPLETENESS_SOURCES`` hook
(``onboarding.hooks``): the app that owns it registers a ``TranslatedContent``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import Model
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class TranslatedContent:
    """A kind of unit-owned content translated field by field.

    ``unit_field`` is the lookup from the model to its owning ``UnitPage``
    (``"owner"``); ``fields`` the translated fields that must be filled in
    both languages; ``single_language_field`` names the field that holds
    "nb" or "en" when the thing is deliberately written in one language
    only (it then counts as complete); ``edit_url`` gives the admin link to
    fix one object.
    """

    model: type[Model]
    label: StrOrPromise
    unit_field: str
    fields: tuple[str, ...]
    edit_url: Callable[[Any], str]
    single_language_field: str = ""
