"""The header's account menu: the one part of a page that is the reader's own.

Rendered by ``{% account_menu %}`` in the header, and on its own by the reader page cache
(``cms.middleware.ReaderPageCacheMiddleware``), which keeps the rest of a signed-in page and
puts a freshly rendered menu in its place: both go through ``account_menu_render``, so a page
from the cache and a page rendered in full show the same menu.
"""

import hashlib
import logging

from django.core.cache import cache
from django.db import DatabaseError
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .selectors import ReaderHeader, reader_header_get

logger = logging.getLogger(__name__)

ACCOUNT_MENU_TEMPLATE = "includes/account_menu.html"
# Around the menu in a page the reader page cache is about to store; never sent to a browser.
MENU_START = "<!--velkommen:account-menu-->"
MENU_END = "<!--/velkommen:account-menu-->"
# Where the logout form's CSRF token goes in a kept menu; letters only, as a token is.
TOKEN_SLOT = "velkommenCsrfTokenSlot"  # noqa: S105 (a placeholder, not a secret)
MENU_TIMEOUT = 300


def reader_header_of(request, user=None) -> ReaderHeader | None:
    """The signed-in reader's header state (unread count, admin link), or None.

    Read once per request; the error pages render the header too, so a broken database
    gives None (the badge then counts for itself, and fails quietly).
    """
    if request is not None and hasattr(request, "_reader_header"):
        return request._reader_header
    if user is None and request is not None:
        user = getattr(request, "user", None)
    try:
        state = reader_header_get(user=user)
    except DatabaseError:
        logger.warning("Could not read the reader's header state", exc_info=True)
        state = None
    if request is not None:
        request._reader_header = state
    return state


def account_menu_render(request) -> str:
    """The account menu of ``request``'s reader, in the active language.

    A plain context, not the site's context processors: the menu needs only the reader,
    their header state and a CSRF token for the logout form. A signed-in reader's menu is
    kept (``MENU_TIMEOUT``) under everything it shows: their id, name and address, unread
    count, admin access and the language, so it needs no purge (a new count or name is a
    new key); the CSRF token is put in per request and never stored.
    """
    user = request.user
    language = translation.get_language()
    if not user.is_authenticated:
        return _menu_template().render({"request": request, "user": user, "reader": None})
    reader = reader_header_of(request, user)
    if reader is None:  # the database failed: the menu counts for itself, as before
        return _menu_template().render(
            {"request": request, "user": user, "reader": None, "csrf_token": _token(request)}
        )
    shown = (
        f"{user.pk}:{user.get_short_name()}:{user.email}:{reader.unread}:{reader.may_open_admin}"
    )
    digest = hashlib.sha256(shown.encode("utf-8", "surrogateescape")).hexdigest()
    key = f"accountmenu:{language}:{digest}"
    menu = cache.get(key)
    if menu is None:
        menu = _menu_template().render(
            {"request": request, "user": user, "reader": reader, "csrf_token": TOKEN_SLOT}
        )
        cache.set(key, str(menu), MENU_TIMEOUT)
    # The slot is letters only, and so is a token: nothing here needs escaping.
    return mark_safe(menu.replace(TOKEN_SLOT, get_token(request)))  # noqa: S308


def _menu_template():
    return get_template(ACCOUNT_MENU_TEMPLATE)


def _token(request):
    return SimpleLazyObject(lambda: get_token(request))


def account_menu_marked(request, html: str) -> str:
    """``html`` between the markers when the page may be stored by the reader page cache
    (its ``serve`` says so) and the cache is to cut the menu out."""
    if getattr(request, "_account_menu_marked", False):
        return format_html(MENU_START + "{}" + MENU_END, html)
    return html
