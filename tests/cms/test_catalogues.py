"""The committed catalogues: complete in Norwegian, and each .mo says what its .po says."""

import gettext
import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES]

# "%(name)s", "%s" and "%%" in python-format entries; "{name}" and "{0}" in brace-format ones.
PERCENT_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
BRACE_PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


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


def placeholders(entry, text):
    """The placeholders in ``text`` that the entry's format flags make live, with their counts."""
    found = Counter()
    if "python-format" in entry.flags:
        found.update(PERCENT_PLACEHOLDER.findall(text))
    if "python-brace-format" in entry.flags:
        found.update(f"{{{name}}}" for name in BRACE_PLACEHOLDER.findall(text))
    return found


def placeholder_mismatches(catalogue):
    """Translations whose placeholders differ from their source string's.

    A placeholder the source lacks breaks the page (KeyError) and one left out
    loses a value; either way gettext's fallback is not used, so the mismatch
    must be caught here. In plural entries the first form is compared with
    ``msgid`` and the others with ``msgid_plural``.
    """
    mismatches = []
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            pairs = [
                (entry.msgid if index == 0 else entry.msgid_plural, text)
                for index, text in sorted(entry.msgstr_plural.items())
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, text in pairs:
            if placeholders(entry, source) != placeholders(entry, text):
                mismatches.append((entry.msgctxt, source, text))
    return mismatches


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_their_source(language):
    assert placeholder_mismatches(_catalogue(language)) == []


@pytest.mark.parametrize(
    ("flag", "msgid", "msgstr"),
    [
        ("python-format", "%(done)s of %(total)s done", "Side %(number)s av %(total)s"),
        ("python-format", "%(done)s of %(total)s done", "%(total)s gjort"),
        ("python-format", "Page %s of %s", "Side %s"),
        ("python-brace-format", "Hello {name}", "Hei {navn}"),
        ("python-brace-format", "Hello {name}", "Hei"),
    ],
)
def test_a_placeholder_mismatch_is_caught(flag, msgid, msgstr):
    catalogue = polib.POFile()
    catalogue.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=[flag]))
    assert placeholder_mismatches(catalogue) == [(None, msgid, msgstr)]


def test_a_plural_placeholder_mismatch_is_caught():
    catalogue = polib.POFile()
    entry = polib.POEntry(
        msgid="%(count)s place",
        msgid_plural="%(count)s places",
        msgstr_plural={0: "%(count)s plass", 1: "%(antall)s plasser"},
        flags=["python-format"],
    )
    catalogue.append(entry)
    assert placeholder_mismatches(catalogue) == [(None, "%(count)s places", "%(antall)s plasser")]


def test_placeholders_in_another_order_are_no_mismatch():
    catalogue = polib.POFile()
    catalogue.append(
        polib.POEntry(
            msgid="%(done)s of %(total)s done",
            msgstr="%(total)s i alt, %(done)s gjort",
            flags=["python-format"],
        )
    )
    assert placeholder_mismatches(catalogue) == []


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
    # A .mo file keys an entry with a context as "context\x04msgid".
    source = {
        f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        for entry in _catalogue(language)
        if entry.translated()
    }
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
