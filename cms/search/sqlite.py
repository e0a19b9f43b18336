"""Wagtail's SQLite search backend (development and tests), with words matched as word starts.

SQLite's full-text search has no Norwegian or English stemmer. So that a
search behaves in development roughly as it does on PostgreSQL
(``cms.search.postgres``), every word of a query (of four letters or more) also matches the words it
begins: "studentråd" finds "Studentrådet", "arrangement" finds
"arrangementene". Everything else is Wagtail's.
"""

from __future__ import annotations

from typing import Any

from wagtail.search.backends.database.sqlite.query import Lexeme, SearchQueryExpression
from wagtail.search.backends.database.sqlite.sqlite import (
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
)
from wagtail.search.query import PlainText

# Words at least this long also match the words they begin; shorter ones (abbreviations such
# as "sp" or "ISN") only themselves, or "sp" would find every "spring" and "språk".
PREFIX_MIN_LENGTH = 4


def _lexeme(term: str) -> Lexeme:
    # Inside an FTS5 string only the double quote is special: it is written twice.
    return Lexeme(term.replace('"', '""'), prefix=len(term) >= PREFIX_MIN_LENGTH)


class PrefixSQLiteSearchQueryCompiler(SQLiteSearchQueryCompiler):
    """Wagtail's compiler, with every word of a plain-text query a prefix."""

    def build_search_query_content(self, query: Any, config: Any = None) -> Any:
        if isinstance(query, PlainText):
            terms = query.query_string.split()
            if not terms:
                return None
            lexemes = _lexeme(terms[0])
            for term in terms[1:]:
                if query.operator.upper() == "AND":
                    lexemes &= _lexeme(term)
                else:
                    lexemes |= _lexeme(term)
            return SearchQueryExpression(lexemes, config=config)
        return super().build_search_query_content(query, config=config)


class PrefixSQLiteSearchBackend(SQLiteSearchBackend):
    """Wagtail's SQLite backend with ``PrefixSQLiteSearchQueryCompiler``."""

    query_compiler_class = PrefixSQLiteSearchQueryCompiler
