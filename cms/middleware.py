"""Request handling of the site: the language cookie and the anonymous page cache."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import translation


class LanguageCookieMiddleware:
    """Remembers the language of the last page read, so that / sends the reader back to it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = translation.get_language_from_path(request.path_info)
        if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
                httponly=False,
            )
        return response


PAGE_CACHE_GENERATION_KEY = "pagecache:generation"
PAGE_CACHE_TIMEOUT = 300


def generation_read(key):
    """The value of the generation counter at ``key``; 1 the first time anyone reads it."""
    generation = cache.get(key)
    if generation is None:
        cache.add(key, 1, None)
        generation = cache.get(key, 1)
    return generation


def generation_bump(key):
    """Move the generation counter at ``key`` on: whatever was keyed on it is forgotten."""
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, None)


def page_cache_generation(request=None):
    """The page cache's generation; read once per ``request``, so that the page cache, the
    remembered routes (cms.routing) and the cached parts (cms.fragments) of one request agree
    and ask the cache for it once."""
    if request is not None and hasattr(request, "_page_cache_generation"):
        return request._page_cache_generation
    generation = generation_read(PAGE_CACHE_GENERATION_KEY)
    if request is not None:
        request._page_cache_generation = generation
    return generation


def page_cache_clear():
    """Forget every cached page at once (a new generation; old entries expire by themselves)."""
    generation_bump(PAGE_CACHE_GENERATION_KEY)


class AnonymousPageCacheMiddleware:
    """Caches whole pages for anonymous readers, safely across the two languages.

    Only responses a page marked as cacheable (``cache_anonymous`` on its
    model) are stored, only for anonymous GET requests without a pending
    message, and never when the response used a CSRF token or sets a cookie of
    its own. The key is the full path, which starts with the language prefix, so
    Norwegian and English copies never mix; it is hashed, so that a query
    string of any length (anyone can write one) makes a key of one length,
    as every cache backend takes. Publishing, unpublishing, moving or
    deleting any page clears the cache (see cms.signal_handlers).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._may_use_cache(request):
            return self.get_response(request)
        key = self._key(request)
        cached = cache.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if self._may_store(request, response):
            response["X-Page-Cache"] = "miss"
            cache.set(key, response, PAGE_CACHE_TIMEOUT)
        return response

    @staticmethod
    def _may_use_cache(request):
        return (
            request.method in ("GET", "HEAD")
            and not request.user.is_authenticated
            and "messages" not in request.COOKIES
            and translation.get_language_from_path(request.path_info) is not None
        )

    @staticmethod
    def _key(request):
        address = f"{request.get_host()}:{request.get_full_path()}"
        digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()
        return f"pagecache:{page_cache_generation(request)}:{digest}"

    @staticmethod
    def _may_store(request, response):
        return (
            getattr(response, "cache_anonymous", False)
            and response.status_code == 200
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not request.META.get("CSRF_COOKIE_USED")
            and not response.cookies
            and not getattr(request, "_messages", None)
        )
