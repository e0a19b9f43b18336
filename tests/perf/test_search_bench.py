"""The site search over 5,000 pages and 2,000 glossary terms on PostgreSQL, against a plain
information page on the same server in the same run.

Run with ``make bench``. The server is set up as in production (docs/deploy.md): pages through
gunicorn WSGI workers (gthread), PostgreSQL with its per-language text-search configurations
(``cms.search.postgres``), Redis for the cache, the production settings (plain HTTP here).
The pages and terms are made through the models and the glossary's service, and indexed as
the demo is (``search_bench_data.py``). With ``wrk``, a signed-in student runs each typical
search (an inflected Norwegian word, two words, an English word, a rare pair, a glossary
synonym across the languages, one type only, a later page of results); then, on the same
server, a plain information page as the same student (rendered for each request, no page
cache), and the first search again, anonymously.

Reported: requests per second and p95 latency of each, as ratios to the bare view
(``GET /health/``) measured before and after on the same server (tests/perf/loadgen.py). ``SEARCH_BENCH_DATABASE_URL`` names the
benchmark's own PostgreSQL database (made if missing; default
postgres://postgres@127.0.0.1:5432/velk_bench_search), ``SEARCH_BENCH_REDIS_URL`` its Redis
(default redis://127.0.0.1:6379/12); ``SEARCH_BENCH_PAGES``, ``SEARCH_BENCH_TERMS``,
and ``PRECEDENT_BENCH_SECONDS`` / ``PRECEDENT_BENCH_CLIENTS`` change the size.
"""

import os
from pathlib import Path

import pytest

from tests.perf import loadgen
from tests.perf.test_precedents_bench import searches_against_the_bare_view

pytestmark = pytest.mark.bench

PAGES = int(os.environ.get("SEARCH_BENCH_PAGES", "5000"))
TERMS = int(os.environ.get("SEARCH_BENCH_TERMS", "2000"))


def test_site_search_against_the_bare_view(tmp_path: Path):
    searches_against_the_bare_view(
        tmp_path,
        database=("SEARCH_BENCH_DATABASE_URL", "velk_bench_search"),
        redis=("SEARCH_BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
        data_module="search_bench_data",
        arguments=[PAGES, TERMS],
        title=lambda data: (
            f"Site search over {data['pages']:,} pages and {data['terms']:,} terms"
            f" ({data['indexed']:,} index entries), gunicorn"
            f" {loadgen.WORKERS}x{loadgen.THREADS} gthread; signed in"
        ),
        reproduce=loadgen.pytest_command("tests/perf/test_search_bench.py"),
    )
