"""The committed catalogues: complete in Norwegian, and each .mo says what its .po says."""

import gettext
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _catalogue(language):
    return polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))


def _compiled(language):
    with open(LOCALE_DIR / language / "LC_MESSAGES" / "django.mo", "rb") as handle:
        return gettext.GNUTranslations(handle)


def test_norwegian_has_no_untranslated_entries():
    untranslated = [entry.msgid for entry in _catalogue("nb").untranslated_entries()]
    assert untranslated == []


def test_norwegian_has_no_fuzzy_entries():
    fuzzy = [entry.msgid for entry in _catalogue("nb").fuzzy_entries()]
    assert fuzzy == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(language):
    catalogue = _catalogue(language)
    compiled = _compiled(language)
    disagreements = []
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            for n, expected in ((1, entry.msgstr_plural[0]), (2, entry.msgstr_plural[1])):
                got = (
                    compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                    if entry.msgctxt
                    else compiled.ngettext(entry.msgid, entry.msgid_plural, n)
                )
                if got != expected:
                    disagreements.append((entry.msgid, n, expected, got))
        else:
            got = (
                compiled.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt
                else compiled.gettext(entry.msgid)
            )
            if got != entry.msgstr:
                disagreements.append((entry.msgid, entry.msgstr, got))
    assert disagreements == [], "run `make messages` to recompile"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_has_no_entries_missing_from_the_source(language):
    source = {entry.msgid for entry in _catalogue(language) if entry.translated()}
    compiled = set(_compiled(language)._catalog)  # noqa: SLF001 - the parsed .mo table
    compiled_ids = {key[0] if isinstance(key, tuple) else key for key in compiled} - {""}
    assert compiled_ids <= source


def test_english_repeats_its_source_strings():
    wrong = [
        (entry.msgid, entry.msgstr)
        for entry in _catalogue("en")
        if not entry.msgid_plural and entry.msgstr != entry.msgid
    ]
    assert wrong == []
