"""Parts of pages that are the same for everyone who reads them in a language, cached.

A signed-in reader's page is rendered per request (the anonymous page cache
in cms.middleware never serves them), but most of it is the same for every
reader: the page body, the main navigation, the footer, an event's or a
course's facts. Those parts are cached here, through Django's cache API only
(local memory in development and tests, Redis in production), and only the
reader's own parts (the notification badge, the signup panel, ticks) are
rendered per request.

A key holds the part's name, the language, the host, the generations it
depends on and what it varies on (``fragment_key``), so a part is never
shown in the other language or for another site. Purging is by generation:
``pages`` is the anonymous page cache's counter (bumped when any page is
published, unpublished, moved or deleted, or a site setting is saved; see
cms.signal_handlers), and each kind of part may have its own counter that
the writes which change it bump with ``fragment_purge`` (a checklist edit
bumps ``checklists``). Old entries are never deleted; they expire after
``FRAGMENT_TIMEOUT``.

What must never be in a shared part: anything about the reader (their name,
badge, signup, ticks, permissions) and any form with a CSRF token. The
``sharedpart`` template tag refuses to store a part that contains one.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.utils import translation

from .middleware import generation_bump, generation_read, page_cache_generation

if TYPE_CHECKING:
    from django.http import HttpRequest

logger = logging.getLogger(__name__)

FRAGMENT_TIMEOUT = 600
# The name a rendered form's CSRF token takes: a part that holds one is personal.
CSRF_FIELD = "csrfmiddlewaretoken"


def _generation_key(name: str) -> str:
    return f"fragment:generation:{name}"


def fragment_generation(name: str, request: HttpRequest | None = None) -> int:
    """The current generation of the parts called ``name`` (``pages``: the page cache's)."""
    if name == "pages":
        return int(page_cache_generation(request))
    return int(generation_read(_generation_key(name)))


def fragment_purge(name: str) -> None:
    """Forget every cached part that depends on ``name``: its generation moves on."""
    if name == "pages":
        from .middleware import page_cache_clear

        page_cache_clear()
        return
    generation_bump(_generation_key(name))


def _generations(names: tuple[str, ...], request: HttpRequest | None) -> tuple[int, ...]:
    """The generations of ``names``, read once per request (a request sees one state)."""
    seen: dict[str, int] = getattr(request, "_fragment_generations", None) or {}
    values = []
    for name in names:
        if name not in seen:
            seen[name] = fragment_generation(name, request)
        values.append(seen[name])
    if request is not None:
        request._fragment_generations = seen  # type: ignore[attr-defined]
    return tuple(values)


def fragment_key(
    part: str,
    *vary: object,
    request: HttpRequest | None = None,
    depends_on: tuple[str, ...] = ("pages",),
) -> str:
    """The cache key of ``part`` for the active language, ``request``'s host and ``vary``."""
    language = translation.get_language() or "-"
    host = request.get_host() if request is not None else "-"
    generations = ".".join(str(g) for g in _generations(depends_on, request))
    identity = "\x1f".join([host, *(str(value) for value in vary)])
    digest = hashlib.sha256(identity.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return f"fragment:{part}:{language}:{'.'.join(depends_on)}={generations}:{digest}"


def fragment_get_or_build[T](
    part: str,
    *vary: object,
    build: Callable[[], T],
    request: HttpRequest | None = None,
    depends_on: tuple[str, ...] = ("pages",),
) -> T:
    """The cached value of ``part``, or ``build()``'s result, stored for the next reader.

    For data that is the same for everyone in a language (a list of links, a
    checklist's items); never pass anything built from the reader.
    """
    key = fragment_key(part, *vary, request=request, depends_on=depends_on)
    value: Any = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, FRAGMENT_TIMEOUT)
    return value
