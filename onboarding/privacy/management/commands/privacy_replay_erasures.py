"""Delete again the accounts deleted after a backup was taken, on the database restored from it.

    .venv/bin/python manage.py privacy_replay_erasures --since 2026-12-01T02:00:00+01:00

Reads the erasure journal (``PRIVACY_ERASURE_JOURNAL``, else ``erasures.jsonl``
in ``PRIVATE_MEDIA_ROOT``; ``--journal`` names another copy) and deletes every
account it lists as deleted at or after ``--since`` (the time the backup was
taken) that the restored database still has. Safe to run again. Run it before
the site is opened after a restore: see docs/privacy.md.
"""

from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from onboarding.privacy.services import erasures_replay, journal_path, journal_read


class Command(BaseCommand):
    help = "Delete again the accounts deleted after the backup this database was restored from."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since",
            required=True,
            help="When the backup was taken (ISO 8601; a date alone means its midnight).",
        )
        parser.add_argument("--journal", default="", help="Another copy of the erasure journal.")

    def handle(self, *args: Any, since: str, journal: str, **options: Any) -> None:
        try:
            moment = datetime.fromisoformat(since)
        except ValueError as error:
            raise CommandError(f"--since is no date and time: {since!r}") from error
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        path = Path(journal) if journal else journal_path()
        if journal and not path.exists():
            raise CommandError(f"No journal at {path}")
        result = erasures_replay(erasures=journal_read(path), since=moment)
        self.stdout.write(
            f"Deleted {result.erased} account(s) again; {result.already} already deleted, "
            f"{result.missing} not in this database."
        )
