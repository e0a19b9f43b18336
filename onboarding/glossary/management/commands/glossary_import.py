"""Import glossary terms from a TBX or CSV termbase file (docs/glossary.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onboarding.glossary.errors import ImportFileError
from onboarding.glossary.imports import FORMATS, format_of, glossary_import


class Command(BaseCommand):
    help = (
        "Import glossary terms from TBX (ISO 30042, or older TBX-Basic) or CSV. Good entries "
        "are imported, bad ones reported; running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .tbx or .csv file.")
        parser.add_argument(
            "--owner", default="", help="The slug of the unit that owns entries that name none."
        )
        parser.add_argument(
            "--format", choices=FORMATS, default="", help="tbx or csv (default: from the name)."
        )
        parser.add_argument(
            "--field", default="", help="The ISCED-F code of entries that give no subject field."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        try:
            result = glossary_import(
                data=data,
                file_format=format_of(path.name, options["format"]),
                owner_slug=options["owner"],
                field_code=options["field"],
            )
        except ImportFileError as error:
            raise CommandError(str(error.message)) from error
        for problem in result.problems:
            self.stderr.write(f"{problem.ref}: {problem.message}")
        self.stdout.write(
            f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
            f"{len(result.problems)} left out"
        )
