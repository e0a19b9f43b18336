"""Reads of site content."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname
from wagtail.models import Page

from .models import InformationPage

if TYPE_CHECKING:
    from wagtail.query import PageQuerySet


def page_search(*, query: str) -> PageQuerySet:
    """Live information pages whose title or introduction in the reader's language holds ``query``.

    Both languages' columns are searched, the reader's first, so that a
    Norwegian word typed on the English site still finds its page.
    """
    language = get_language() or "nb"
    condition = Q()
    for code in (language, "nb" if language == "en" else "en"):
        condition |= Q(**{f"{build_localized_fieldname('title', code)}__icontains": query})
        condition |= Q(**{f"{build_localized_fieldname('intro', code)}__icontains": query})
    ids = InformationPage.objects.live().public().filter(condition).values("pk")
    return Page.objects.filter(pk__in=ids).specific().order_by("path")
