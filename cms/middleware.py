"""Request handling of the site: the language cookie and the page caches (anonymous readers,
and signed-in readers with their own account menu put in)."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import translation

from .account_menu import MENU_END, MENU_START, account_menu_render, reader_header_of


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


def page_key(kind, request):
    """A page cache's key for ``request``: the generation, and the host and full path (with
    the language prefix and any query string) hashed, so that a path of any length (anyone
    can write one) makes a key of one length, as every cache backend takes."""
    address = f"{request.get_host()}:{request.get_full_path()}"
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()
    return f"{kind}:{page_cache_generation(request)}:{digest}"


def page_cache_clear():
    """Forget every cached page at once (a new generation; old entries expire by themselves).

    Again once the transaction commits: a reader in another process who cached what the
    database still held between the two (the page before its publishing, the sections
    before a new restriction) is not kept to it.
    """
    generation_bump(PAGE_CACHE_GENERATION_KEY)
    transaction.on_commit(lambda: generation_bump(PAGE_CACHE_GENERATION_KEY))


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
        return page_key("pagecache", request)

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


READER_CACHE_HEADERS_KEPT = ("Content-Type", "Content-Language", "X-Page-Cache")


class ReaderPageCacheMiddleware:
    """Pages for signed-in readers from the cache, with the reader's own menu put in.

    A page marked ``cache_readers`` on its model (its content the same for every signed-in
    reader: the information and home pages) is stored once per page cache generation, host
    and full path, with the header's account menu cut out (``cms.account_menu``); each
    reader gets the stored page with their own menu rendered into it: their name, unread
    notifications and logout form with their CSRF token. The page, its route, the site's
    navigation and the template around the menu are not read again.

    Only GET and HEAD, never with a pending message, never for someone who may open the
    admin (their pages carry Wagtail's user bar, and the admin's links differ), and never
    a page with a view restriction (a group's page must not reach others through the
    cache): the page decides that when it is served. A stored page holds no CSRF token:
    a page whose token sits outside the menu is not stored. Purged with the anonymous
    page cache (the same generation: publishing, moving, deleting, a new restriction).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._may_use_cache(request):
            return self.get_response(request)
        key = self._key(request)
        stored = cache.get(key)
        if stored is not None and self._is_plain_reader(request):
            return self._response(request, stored)
        # A page that may be stored marks its menu (cms.models, cms.account_menu); no other
        # response carries the marks, so no other is read again here.
        request._reader_page_candidate = True
        response = self.get_response(request)
        request._reader_page_candidate = request._account_menu_marked = False
        return self._store(request, response, key)

    @staticmethod
    def _may_use_cache(request):
        return (
            request.method in ("GET", "HEAD")
            and translation.get_language_from_path(request.path_info) is not None
            and request.user.is_authenticated
            and not getattr(request, "_messages", None)
        )

    @staticmethod
    def _is_plain_reader(request):
        """Not someone who may open the admin (the header's query, read once per request)."""
        reader = reader_header_of(request)
        return reader is not None and not reader.may_open_admin

    @staticmethod
    def _key(request):
        return page_key("readerpage", request)

    @staticmethod
    def _response(request, stored):
        content, headers = stored
        menu = account_menu_render(request)
        response = HttpResponse(content.replace(MENU_START, menu, 1))
        for name, value in headers:
            response[name] = value
        response["X-Page-Cache"] = "reader-hit"
        return response

    def _store(self, request, response, key):
        """Store the page without its menu when it may be; the markers never leave."""
        if (
            response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
            or MENU_START.encode() not in response.content
        ):
            return response  # a file, JSON, a calendar: no menu in it, left as it is
        content = response.content.decode(response.charset)
        start, end = content.find(MENU_START), content.find(MENU_END)
        if start == -1 or end < start:
            return response
        menu = content[start + len(MENU_START) : end]
        page = content[:start] + MENU_START + content[end + len(MENU_END) :]
        response.content = content[:start] + menu + content[end + len(MENU_END) :]
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        if (
            getattr(response, "cache_readers", False)
            and response.status_code == 200
            and self._is_plain_reader(request)
            and not response.cookies
            and not getattr(request, "_messages", None)
            and page.count(MENU_START) == 1
            and MENU_END not in page
            and "csrfmiddlewaretoken" not in page
        ):
            headers = [
                (name, value)
                for name, value in response.items()
                if name in READER_CACHE_HEADERS_KEPT
            ]
            cache.set(key, (page, headers), PAGE_CACHE_TIMEOUT)
            response["X-Page-Cache"] = "reader-miss"
        return response
