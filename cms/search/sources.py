"""What the site search looks through: the sources apps register, and the hits it shows.

Each app registers its kinds of thing for the ``SEARCH_SOURCES`` hook
(``onboarding.hooks``)::

    @hooks.register(SEARCH_SOURCES)
    def search_sources():
        return [SearchSource(key="event", name=_("Event"), plural=_("Events"),
                             model=EventPage, order=30)]

A source is a page type (the search itself keeps to live pages that anyone
may see) or a model indexed with ``wagtail.search.index.Indexed``. Either
way the model's ``search_fields`` name each language's column on its own
(``SearchField("title_nb")``, ``SearchField("title_en")``): the search
backend reads the suffix to choose the language's text-search
configuration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet
    from django_stubs_ext import StrOrPromise


class SourceAlreadyRegistered(Exception):
    """Two registrations claim the same source key."""


@dataclass(frozen=True)
class SearchHit:
    """One result as the results page shows it."""

    title: str
    url: str
    summary: str = ""
    # The languages the thing exists in: ("nb", "en"), or the one it is written in.
    languages: tuple[str, ...] = ("nb", "en")
    # A short fact shown beside the type ("Past event", a date, a city).
    note: str = ""


@dataclass(frozen=True)
class SearchSource:
    """One kind of thing the search finds.

    ``key`` is stable (the ``type`` filter in the URL); ``name`` labels each
    hit ("Event"), ``plural`` the filter ("Events"). ``queryset`` narrows the
    model to what anyone may find (published terms, say); pages need none, as
    the search keeps to live, public pages itself. ``hit`` describes one
    object for the results page; pages get theirs from the title, the
    introduction or search description, and ``single_language`` (a page
    source may give ``hit`` too, to add a ``note``). ``hit`` must not query
    the database: whatever it reads comes with ``queryset`` (``select_related``),
    so that a page of results costs the same number of queries whatever its
    length. ``order`` places the source in the filter list.
    """

    key: str
    name: StrOrPromise
    plural: StrOrPromise
    model: type[Model]
    order: int = 100
    queryset: Callable[[], QuerySet[Any]] | None = None
    hit: Callable[[Any], SearchHit] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
