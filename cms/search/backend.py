"""The site's search backend: Wagtail's database backend, with both languages on PostgreSQL.

Use it as ``WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "cms.search.backend"``.
On PostgreSQL each indexed field goes into the index with its own language's
text-search configuration, chosen by the field name's suffix (``_nb``
Norwegian, ``_en`` English, any other ``simple``), and a query is matched in
every configuration (``cms.search.postgres``). On SQLite (development and
tests), which has no stemmers, it is Wagtail's SQLite backend with each word
also matching as the start of a word (``cms.search.sqlite``); on any other
database, Wagtail's database backend unchanged. Why: docs/search.md.
"""

from typing import Any

from django.db import connection
from wagtail.search.backends.database import SearchBackend as DatabaseSearchBackend


def SearchBackend(params: dict[str, Any]) -> Any:  # noqa: N802 - the name Wagtail looks up
    """The backend for the default database: bilingual on PostgreSQL, Wagtail's elsewhere."""
    if connection.vendor == "postgresql":
        from .postgres import BilingualPostgresSearchBackend

        return BilingualPostgresSearchBackend(params)
    backend = DatabaseSearchBackend(params)
    if connection.vendor == "sqlite":
        # Wagtail's SQLite module reads models that exist only on SQLite: imported here.
        from wagtail.search.backends.database.sqlite.sqlite import SQLiteSearchBackend

        from .sqlite import PrefixSQLiteSearchBackend

        if isinstance(backend, SQLiteSearchBackend):
            return PrefixSQLiteSearchBackend(params)
    return backend
