"""Erase the documents on checklist items uploaded longer ago than the retention period."""

from django.core.management.base import BaseCommand

from onboarding.checklists.documents import retention_days
from onboarding.checklists.services import documents_purge


class Command(BaseCommand):
    help = "Erase documents on checklist items older than CHECKLIST_DOCUMENT_RETENTION_DAYS."

    def handle(self, *args, **options):
        count = documents_purge()
        self.stdout.write(f"Erased {count} documents older than {retention_days()} days.")
