"""Template tags of the site chrome: the language switcher and the reader's own header state."""

import logging
from urllib.parse import urlencode, urlsplit, urlunsplit

from django import template
from django.conf import settings
from django.http import Http404
from django.template.loader import get_template
from django.urls import Resolver404, resolve, translate_url
from django.utils import translation
from wagtail.models import Site

from ..account_menu import (
    ACCOUNT_MENU_TEMPLATE,
    account_menu_marked,
    account_menu_render,
    reader_header_of,
)

logger = logging.getLogger(__name__)
register = template.Library()


@register.simple_tag(takes_context=True)
def reader_header(context):
    """The signed-in reader's header state (unread count, admin link), or None; read once
    per request (cms.account_menu.reader_header_of)."""
    return reader_header_of(context.get("request"), context.get("user"))


@register.simple_tag(takes_context=True)
def account_menu(context):
    """The header's account menu: the reader's own part of every page (cms/account_menu.py)."""
    request = context.get("request")
    if request is None:
        # A page rendered without a request (none of the site's own): the menu as it is
        # for whoever the context names, without the parts that need a request.
        return get_template(ACCOUNT_MENU_TEMPLATE).render({"user": context.get("user")})
    return account_menu_marked(request, account_menu_render(request))


SWITCH_LABELS = {"nb": "Norsk", "en": "English"}


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to the same page in each other language, keeping the query string.

    A Wagtail page links to its own translated URL (translated slugs); any
    other view goes through Django's ``translate_url``.
    """
    request = context.get("request")
    page = context.get("page")
    current = translation.get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        if code == current or request is None:
            continue
        if page is not None and hasattr(page, "get_url"):
            with translation.override(code):
                url = page.get_url(request)
        else:
            url = translate_url(request.path, code)
        if request.GET:
            query = request.GET.copy()
            if "next" in query:
                query.setlist(
                    "next", [translated_next(request, n, code) for n in query.getlist("next")]
                )
            url = f"{url}?{urlencode(query, doseq=True)}"
        links.append({"code": code, "label": SWITCH_LABELS.get(code, code), "url": url})
    return {"links": links}


def translated_next(request, next_url, code):
    """``next_url`` in language ``code``, when it is a path of this site in another language.

    The login page's ``next`` points at the page the person came from; after
    switching language they should come back to that page in the language
    they switched to. Anything else (another site, a path without a
    language, such as the admin's) is kept as it is.
    """
    parts = urlsplit(next_url)
    if parts.scheme or parts.netloc:
        return next_url
    source = translation.get_language_from_path(parts.path)
    if source is None or source == code:
        return next_url
    path = _translated_path(request, parts.path, source, code)
    return urlunsplit(("", "", path, parts.query, parts.fragment))


def _translated_path(request, path, source, code):
    with translation.override(source):
        try:
            match = resolve(path)
        except Resolver404:
            return path
        if match.url_name == "wagtail_serve":
            page = _page_at(request, match.args[0] if match.args else match.kwargs.get("path", ""))
            if page is not None:
                with translation.override(code):
                    return page.get_url(request) or path
        return translate_url(path, code)


def _page_at(request, path):
    """The page a Wagtail path (after the language prefix) shows in the active language, or None."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    components = [component for component in path.split("/") if component]
    try:
        result = site.root_page.specific.route(request, components)
    except Http404:
        return None
    # A routable page's sub-path has no translated form: keep the path as it is.
    return result.page if not result.args else None
