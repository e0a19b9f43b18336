"""Write every agreement and its factsheet as EWP-shaped JSON (docs/exchange.md)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from onboarding.exchange.exports import agreements_export


class Command(BaseCommand):
    help = "Export partner institutions and agreements as EWP-shaped JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", "-o", help="The file to write (standard output if not given)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = json.dumps(agreements_export(), ensure_ascii=False, indent=2)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stderr.write(f"Written to {options['output']}.")
        else:
            self.stdout.write(text)
