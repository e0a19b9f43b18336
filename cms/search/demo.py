"""The demo's search index: seeded content is made in bulk, where no save indexes it."""

from .index import search_index_rebuild


def seed_search_index() -> int:
    """Index every object the search looks through (last of the demo's steps); returns how many."""
    return search_index_rebuild()
