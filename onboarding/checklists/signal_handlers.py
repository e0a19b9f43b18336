"""Signal handlers of the checklists app: a document's file goes with its row."""

from typing import Any

from django.db import transaction

from .models import ItemSubmission


def submission_deleted(
    sender: type[ItemSubmission], instance: ItemSubmission, **kwargs: Any
) -> None:
    """Erase the stored file once the deletion (an account's, an item's, a purge's) commits."""
    from .documents import private_storage

    name = instance.file_name
    if name:
        transaction.on_commit(lambda: private_storage().delete(name))
