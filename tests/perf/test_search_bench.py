"""The site search over 5,000 pages and 2,000 glossary terms on PostgreSQL, against a plain
information page on the same server in the same run.

Run with ``make bench``. The server is set up as in production (docs/deploy.md): pages through
gunicorn WSGI workers (gthread), PostgreSQL with its per-language text-search configurations
(``cms.search.postgres``), Redis for the cache, the production settings (plain HTTP here).
The pages and terms are made through the models and the glossary's service, and indexed as
the demo is (``search_bench_data.py``). From ``CLIENTS`` keep-alive connections, a signed-in
student runs each typical search (an inflected Norwegian word, two words, an English word, a
rare pair, a glossary synonym across the languages, one type only, a later page of results);
then, on the same server, the same number of requests go to a plain information page as the
same student: the baseline (the same server, middleware and session, rendered for each
request, no page cache). Then the first search again, anonymously.

Reported: requests per second and p95 latency of each search and of the baseline, and each
search's share of the baseline's throughput. ``SEARCH_BENCH_DATABASE_URL`` names the
benchmark's own PostgreSQL database (made if missing; default
postgres://postgres@127.0.0.1:5432/velk_bench_search), ``SEARCH_BENCH_REDIS_URL`` its Redis
(default redis://127.0.0.1:6379/12); ``SEARCH_BENCH_PAGES``, ``SEARCH_BENCH_TERMS``,
``SEARCH_BENCH_REQUESTS`` and ``SEARCH_BENCH_CLIENTS`` change the size.
"""

import os
import tempfile

import pytest

from tests.perf.test_precedents_bench import (
    _harness,
    report,
    searches_against_information_page,
)

pytestmark = pytest.mark.bench

PAGES = int(os.environ.get("SEARCH_BENCH_PAGES", "5000"))
TERMS = int(os.environ.get("SEARCH_BENCH_TERMS", "2000"))
REQUESTS = int(os.environ.get("SEARCH_BENCH_REQUESTS", "300"))


def _environment(static_root, monkeypatch):
    """The harness's server environment on this benchmark's own database and Redis."""
    harness = _harness()
    monkeypatch.setenv(
        "SIGNUP_RUSH_DATABASE_URL",
        os.environ.get(
            "SEARCH_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/velk_bench_search"
        ),
    )
    monkeypatch.setenv(
        "SIGNUP_RUSH_REDIS_URL",
        os.environ.get("SEARCH_BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
    )
    return harness._environment(static_root)


def test_site_search_against_an_information_page(monkeypatch):
    harness = _harness()
    with tempfile.TemporaryDirectory() as static_root:
        env = _environment(static_root, monkeypatch)
        data, results, baseline, anonymous, prepared = searches_against_information_page(
            env, static_root, ("tests.perf.search_bench_data", PAGES, TERMS), REQUESTS
        )
    heading = (
        f"\nSite search over {data['pages']:,} pages and {data['terms']:,} terms "
        f"({data['indexed']:,} index entries), gunicorn {harness.WORKERS}x{harness.THREADS} "
        f"gthread, {REQUESTS} requests each (set-up {prepared:.0f} s); signed in:"
    )
    print(report(heading, results, baseline, anonymous, "first search, anonymous"))
