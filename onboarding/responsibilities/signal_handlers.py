"""Signal handlers of the matrix."""

from django.db import transaction


def matrix_changed(sender, **kwargs):
    """The public matrix is cached for anonymous readers: a change clears the cache on commit."""
    from cms.middleware import page_cache_clear

    transaction.on_commit(page_cache_clear)
