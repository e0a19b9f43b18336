"""The languages people can say they speak, named in the reader's language.

The names are Django's own (``global_settings.LANGUAGES``), which Django's
catalogues already translate; the codes are ISO 639-1 as Django uses them.
"""

from __future__ import annotations

from django.conf import global_settings
from django.utils.text import capfirst
from django.utils.translation import gettext

# The languages offered on the forms: those most often spoken by students here.
LANGUAGE_CODES: tuple[str, ...] = (
    "nb",
    "en",
    "ar",
    "zh-hans",
    "da",
    "nl",
    "fr",
    "de",
    "el",
    "hi",
    "it",
    "ja",
    "ko",
    "fa",
    "pl",
    "pt",
    "ru",
    "es",
    "sv",
    "tr",
    "uk",
    "vi",
)
_NAMES = dict(global_settings.LANGUAGES)


def language_name(code: str) -> str:
    """The name of the language ``code`` in the active language (the code if unknown)."""
    name = _NAMES.get(code)
    return capfirst(gettext(name)) if name else code


def language_choices() -> list[tuple[str, str]]:
    """(code, name) pairs for a form, in the active language, sorted by name."""
    return sorted(((code, language_name(code)) for code in LANGUAGE_CODES), key=lambda c: c[1])


def language_list(codes: list[str] | tuple[str, ...] | frozenset[str]) -> str:
    """Names of ``codes``, comma-separated, in the active language."""
    return ", ".join(sorted(language_name(code) for code in codes))


def language_alternatives(codes: list[str] | tuple[str, ...] | frozenset[str]) -> str:
    """Names of ``codes`` as alternatives: "German", "German or Spanish", "Arabic, German or
    Spanish", in the active language."""
    names = sorted(language_name(code) for code in codes)
    if len(names) < 2:
        return "".join(names)
    return gettext("%(some)s or %(last)s") % {"some": ", ".join(names[:-1]), "last": names[-1]}
