"""Views of the site itself: search and the error pages."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from .search.errors import SearchError
from .search.selectors import MAX_QUERY_LENGTH
from .selectors import site_search

RESULTS_PER_PAGE = 10
# The type filter takes at most this many keys (there are fewer sources).
MAX_TYPES = 20


@require_GET
def search(request):
    """The site search: ``q`` (the words), ``type`` (source keys, repeatable), ``page``."""
    raw = request.GET.get("q", "")
    types = request.GET.getlist("type")[:MAX_TYPES]
    error = ""
    outcome = None
    try:
        outcome = site_search(
            query=raw, language=get_language() or "nb", types=types, request=request
        )
    except SearchError as refusal:
        error = refusal.message
    results = outcome.results if outcome is not None else []
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "cms/search.html",
        {
            "query": outcome.query if outcome is not None else raw[: MAX_QUERY_LENGTH * 10],
            "outcome": outcome,
            "results": page,
            "error": error,
            "filtered": bool(outcome and any(t.selected for t in outcome.types)),
            "max_length": MAX_QUERY_LENGTH,
        },
        status=400 if error else 200,
    )


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
