"""The site search: every registered source, both languages, the reader's first."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.query import Or, PlainText

from .errors import SearchError
from .registry import search_sources, search_synonyms
from .sources import SearchHit, SearchSource

if TYPE_CHECKING:
    from django.http import HttpRequest

LANGUAGES = ("nb", "en")
# Longer searches are refused (the field says so, and the page explains).
MAX_QUERY_LENGTH = 100
# At most this many hits of one type are read; the count says "200" then.
MAX_HITS_PER_SOURCE = 200
# Page fields that make the summary of a page hit, the first one filled.
SUMMARY_FIELDS = ("intro", "summary", "description", "search_description")
SUMMARY_WORDS = 40
# Words at least this long also match the words they begin ("studentråd" in "Studentrådet").
PREFIX_MIN_LENGTH = 4
# An object's titles in each language, besides its hit's title (for ``title_matches``).
TITLE_ATTRIBUTES = ("title_nb", "title_en", "short_name_nb", "short_name_en", "name_nb", "name_en")


@dataclass(eq=False)
class SearchResult:
    """One hit, labelled by its source and by language.

    A page's hit (its address, its summary) is described when it is first
    read: only the results on the page shown are, of the up to
    ``MAX_HITS_PER_SOURCE`` per type that are ranked.
    """

    key: str
    type_name: str
    describe: Callable[[], SearchHit] = field(repr=False)
    score: float
    # The hit's language when it exists in one only (labelled "Only in English").
    only_in: str
    # The reader's language is among the hit's.
    in_reader_language: bool
    # Every word of the query (or of a synonym) begins a word of the title.
    in_title: bool = False

    @cached_property
    def hit(self) -> SearchHit:
        return self.describe()


@dataclass(frozen=True)
class TypeCount:
    """One type in the filter: its key, label, how many hits it has, whether it is chosen."""

    key: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class SearchOutcome:
    """What one search found: the results of the chosen types, ordered, and every type's count."""

    query: str
    synonyms: list[str]
    results: list[SearchResult]
    types: list[TypeCount]
    total: int


def search_query_clean(raw: str) -> str:
    """The query as searched: control characters dropped, spaces collapsed.

    Raises ``SearchError(code="too_long")`` past ``MAX_QUERY_LENGTH`` characters.
    """
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in raw)
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchError(
            code="too_long",
            message=_("The search is too long: use at most %(max)d characters.")
            % {"max": MAX_QUERY_LENGTH},
        )
    return text


def hidden_pages_q() -> Q:
    """Pages nobody may find: in a privately restricted branch, or under an unpublished page.

    One query. A page is live on its own, but Wagtail still serves a live page
    under a draft; the search keeps the whole branch out, as the menu does.
    """
    paths = sorted(
        set(
            Page.objects.filter(
                Q(live=False, numchild__gt=0) | Q(view_restrictions__isnull=False)
            ).values_list("path", flat=True)
        )
    )
    condition = Q()
    kept: list[str] = []
    for path in paths:
        if any(path.startswith(top) for top in kept):
            continue  # inside a branch already hidden
        kept.append(path)
        condition |= Q(path__startswith=path)
    return condition


_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def title_matches(title: str, phrases: list[str]) -> bool:
    """Whether every word of one of ``phrases`` begins a word of ``title`` ("studentråd" in
    "Studentrådet AD"): such a hit is about the words, not one that mentions them."""
    title_words = _words(title)
    for phrase in phrases:
        words = _words(phrase)
        if words and all(any(_begins(t, w) for t in title_words) for w in words):
            return True
    return False


def _begins(title_word: str, word: str) -> bool:
    """A word of the search begins a word of the title; a short one (an abbreviation such as
    "sp") must be the whole word, or "sp" would find every "spring"."""
    if len(word) < PREFIX_MIN_LENGTH:
        return title_word == word
    return title_word.startswith(word)


def _titles(obj: Any, hit: SearchHit | None) -> str:
    """The hit's title and the object's titles in both languages, as one text."""
    titles = [hit.title if hit is not None else str(getattr(obj, "title", ""))]
    for name in TITLE_ATTRIBUTES:
        value = getattr(obj, name, None)
        if isinstance(value, str):
            titles.append(value)
    return " ".join(titles)


def _page_languages(page: Any) -> tuple[str, ...]:
    single = getattr(page, "single_language", "")
    return (single,) if single in LANGUAGES else LANGUAGES


def page_hit(page: Any, *, request: HttpRequest | None = None) -> SearchHit:
    """A page's hit: its title, URL, first filled summary field, and its languages."""
    summary = ""
    for name in SUMMARY_FIELDS:
        value = getattr(page, name, "")
        if isinstance(value, str) and value.strip():
            # Rich text (a course's description) is shown as its words.
            summary = html.unescape(strip_tags(value)).strip()
            break
    words = summary.split()
    if len(words) > SUMMARY_WORDS:
        summary = " ".join(words[:SUMMARY_WORDS]) + " …"
    return SearchHit(
        title=page.title,
        url=page.get_url(request=request) or "",
        summary=summary,
        languages=_page_languages(page),
    )


def _source_queryset(source: SearchSource, hidden: Q) -> Any:
    queryset: Any = (
        source.queryset() if source.queryset is not None else source.model._default_manager.all()
    )
    if issubclass(source.model, Page):
        queryset = queryset.live()
        if hidden:
            queryset = queryset.exclude(hidden)
        # Stream fields (a page's body, a meeting's agenda) are parsed for every hit read, and
        # never shown in a result: left in the database.
        streams = [f.name for f in source.model._meta.concrete_fields if isinstance(f, StreamField)]
        if streams:
            queryset = queryset.defer(*streams)
    return queryset


def _hits_of(source: SearchSource, query: Any, hidden: Q) -> list[tuple[Any, float]]:
    """(object, score) of the source's hits, best first: one query."""
    backend = get_search_backend()
    found = backend.search(query, _source_queryset(source, hidden)).annotate_score("_score")
    return [(obj, float(getattr(obj, "_score", 0) or 0)) for obj in found[:MAX_HITS_PER_SOURCE]]


def _described(hit: SearchHit) -> SearchHit:
    return hit


def _describe(source: SearchSource, obj: Any, request: HttpRequest | None) -> SearchHit:
    if source.hit is not None:
        hit = source.hit(obj)
        if issubclass(source.model, Page) and not hit.url:
            hit = SearchHit(
                title=hit.title,
                url=obj.get_url(request=request) or "",
                summary=hit.summary,
                languages=hit.languages,
                note=hit.note,
            )
        return hit
    if isinstance(obj, Page):
        return page_hit(obj, request=request)
    return SearchHit(title=str(obj), url=obj.get_absolute_url())


def site_search(
    *,
    query: str,
    language: str,
    types: list[str] | tuple[str, ...] = (),
    request: HttpRequest | None = None,
) -> SearchOutcome:
    """Look for ``query`` (or any synonym) in every source; the reader's language first.

    ``query`` is cleaned by ``search_query_clean`` (raises ``SearchError``).
    ``types`` keeps the results to those source keys (unknown keys are
    ignored; none keeps all); the counts are of every type. Results in the
    reader's language come first, then the rest; within each, hits whose
    title holds the words (``title_matches``) before the others, then by the
    backend's relevance.
    Pages are kept to live pages outside private or unpublished branches.
    The number of queries depends on the number of sources, never on the
    number of results.
    """
    text = search_query_clean(query)
    sources = search_sources()
    if not text:
        return SearchOutcome(query="", synonyms=[], results=[], types=[], total=0)

    synonyms = search_synonyms(query=text, language=language)
    search: Any = PlainText(text)
    if synonyms:
        search = Or([PlainText(text), *(PlainText(word) for word in synonyms)])

    hidden = hidden_pages_q() if any(issubclass(s.model, Page) for s in sources) else Q()
    chosen = {key for key in types if any(source.key == key for source in sources)}
    results: list[SearchResult] = []
    counts: list[TypeCount] = []
    for source in sources:
        hits = _hits_of(source, search, hidden)
        counts.append(
            TypeCount(
                key=source.key,
                label=str(source.plural),
                count=len(hits),
                selected=source.key in chosen,
            )
        )
        if chosen and source.key not in chosen:
            continue
        is_page = issubclass(source.model, Page)
        for obj, score in hits:
            describe = partial(_describe, source, obj, request)
            if is_page:
                # A page's languages and titles are its own: its hit waits until it is shown.
                languages, titles = _page_languages(obj), _titles(obj, None)
            else:
                hit = describe()
                describe = partial(_described, hit)
                languages, titles = hit.languages, _titles(obj, hit)
            results.append(
                SearchResult(
                    key=source.key,
                    type_name=str(source.name),
                    describe=describe,
                    score=score,
                    only_in=languages[0] if len(languages) == 1 else "",
                    in_reader_language=language in languages,
                    in_title=title_matches(titles, [text, *synonyms]),
                )
            )
    results.sort(
        key=lambda result: (not result.in_reader_language, not result.in_title, -result.score)
    )
    return SearchOutcome(
        query=text,
        synonyms=synonyms,
        results=results,
        types=[count for count in counts if count.count or count.selected],
        total=sum(count.count for count in counts),
    )
