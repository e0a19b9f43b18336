"""Where a form may send a person next: a path on this site, never another site or a URL name.

``next`` comes from the request, so anyone can write it. Django's
``url_has_allowed_host_and_scheme`` accepts any relative reference (``abc``,
``?x``), and ``redirect()`` treats a string without ``/`` or ``.`` as a URL name
and fails with ``NoReverseMatch`` after the action is done. Only an absolute
path on this site is followed: one leading ``/`` (not ``//`` or ``/\\``, which
browsers read as another host).
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import register_converter
from django.utils.http import url_has_allowed_host_and_scheme


def local_path(candidate: str | None, request: HttpRequest) -> str:
    """``candidate`` when it is a path on this site, else ``""``."""
    if not candidate or not candidate.startswith("/") or candidate[1:2] in ("/", "\\"):
        return ""
    if not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return candidate


def next_path(request: HttpRequest) -> str:
    """The request's ``next`` (POST first, then the query string) when it is a path on this site."""
    return local_path(request.POST.get("next") or request.GET.get("next"), request)


def redirect_next(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """Redirect to the request's ``next`` when it is a path on this site, else to ``fallback``."""
    return HttpResponseRedirect(next_path(request) or fallback)


ID_PATTERN = re.compile(r"[0-9]{1,18}")


def parse_id(value: object) -> int | None:
    """A row id given in a form (``"42"``), or None when it is not one: not digits, or too long
    for the database's 64-bit integers."""
    if isinstance(value, str) and ID_PATTERN.fullmatch(value):
        return int(value)
    return None


class IdConverter:
    """``<id:name>``: a row's id in a URL, at most 18 digits, so it always fits the database's
    64-bit integers (a longer number is a 404, not a server error on SQLite)."""

    regex = ID_PATTERN.pattern

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(value)


register_converter(IdConverter, "id")
