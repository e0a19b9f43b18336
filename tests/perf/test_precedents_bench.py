"""Searching earlier decisions over 50,000 of them, against a plain information page in the
same run.

Run with ``make bench``. The server is set up as in production (see docs/deploy.md): pages
through gunicorn WSGI workers (gthread), PostgreSQL with the connection pool and the trigram
index of migration approvals 0002, Redis for the cache, the production settings (plain HTTP
here). 50,000 decisions at 200 partners are written straight to the tables
(``precedents_bench_data.py``). From ``CLIENTS`` keep-alive connections, a signed-in student
runs each typical search (no filter, a common word, a course code, two words with the expired
left out, a partner, a partner and a subject area, one of our course codes, the picker's
JSON), with ``wrk`` (one thread); then, on the same server, a plain information page as the
same student (rendered for each request, no page cache), and the first search anonymously.

Reported: requests per second and p95 latency of each, as ratios to the bare view
(``GET /health/``) measured before and after on the same server (tests/perf/loadgen.py). ``PRECEDENT_BENCH_DATABASE_URL`` names the
benchmark's own PostgreSQL database (made if missing; default
postgres://postgres@127.0.0.1:5432/velk_bench_precedents), ``PRECEDENT_BENCH_REDIS_URL`` its
Redis (default redis://127.0.0.1:6379/9); ``PRECEDENT_BENCH_DECISIONS``,
``PRECEDENT_BENCH_SECONDS`` (per search) and ``PRECEDENT_BENCH_CLIENTS`` change the size.
"""

import json
import os
import time
from pathlib import Path

import pytest

from tests.perf import loadgen
from tests.perf.loadgen import Figure, Request

pytestmark = pytest.mark.bench

DECISIONS = int(os.environ.get("PRECEDENT_BENCH_DECISIONS", "50000"))
SECONDS = float(os.environ.get("PRECEDENT_BENCH_SECONDS", "4"))
CLIENTS = int(os.environ.get("PRECEDENT_BENCH_CLIENTS", "16"))


def searches_against_the_bare_view(
    tmp_path, *, database, redis, data_module, arguments, title, reproduce, seconds=SECONDS
):
    """Prepare the benchmark's database (named by the ``database`` and ``redis`` pairs of
    environment variable and default), run ``data_module`` (it writes the session, the
    information page and the searches to the JSON file given first), serve it with gunicorn
    and measure each search, the information page logged in and the first search anonymously
    against the bare view; print the report and fail on any error answer."""
    with loadgen.static_root() as static_root:
        env = loadgen.environment(
            static_root,
            database=loadgen.database_url(*database),
            redis=loadgen.redis_url(*redis),
        )
        began = time.perf_counter()
        loadgen.prepare(env)
        out = tmp_path / "bench.json"
        loadgen.run_data(env, data_module, str(out), *map(str, arguments))
        prepared = time.perf_counter() - began
        data = json.loads(out.read_text())
        student = loadgen.session_cookie(data["session"])
        cases = {
            **{name: Request("GET", path, student) for name, path in data["searches"].items()},
            "information page, logged in (reader page cache)": Request(
                "GET", data["information"], student
            ),
            "first search, anonymous": Request("GET", next(iter(data["searches"].values()))),
        }
        with loadgen.gunicorn(env, tmp_path / "gunicorn.log") as port:
            for name, request in cases.items():
                loadgen.wrk(port, [request], label=name, connections=CLIENTS, seconds=1)
            bare = [loadgen.bare_view(port)]
            runs = {
                name: loadgen.wrk(port, [request], label=name, connections=CLIENTS, seconds=seconds)
                for name, request in cases.items()
            }
            bare.append(loadgen.bare_view(port))
    loadgen.report(
        title(data) + f" (set-up {prepared:.0f} s; {CLIENTS} connections, {seconds:g} s each)",
        loadgen.bare_best(bare),
        [
            Figure(name, per_second=run.per_second, p95=run.p95, command=run.command)
            for name, run in runs.items()
        ],
        reproduce,
    )
    errors = {name: run.statuses for name, run in runs.items() if run.errors}
    assert not errors, errors


def test_precedent_search_against_the_bare_view(tmp_path: Path):
    searches_against_the_bare_view(
        tmp_path,
        database=("PRECEDENT_BENCH_DATABASE_URL", "velk_bench_precedents"),
        redis=("PRECEDENT_BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
        data_module="precedents_bench_data",
        arguments=[DECISIONS],
        title=lambda data: (
            f"Precedent search over {data['decisions']:,} decisions, gunicorn"
            f" {loadgen.WORKERS}x{loadgen.THREADS} gthread; signed in"
        ),
        reproduce=loadgen.pytest_command("tests/perf/test_precedents_bench.py"),
    )
