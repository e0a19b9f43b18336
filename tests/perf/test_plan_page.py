"""The arrival plan page under load, against a plain information page in the same run.

Run with ``make bench``. The servers are set up as in production (see docs/deploy.md):
pages through gunicorn WSGI workers (gthread), PostgreSQL with the connection pool, Redis
for the cache, the production settings (plain HTTP here). A student whose plan merges
three checklists with 40 items (a third ticked, some overdue) asks for their plan from
``CLIENTS`` keep-alive connections; then, on the same server, the same number of requests
go to a plain information page as the same student (the baseline: the same server,
middleware and session, no page cache), and to that page anonymously (from the page cache)
for context.

Reported: requests per second and p95 latency of each, and the plan page's share of the
baseline's throughput. ``PLAN_BENCH_DATABASE_URL`` names the benchmark's own PostgreSQL
database (default postgres://postgres@127.0.0.1:5432/velk_bench_arrival_plan),
``PLAN_BENCH_REDIS_URL`` its Redis (default redis://127.0.0.1:6379/8).
"""

import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.bench

REQUESTS = int(os.environ.get("PLAN_BENCH_REQUESTS", "400"))
CLIENTS = int(os.environ.get("PLAN_BENCH_CLIENTS", "16"))
WARMUP = 50


def _harness():
    """The signup rush's server and client helpers (gunicorn as in production, keep-alive)."""
    try:
        from tests.perf import test_signup_rush
    except ImportError as error:
        pytest.skip(f"the benchmark harness is missing: {error}")
    return test_signup_rush


def _environment(static_root):
    harness = _harness()
    os.environ.setdefault(
        "SIGNUP_RUSH_DATABASE_URL",
        os.environ.get(
            "PLAN_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/velk_bench_arrival_plan"
        ),
    )
    os.environ.setdefault(
        "SIGNUP_RUSH_REDIS_URL", os.environ.get("PLAN_BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
    )
    return harness._environment(static_root)


@contextlib.contextmanager
def _log_on_failure(log):
    try:
        yield
    except Exception:
        print(log.read_text()[-3000:])
        raise


def _measure(port, path, headers, count):
    """``count`` GETs of ``path`` from CLIENTS threads; returns (requests per second, p95 ms)."""
    harness = _harness()
    latencies, errors = [], []
    lock = threading.Lock()
    remaining = iter(range(count))
    start = threading.Barrier(CLIENTS + 1)

    def run():
        client = harness.Client(port)
        start.wait()
        while True:
            with lock:
                job = next(remaining, None)
            if job is None:
                break
            began = time.perf_counter()
            status, _headers, _body = client.request("GET", path, headers=headers)
            took = time.perf_counter() - began
            with lock:
                latencies.append(took)
                if status != 200:
                    errors.append(status)
        client.close()

    threads = [threading.Thread(target=run) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    assert not errors, f"{len(errors)} failed requests to {path}: {errors[:5]}"
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000
    return count / seconds, p95


def test_plan_page_against_an_information_page():
    harness = _harness()
    with tempfile.TemporaryDirectory() as static_root:
        env = _environment(static_root)
        harness._manage(env, "migrate", "--noinput")
        harness._manage(env, "update_translation_fields")
        harness._manage(env, "collectstatic", "--noinput")
        out = Path(static_root) / "plan.json"
        subprocess.run(
            [sys.executable, "-m", "tests.perf.plan_page_data", str(out)],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
        )
        data = json.loads(out.read_text())
        log = Path(static_root) / "gunicorn.log"
        with harness._gunicorn(env, log) as port, _log_on_failure(log):
            student = {"Cookie": f"sessionid={data['session']}"}
            _measure(port, data["plan"], student, WARMUP)
            _measure(port, data["information"], student, WARMUP)
            plan_rps, plan_p95 = _measure(port, data["plan"], student, REQUESTS)
            page_rps, page_p95 = _measure(port, data["information"], student, REQUESTS)
            anon_rps, anon_p95 = _measure(port, data["information"], {}, REQUESTS)
    ratio = plan_rps / page_rps
    print(
        f"\nPlan page (40 items), gunicorn {harness.WORKERS}x{harness.THREADS} gthread, "
        f"{CLIENTS} clients, {REQUESTS} requests each:\n"
        f"  plan page, logged in          {plan_rps:8.1f} req/s   p95 {plan_p95:7.1f} ms\n"
        f"  information page, logged in   {page_rps:8.1f} req/s   p95 {page_p95:7.1f} ms\n"
        f"  information page, anonymous   {anon_rps:8.1f} req/s   p95 {anon_p95:7.1f} ms"
        " (served from the page cache)\n"
        f"  plan / information throughput (both logged in): {ratio:.2f}"
    )
