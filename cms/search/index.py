"""Keeping the search index: what the search looks through, and rebuilding it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from wagtail.search.backends import get_search_backend
from wagtail.search.index import class_is_indexed

from .registry import search_sources

if TYPE_CHECKING:
    from django.db.models import Model

# Objects sent to the index in one statement.
CHUNK = 200


def search_models() -> list[type[Model]]:
    """The indexed models of every registered source, each once."""
    models: list[type[Model]] = []
    for source in search_sources():
        if class_is_indexed(source.model) and source.model not in models:
            models.append(source.model)
    return models


def search_index_rebuild(*, models: list[type[Model]] | None = None) -> int:
    """Index every object of ``models`` (by default ``search_models()``); returns how many.

    ``manage.py update_index`` does the same for every indexed model (and
    removes entries of deleted objects); this is the part the search needs, run
    after content made in bulk (the demo), where no save signal indexes it.
    Entries are replaced, never duplicated: running it again changes nothing.
    """
    backend = get_search_backend()
    count = 0
    with transaction.atomic():
        for model in models if models is not None else search_models():
            objects = model.get_indexed_objects().order_by("pk")  # type: ignore[attr-defined]
            chunk: list[Model] = []
            for obj in objects.iterator(chunk_size=CHUNK):
                chunk.append(obj)
                if len(chunk) == CHUNK:
                    backend.add_bulk(model, chunk)
                    count += len(chunk)
                    chunk = []
            if chunk:
                backend.add_bulk(model, chunk)
                count += len(chunk)
    return count
