"""Wagtail's PostgreSQL search backend with a text-search configuration per field.

Wagtail's backend reads one ``SEARCH_CONFIG`` for the whole index: every
field is stemmed as one language, and every query too. Our pages hold both
languages side by side (``title_nb``, ``title_en``), so this subclass changes
only the two places where a configuration is chosen:

- building an index entry (``BilingualObjectIndexer``): each field's text goes
  into the ``title`` or ``body`` vector with the configuration its name's
  suffix asks for (``field_config``);
- compiling a query (``BilingualPostgresSearchQueryCompiler``): each word or
  phrase becomes one ``tsquery`` per configuration, joined with OR, so
  "arrangementene" meets the Norwegian stem of "arrangement" and "events" the
  English stem of "event", while names ("ISN") match as they are.

Everything else (ranking, title norms, filters, fuzzy and autocomplete
search, rebuilding) is Wagtail's.
"""

from __future__ import annotations

from functools import reduce
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db.models import TextField, Value
from django.utils.functional import cached_property
from wagtail.search.backends.database.postgres.postgres import (
    EMPTY_VECTOR,
    IndexEntry,
    ObjectIndexer,
    PostgresIndex,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)
from wagtail.search.index import SearchField
from wagtail.search.query import Phrase, PlainText
from wagtail.search.utils import ADD, get_content_type_pk

# The text-search configuration of each language suffix; other fields are ``simple``.
LANGUAGE_CONFIGS = {"nb": "norwegian", "en": "english"}
OTHER_CONFIG = "simple"
# A query is looked for in each of these.
QUERY_CONFIGS = ("norwegian", "english", "simple")
# The columns an entry rewrites when its object is indexed again.
ENTRY_FIELDS = ("title", "autocomplete", "body", "title_norm", "title_text", "body_text")
# Fields that count as the title (ranked above the body, with Wagtail's title norm).
TITLE_FIELDS = frozenset({"title", "title_nb", "title_en"})


def field_config(field_name: str) -> str:
    """The text-search configuration for a field: by its language suffix, else ``simple``."""
    for code, config in LANGUAGE_CONFIGS.items():
        if field_name.endswith(f"_{code}"):
            return config
    return OTHER_CONFIG


class BilingualObjectIndexer(ObjectIndexer):
    """One object's index entry, each field stemmed in its own language."""

    def _texts(self, *, title: bool) -> list[tuple[str, str, str]]:
        """(text, weight, configuration) of the title fields, or of the others."""
        texts = []
        for field in self.search_fields:
            for current, weight, value in self.prepare_field(self.obj, field):
                if not isinstance(current, SearchField):
                    continue
                if (current.field_name in TITLE_FIELDS) != title:
                    continue
                text = value.strip()
                if text:
                    texts.append((text, weight, field_config(current.field_name)))
        return texts

    @staticmethod
    def _vector(texts: list[tuple[str, str, str]]) -> Any:
        if not texts:
            return EMPTY_VECTOR
        return ADD(
            [
                SearchVector(Value(text, output_field=TextField()), weight=weight, config=config)
                for text, weight, config in texts
            ]
        )

    @cached_property
    def title(self) -> Any:
        return self._vector(self._texts(title=True))

    @cached_property
    def body(self) -> Any:
        return self._vector(self._texts(title=False))

    @cached_property
    def title_text(self) -> str:
        return " ".join(text for text, _weight, _config in self._texts(title=True))

    @cached_property
    def body_text(self) -> str:
        return " ".join(text for text, _weight, _config in self._texts(title=False))


class BilingualPostgresIndex(PostgresIndex):
    """Wagtail's index, writing entries built by ``BilingualObjectIndexer``.

    Wagtail names its own indexer inside its ``add_items``, so the entries are
    written here: one upsert through the ORM (insert, or replace the entry an
    object already has), then Wagtail's refresh of the title norms.
    """

    indexer_class = BilingualObjectIndexer

    def add_items(self, model: Any, objs: Any) -> None:
        if not model.get_search_fields():
            return
        content_type_id = get_content_type_pk(model)
        entries = []
        for obj in objs:
            indexer = self.indexer_class(obj, self.backend)
            entries.append(
                IndexEntry(
                    content_type_id=content_type_id,
                    object_id=indexer.id,
                    title=indexer.title,
                    autocomplete=indexer.autocomplete,
                    body=indexer.body,
                    title_norm=1.0,
                    title_text=indexer.title_text,
                    body_text=indexer.body_text,
                )
            )
        if not entries:
            return
        IndexEntry._default_manager.using(self.write_connection.alias).bulk_create(
            entries,
            update_conflicts=True,
            unique_fields=("content_type", "object_id"),
            update_fields=ENTRY_FIELDS,
        )
        self._refresh_title_norms()


class BilingualPostgresSearchQueryCompiler(PostgresSearchQueryCompiler):
    """Wagtail's compiler, looking for each word or phrase in every language's configuration."""

    def build_tsquery_content(self, query: Any, config: Any = None, invert: bool = False) -> Any:
        if isinstance(query, (PlainText, Phrase)):
            parts = [
                super(BilingualPostgresSearchQueryCompiler, self).build_tsquery_content(
                    query, config=each, invert=invert
                )
                for each in QUERY_CONFIGS
            ]
            parts = [part for part in parts if part is not None]
            if not parts:
                return None
            # Found in any language; negated, found in none (De Morgan).
            return reduce((lambda a, b: a & b) if invert else (lambda a, b: a | b), parts)
        return super().build_tsquery_content(query, config=config, invert=invert)

    def get_fields_vectors(self, search_query: Any) -> list[tuple[Any, float]]:
        # A search limited to some fields reads each column in its own language.
        return [
            (SearchVector(lookup, config=field_config(lookup)), field.boost)
            for lookup, field in self.search_fields.items()
        ]


class BilingualPostgresSearchBackend(PostgresSearchBackend):
    """Wagtail's PostgreSQL backend with per-field languages (see the module's docstring)."""

    query_compiler_class = BilingualPostgresSearchQueryCompiler
    index_class = BilingualPostgresIndex
