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


def plan_structure_changed(sender: type, **kwargs: Any) -> None:
    """An item, an area of responsibility or a semester changed: cached plans are stale.

    The merged checklist structures and the semesters are cached (selectors.plan_checklists);
    the change reaches the next reader once the write commits.
    """
    from cms.fragments import fragment_purge

    # At once, for readers inside this transaction; and again after the commit, since a
    # reader elsewhere may have cached the old rows under the new generation in between.
    fragment_purge("checklists")
    transaction.on_commit(lambda: fragment_purge("checklists"))
