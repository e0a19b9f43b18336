"""What the apps registered: the search's sources and synonyms (hooks in ``onboarding.hooks``)."""

from __future__ import annotations

from wagtail import hooks

from onboarding.hooks import SEARCH_SOURCES, SEARCH_SYNONYMS

from .sources import SearchSource, SourceAlreadyRegistered

# At most this many synonyms widen one search (each is one more OR in the query).
MAX_SYNONYMS = 12


def search_sources() -> list[SearchSource]:
    """Every registered source, in filter order; raises ``SourceAlreadyRegistered`` on a key twice."""
    sources: dict[str, SearchSource] = {}
    for provider in hooks.get_hooks(SEARCH_SOURCES):
        for source in provider():
            if source.key in sources:
                raise SourceAlreadyRegistered(f"Search source {source.key!r} is registered twice.")
            sources[source.key] = source
    return sorted(sources.values(), key=lambda source: (source.order, source.key))


def search_synonyms(*, query: str, language: str) -> list[str]:
    """Other words for ``query`` from every provider, without repeats or the query itself."""
    seen = {query.casefold()}
    found: list[str] = []
    for provider in hooks.get_hooks(SEARCH_SYNONYMS):
        for word in provider(query=query, language=language):
            word = " ".join(str(word).split())
            if word and word.casefold() not in seen:
                seen.add(word.casefold())
                found.append(word)
    return found[:MAX_SYNONYMS]
