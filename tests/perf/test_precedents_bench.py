"""Searching earlier decisions over 50,000 of them, against a plain information page in the
same run.

Run with ``make bench``. The server is set up as in production (see docs/deploy.md): pages
through gunicorn WSGI workers (gthread), PostgreSQL with the connection pool and the trigram
index of migration approvals 0002, Redis for the cache, the production settings (plain HTTP
here). 50,000 decisions at 200 partners are written straight to the tables
(``precedents_bench_data.py``). From ``CLIENTS`` keep-alive connections, a signed-in student
runs each typical search (no filter, a common word, a course code, two words with the expired
left out, a partner, a partner and a subject area, one of our course codes, the picker's
JSON); then, on the same server, the same number of requests go to a plain information page
as the same student: the baseline (the same server, middleware and session, rendered for each
request, no page cache).

Reported: requests per second and p95 latency of each search and of the baseline, and each
search's share of the baseline's throughput. ``PRECEDENT_BENCH_DATABASE_URL`` names the
benchmark's own PostgreSQL database (made if missing; default
postgres://postgres@127.0.0.1:5432/velk_bench_precedents), ``PRECEDENT_BENCH_REDIS_URL`` its
Redis (default redis://127.0.0.1:6379/9); ``PRECEDENT_BENCH_DECISIONS``,
``PRECEDENT_BENCH_REQUESTS`` and ``PRECEDENT_BENCH_CLIENTS`` change the size.
"""

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

DECISIONS = int(os.environ.get("PRECEDENT_BENCH_DECISIONS", "50000"))
REQUESTS = int(os.environ.get("PRECEDENT_BENCH_REQUESTS", "300"))
CLIENTS = int(os.environ.get("PRECEDENT_BENCH_CLIENTS", "16"))
WARMUP = 40


def _harness():
    """The signup rush's server and client helpers (gunicorn as in production, keep-alive)."""
    try:
        from tests.perf import test_signup_rush
    except ImportError as error:
        pytest.skip(f"the benchmark harness is missing: {error}")
    return test_signup_rush


def _environment(static_root, monkeypatch):
    """The harness's server environment on this benchmark's own database and Redis (set for
    this test only: the other benchmarks of the same run keep theirs)."""
    harness = _harness()
    monkeypatch.setenv(
        "SIGNUP_RUSH_DATABASE_URL",
        os.environ.get(
            "PRECEDENT_BENCH_DATABASE_URL",
            "postgres://postgres@127.0.0.1:5432/velk_bench_precedents",
        ),
    )
    monkeypatch.setenv(
        "SIGNUP_RUSH_REDIS_URL",
        os.environ.get("PRECEDENT_BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
    )
    return harness._environment(static_root)


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
    return count / seconds, statistics.quantiles(latencies, n=20)[-1] * 1000


def searches_against_information_page(env, static_root, data_command, requests):
    """Prepare the benchmark's database, run ``data_command`` (a data module and its arguments:
    it writes the session, the information page and the searches to the JSON file given last),
    serve it with gunicorn and measure each search, the information page (the baseline) and
    the first search anonymously. Returns (data, results by name, baseline, anonymous, set-up
    seconds); each measure is (requests per second, p95 ms)."""
    harness = _harness()
    began = time.perf_counter()
    harness._manage(env, "migrate", "--noinput")
    harness._manage(env, "update_translation_fields")
    harness._manage(env, "collectstatic", "--noinput")
    out = Path(static_root) / "bench.json"
    module, *arguments = data_command
    subprocess.run(
        [sys.executable, "-m", module, str(out), *map(str, arguments)],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
    )
    prepared = time.perf_counter() - began
    data = json.loads(out.read_text())
    log = Path(static_root) / "gunicorn.log"
    with harness._gunicorn(env, log) as port:
        student = {"Cookie": f"sessionid={data['session']}"}
        try:
            _measure(port, data["information"], student, WARMUP)
            for path in data["searches"].values():
                _measure(port, path, student, WARMUP)
            results = {
                name: _measure(port, path, student, requests)
                for name, path in data["searches"].items()
            }
            baseline = _measure(port, data["information"], student, requests)
            anonymous = _measure(port, next(iter(data["searches"].values())), {}, requests)
        except Exception:
            print(log.read_text()[-3000:])
            raise
    return data, results, baseline, anonymous, prepared


def report(heading, results, baseline, anonymous, anonymous_name):
    """The figures as lines: each search's rate, p95 and share of the baseline's rate."""
    base_rps, base_p95 = baseline
    lines = [heading]
    for name, (rps, p95) in results.items():
        lines.append(
            f"  {name:34} {rps:7.1f} req/s   p95 {p95:7.1f} ms   {rps / base_rps:5.2f} of baseline"
        )
    lines.append(
        f"  {'information page (baseline)':34} {base_rps:7.1f} req/s   p95 {base_p95:7.1f} ms"
    )
    lines.append(
        f"  {anonymous_name:34} {anonymous[0]:7.1f} req/s   p95 {anonymous[1]:7.1f} ms"
        f"   {anonymous[0] / base_rps:5.2f} of baseline"
    )
    return "\n".join(lines)


def test_precedent_search_against_an_information_page(monkeypatch):
    harness = _harness()
    with tempfile.TemporaryDirectory() as static_root:
        env = _environment(static_root, monkeypatch)
        data, results, baseline, anonymous, prepared = searches_against_information_page(
            env, static_root, ("tests.perf.precedents_bench_data", DECISIONS), REQUESTS
        )
    heading = (
        f"\nPrecedent search over {data['decisions']:,} decisions, gunicorn "
        f"{harness.WORKERS}x{harness.THREADS} gthread, {CLIENTS} clients, {REQUESTS} requests "
        f"each (set-up {prepared:.0f} s); signed in:"
    )
    print(report(heading, results, baseline, anonymous, "no filter, anonymous"))
