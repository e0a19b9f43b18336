"""Import a list of earlier decisions from a CSV file (docs/approvals.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onboarding.approvals.errors import ApprovalError
from onboarding.approvals.imports import DECIDING_KINDS, csv_rows, rows_import
from onboarding.units.models import UnitPage

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import earlier course decisions from a CSV file. Every row is checked first; "
        "a file with a bad row imports nothing. Importing the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The CSV file.")
        parser.add_argument(
            "--unit",
            help="The deciding unit (address name or number) of rows that name none.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def _unit(self, value: str | None) -> UnitPage | None:
        if not value:
            return None
        units = UnitPage.objects.filter(kind__in=DECIDING_KINDS)
        if value.isdigit() and len(value) <= 18:
            found = list(units.filter(pk=int(value)))
        else:
            found = list(units.filter(slug_nb=value) | units.filter(slug_en=value))
        if len(found) != 1:
            raise CommandError(f"No single deciding unit is {value!r}.")
        return found[0]

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        try:
            rows = csv_rows(text)
        except ApprovalError as error:
            raise CommandError(str(error.message)) from error
        unit = self._unit(options.get("unit"))
        show = not options["no_progress"] and bool(rows)
        labels = {"checking": "checking", "writing": "writing "}

        def progress(phase: str, done: int, total: int) -> None:
            filled = BAR_WIDTH * done // total if total else BAR_WIDTH
            self.stdout.write(
                f"\r{labels.get(phase, phase)} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}]"
                f" {done}/{total}",
                ending="",
            )
            self.stdout.flush()
            if done == total:
                self.stdout.write("")

        result = rows_import(rows, default_unit=unit, progress=progress if show else None)
        for row_error in result.errors:
            column = f" [{row_error.column}]" if row_error.column else ""
            self.stderr.write(
                f"line {row_error.line} {row_error.decision_id}{column}: {row_error.message}"
            )
        if not result.written:
            self.stderr.write(f"{result.rows} rows, {result.failed} bad: nothing was imported.")
            sys.exit(1)
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.rows} rows, {result.decisions} decisions: "
                f"{result.created} new, {result.unchanged} unchanged."
            )
        )
