"""A liveness check: ``GET /health/`` answers ``ok`` without touching the database.

The proxy or a load balancer in front of several app processes asks it to know
that a process answers (docs/deploy.md). It goes through the whole middleware
stack like every other request, so it is also the benchmarks' *bare view*: the
fixed cost of any request on this site before a page is rendered, measured on the
same server in the same run, and every figure in docs/performance.md is a ratio
to it.
"""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def live(request: HttpRequest) -> HttpResponse:
    """``ok``, as plain text; never cached by a proxy or the browser."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
