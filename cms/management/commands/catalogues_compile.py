"""Fill the English catalogue from its source strings and compile both .mo files.

English is the source language, so its catalogue repeats each source string;
Norwegian must be translated by hand. Compiling in Python means no GNU
gettext is needed to build the committed .mo files.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Fill locale/en from the source strings and compile every django.po to django.mo."

    def handle(self, *args, **options):
        try:
            import polib
        except ImportError as error:  # pragma: no cover - dev dependency
            raise CommandError("polib is needed: pip install -e '.[dev]'") from error

        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/django.po")):
                catalogue = polib.pofile(str(po_path))
                language = po_path.parent.parent.name
                if language == "en":
                    # Always the source string: a fuzzy guess from msgmerge is never right here.
                    for entry in catalogue:
                        if entry.msgid_plural:
                            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                        else:
                            entry.msgstr = entry.msgid
                        if "fuzzy" in entry.flags:
                            entry.flags.remove("fuzzy")
                    catalogue.save()
                untranslated = len(catalogue.untranslated_entries())
                fuzzy = len(catalogue.fuzzy_entries())
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                self.stdout.write(
                    f"{po_path}: {len(catalogue)} entries, {untranslated} untranslated, {fuzzy} fuzzy"
                )
