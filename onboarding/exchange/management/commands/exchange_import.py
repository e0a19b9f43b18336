"""Import partners and agreements from a CSV file (docs/exchange.md) or a JSON export."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onboarding.exchange.errors import ExchangeError
from onboarding.exchange.imports import file_rows, rows_import

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import partner institutions and agreements from CSV (or a JSON export). "
        "A file with a bad row changes nothing unless --import-valid is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The CSV or .json file.")
        parser.add_argument(
            "--import-valid",
            action="store_true",
            help="Import the valid rows even if some rows fail.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        try:
            rows = file_rows(path.name, text)
        except ExchangeError as error:
            raise CommandError(str(error)) from error
        total = len(rows)
        show = not options["no_progress"] and total > 0

        def progress(done: int) -> None:
            filled = BAR_WIDTH * done // total
            self.stdout.write(
                f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}", ending=""
            )
            self.stdout.flush()

        result = rows_import(
            rows, import_valid=options["import_valid"], progress=progress if show else None
        )
        if show:
            self.stdout.write("")
        for row_error in result.errors:
            column = f" [{row_error.column}]" if row_error.column else ""
            self.stderr.write(
                f"line {row_error.line} {row_error.reference}{column}: {row_error.message}"
            )
        summary = (
            f"{result.rows} rows: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.failed} failed."
        )
        if result.errors and not result.written:
            self.stderr.write(summary)
            self.stderr.write("Nothing was imported (--import-valid imports the valid rows).")
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(summary))
