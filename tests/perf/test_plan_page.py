"""The arrival plan page under load, against the bare view and an information page in the
same run.

Run with ``make bench``. The servers are set up as in production (see docs/deploy.md,
tests/perf/loadgen.py): gunicorn (gthread), PostgreSQL with the connection pool, Redis for the
cache, the production settings over plain HTTP; the load is ``wrk`` (one thread). A student
whose plan merges three checklists with 40 items (a third ticked, some overdue) asks for their
plan; then, on the same server, a plain information page as the same student (rendered for
each request), and that page anonymously (from the page cache).

Reported: requests per second and p95 latency of each, as ratios to the bare view
(``GET /health/``) measured before and after on the same server. ``PLAN_BENCH_DATABASE_URL``
names the benchmark's own PostgreSQL database (default
postgres://postgres@127.0.0.1:5432/velk_bench_arrival_plan), ``PLAN_BENCH_REDIS_URL`` its
Redis (default redis://127.0.0.1:6379/8), ``PLAN_BENCH_SECONDS`` and ``PLAN_BENCH_CLIENTS``
the length of each measurement and its connections.
"""

import json
import os
from pathlib import Path

import pytest

from tests.perf import loadgen
from tests.perf.loadgen import Figure, Request

pytestmark = pytest.mark.bench

SECONDS = float(os.environ.get("PLAN_BENCH_SECONDS", "8"))
CLIENTS = int(os.environ.get("PLAN_BENCH_CLIENTS", "16"))
PATH = "tests/perf/test_plan_page.py"


def test_plan_page_against_the_bare_view(tmp_path: Path):
    with loadgen.static_root() as static_root:
        env = loadgen.environment(
            static_root,
            database=loadgen.database_url("PLAN_BENCH_DATABASE_URL", "velk_bench_arrival_plan"),
            redis=loadgen.redis_url("PLAN_BENCH_REDIS_URL", "redis://127.0.0.1:6379/8"),
        )
        loadgen.prepare(env)
        out = tmp_path / "plan.json"
        loadgen.run_data(env, "plan_page_data", str(out))
        data = json.loads(out.read_text())
        student = loadgen.session_cookie(data["session"])
        cases = {
            "plan": Request("GET", data["plan"], student),
            "information": Request("GET", data["information"], student),
            "anonymous": Request("GET", data["information"]),
        }

        def measure(name, seconds=SECONDS):
            return loadgen.wrk(
                port, [cases[name]], label=name, connections=CLIENTS, seconds=seconds
            )

        with loadgen.gunicorn(env, tmp_path / "gunicorn.log") as port:
            for name in cases:
                measure(name, 1)  # warm each page
            bare = [loadgen.bare_view(port)]
            # The slow plan last: requests it leaves queued when wrk stops would weigh on the
            # case after it (the bare view after it warms up first).
            runs = {name: measure(name) for name in ("anonymous", "information", "plan")}
            bare.append(loadgen.bare_view(port))
    bare_run = loadgen.bare_best(bare)
    errors = {name: run.errors for name, run in runs.items() if run.errors}
    loadgen.report(
        f"Plan page (40 items), gunicorn {loadgen.WORKERS}x{loadgen.THREADS} gthread,"
        f" {CLIENTS} connections, {SECONDS:g} s each",
        bare_run,
        [
            Figure(
                "arrival plan, 40 items, logged in",
                per_second=runs["plan"].per_second,
                p95=runs["plan"].p95,
                minimum_ratio=0.08,
                command=runs["plan"].command,
            ),
            Figure(
                "information page, logged in (reader page cache)",
                per_second=runs["information"].per_second,
                p95=runs["information"].p95,
                minimum_ratio=0.15,
                command=runs["information"].command,
            ),
            Figure(
                "information page, anonymous (page cache)",
                per_second=runs["anonymous"].per_second,
                p95=runs["anonymous"].p95,
                minimum_ratio=0.5,
                command=runs["anonymous"].command,
            ),
        ],
        loadgen.pytest_command(PATH),
    )
    assert not errors, errors
