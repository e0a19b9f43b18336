"""Signup rush: 10,000 signup attempts from 64 concurrent clients over HTTP, on PostgreSQL.

Run with ``make bench``. The servers are set up as in production (see
docs/deploy.md): pages through gunicorn WSGI workers (4 workers, gthread),
PostgreSQL with the connection pool, Redis for cache and channel layer, the
production settings (plain HTTP here). 50 events of capacity 30, half with a
waitlist and half without; half of each half are *pooled*: they reserve 8
places for international degree students and 6 for one faculty's students, and
offer freed places from the waitlist (see signup_rush_data.py). 200 people
with student profiles (a third in each pool, a third in neither), each logged
in with their own session, each trying every event once, in random order.
Each client fetches an event page once per person to get the CSRF token, as a
browser does, then posts the real signup form (asking for JSON, as
activities.js does). After the rush, on the pooled events with a waitlist, the
first four people with a place each give it up (the places are offered to the
next in line), and everyone offered a place claims it, all at once.

Reported: overbookings and waitlist order violations (all must be 0, checked
in the database afterwards: on the plain events, and per pool on the pooled
ones), errors other than the expected "full", signups handled per second
(confirmed or waitlisted) and their p95 latency, on plain and pooled events,
the cancellations and claims per second; and, in
the same run on the same server, before and after the rush, requests per
second of a plain information page as the baseline, with the ratios: read
anonymously (served from the page cache, as production serves it) and read
logged in (rendered for each request, the fairer comparison with a signup).

``SIGNUP_RUSH_DATABASE_URL`` names the benchmark's own PostgreSQL database
(made if missing; default postgres://postgres@127.0.0.1:5432/velk_bench_signup_rush),
``SIGNUP_RUSH_REDIS_URL`` its Redis (default redis://127.0.0.1:6379/7).
``SIGNUP_RUSH_ATTEMPTS`` and ``SIGNUP_RUSH_CLIENTS`` change the size.
"""

import contextlib
import http.client
import json
import os
import queue
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings

pytestmark = pytest.mark.bench

EVENTS = 50
CAPACITY = 30
# Places given up per pooled event with a waitlist after the rush (offered to the next).
CHURN = 4
PEOPLE = 200
ATTEMPTS = int(os.environ.get("SIGNUP_RUSH_ATTEMPTS", str(EVENTS * PEOPLE)))
CLIENTS = int(os.environ.get("SIGNUP_RUSH_CLIENTS", "64"))
BASELINE_REQUESTS = 2000
LOGGED_IN_REQUESTS = 500
WORKERS = 4
THREADS = 4
SECRET_KEY = "signup-rush-benchmark-only"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/velk_bench_signup_rush"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/7"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- Servers and data ----------------------------------------------------------------------------


def _database_url():
    url = os.environ.get("SIGNUP_RUSH_DATABASE_URL", DEFAULT_DATABASE_URL)
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    try:
        import psycopg

        admin = parts._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as error:  # no PostgreSQL here
        pytest.skip(f"the signup rush needs PostgreSQL at {url}: {error}")
    return url


def _redis_url():
    url = os.environ.get("SIGNUP_RUSH_REDIS_URL", DEFAULT_REDIS_URL)
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as error:
        pytest.skip(f"the signup rush needs Redis at {url}: {error}")
    return url


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(static_root):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.perf.signup_rush_settings",
        "SIGNUP_RUSH_STATIC_ROOT": static_root,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": _redis_url(),
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DB_POOL_MAX": "8",
        "PYTHONPATH": os.pathsep.join(
            p for p in [str(settings.BASE_DIR), os.environ.get("PYTHONPATH", "")] if p
        ),
    }


def _manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _data(env, *args):
    subprocess.run(
        [sys.executable, "-m", "tests.perf.signup_rush_data", *args],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
    )


@contextlib.contextmanager
def _gunicorn(env, log_path):
    port = _free_port()
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "onboarding.wsgi:application",
                "--workers",
                str(WORKERS),
                "--worker-class",
                "gthread",
                "--threads",
                str(THREADS),
                "--bind",
                f"127.0.0.1:{port}",
                "--backlog",
                "512",
                "--log-level",
                "warning",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise RuntimeError(Path(log_path).read_text()[-3000:])
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start")
                time.sleep(0.1)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --- Clients ---------------------------------------------------------------------------------


class Client:
    """One keep-alive HTTP connection, as one browser tab would hold."""

    def __init__(self, port):
        self.port = port
        self.connection = None

    def request(self, method, path, *, body=None, headers=None):
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.connection.request(method, path, body=body, headers=headers or {})
                response = self.connection.getresponse()
                return response.status, response.getheaders(), response.read()
            except (http.client.HTTPException, ConnectionError):
                # The server closed an idle keep-alive connection: open a new one once.
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.connection is not None:
            self.connection.close()


def _cookie(headers, name):
    for key, value in headers:
        if key.lower() == "set-cookie" and value.startswith(f"{name}="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return None


def _in_parallel(clients, port, jobs, work):
    """Run ``work(client, job)`` for every job on ``clients`` threads; returns (results, seconds)."""
    pending = queue.Queue()
    for job in jobs:
        pending.put(job)
    results = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def run():
        client = Client(port)
        start.wait()
        try:
            while True:
                try:
                    job = pending.get_nowait()
                except queue.Empty:
                    return
                result = work(client, job)
                with lock:
                    results.append(result)
        finally:
            client.close()

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - began


def _p95(values):
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


@dataclass
class Outcome:
    kind: str
    seconds: float
    detail: str = ""


@dataclass
class Rush:
    outcomes: list = field(default_factory=list)
    seconds: float = 0.0

    def of(self, *kinds):
        return [o for o in self.outcomes if o.kind in kinds]


def _log_in_everyone(port, data):
    """Each person opens an event page once: their CSRF cookie and the form's token."""

    def fetch(client, index):
        session = data["sessions"][index]
        event = data["events"][index % len(data["events"])]
        status, headers, body = client.request(
            "GET", event["path"], headers={"Cookie": f"sessionid={session}"}
        )
        assert status == 200, f"event page answered {status}"
        token = CSRF_INPUT.search(body.decode())
        cookie = _cookie(headers, "csrftoken")
        assert token and cookie, "no CSRF token on the event page"
        return index, {"session": session, "csrf_cookie": cookie, "token": token.group(1)}

    results, _seconds = _in_parallel(CLIENTS, port, range(len(data["sessions"])), fetch)
    return dict(results)


def _rush(port, data, people):
    pairs = [(person, event) for person in range(len(people)) for event in data["events"]]
    random.Random(20260826).shuffle(pairs)
    pairs = pairs[:ATTEMPTS]

    def sign_up(client, pair):
        person, event = people[pair[0]], pair[1]
        body = urlencode({"csrfmiddlewaretoken": person["token"]})
        headers = {
            "Cookie": f"sessionid={person['session']}; csrftoken={person['csrf_cookie']}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        }
        began = time.perf_counter()
        try:
            status, _headers, payload = client.request(
                "POST", f"/en/events/{event['id']}/signup/", body=body, headers=headers
            )
        except Exception as error:
            return Outcome("error", time.perf_counter() - began, repr(error))
        seconds = time.perf_counter() - began
        try:
            code = json.loads(payload)["code"]
        except (ValueError, KeyError):
            return Outcome("error", seconds, f"HTTP {status}: {payload[:200]!r}")
        if status == 200 and code in ("confirmed", "waitlisted"):
            return Outcome(code, seconds, "pooled" if event["pooled"] else "plain")
        if status == 409 and code == "full" and not event["waitlist"]:
            return Outcome("full", seconds)
        return Outcome("error", seconds, f"HTTP {status}: {code}")

    outcomes, seconds = _in_parallel(CLIENTS, port, pairs, sign_up)
    return Rush(outcomes=outcomes, seconds=seconds)


def _post_each(port, people, pairs, action, expected):
    """POST ``/en/events/<id>/<action>/`` for every (event id, person index) pair at once."""

    def post(client, pair):
        event_id, index = pair
        person = people[index]
        began = time.perf_counter()
        status, _headers, payload = client.request(
            "POST",
            f"/en/events/{event_id}/{action}/",
            body=urlencode({"csrfmiddlewaretoken": person["token"]}),
            headers={
                "Cookie": f"sessionid={person['session']}; csrftoken={person['csrf_cookie']}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
        )
        seconds = time.perf_counter() - began
        try:
            code = json.loads(payload)["code"]
        except (ValueError, KeyError):
            return Outcome("error", seconds, f"HTTP {status}: {payload[:200]!r}")
        if status == 200 and code == expected:
            return Outcome("ok", seconds)
        return Outcome("error", seconds, f"{action} HTTP {status}: {code}")

    outcomes, seconds = _in_parallel(CLIENTS, port, pairs, post)
    return Rush(outcomes=outcomes, seconds=seconds)


def _listed(env, tmp_path, status):
    path = tmp_path / f"{status}.json"
    _data(env, "people", str(path), status)
    return {int(event_id): indexes for event_id, indexes in json.loads(path.read_text()).items()}


def _baseline(port, path, *, requests, people=()):
    """GET ``path`` ``requests`` times; anonymously, or as ``people`` in turn (not cached)."""

    def fetch(client, number):
        headers = {}
        if people:
            person = people[number % len(people)]
            headers["Cookie"] = f"sessionid={person['session']}; csrftoken={person['csrf_cookie']}"
        began = time.perf_counter()
        status, _headers, _body = client.request("GET", path, headers=headers)
        return Outcome("ok" if status == 200 else "error", time.perf_counter() - began, str(status))

    fetch(Client(port), 0)  # warm the page
    outcomes, seconds = _in_parallel(CLIENTS, port, range(requests), fetch)
    return Rush(outcomes=outcomes, seconds=seconds)


def _latency(outcomes):
    milliseconds = [o.seconds * 1000 for o in outcomes]
    return (
        f"{len(outcomes)}, p95 {_p95(milliseconds):.0f} ms,"
        f" median {statistics.median(milliseconds):.0f} ms"
    )


def _rate(*runs):
    return sum(len(run.of("ok")) for run in runs) / sum(run.seconds for run in runs)


@pytest.fixture
def static_root():
    with tempfile.TemporaryDirectory(prefix="velkommen-rush-static-") as folder:
        yield folder


def test_signup_rush(tmp_path, static_root):
    env = _environment(static_root)
    started = time.perf_counter()
    _manage(env, "migrate", "--noinput")
    _manage(env, "update_translation_fields")
    _manage(env, "collectstatic", "--noinput")
    data_path = tmp_path / "data.json"
    _data(env, "setup", str(data_path), str(EVENTS), str(CAPACITY), str(PEOPLE))
    data = json.loads(data_path.read_text())
    prepared = time.perf_counter() - started

    with _gunicorn(env, tmp_path / "gunicorn.log") as port:
        people_by_index = _log_in_everyone(port, data)
        people = [people_by_index[index] for index in range(len(data["sessions"]))]
        # The baselines are measured before and after the rush: on a shared
        # machine the load may change while the benchmark runs. Anonymous
        # readers get the information page from the page cache, as in
        # production; logged-in readers get it rendered.
        information = data["information_path"]
        anonymous = [_baseline(port, information, requests=BASELINE_REQUESTS)]
        logged_in = [_baseline(port, information, requests=LOGGED_IN_REQUESTS, people=people)]
        rush = _rush(port, data, people)
        # Places given up on the pooled events are offered to the next in line, who claim them.
        leaving = [
            (event_id, index)
            for event_id, indexes in _listed(env, tmp_path, "confirmed").items()
            for index in indexes[:CHURN]
        ]
        cancels = _post_each(port, people, leaving, "cancel", "cancelled")
        offered = [
            (event_id, index)
            for event_id, indexes in _listed(env, tmp_path, "offered").items()
            for index in indexes
        ]
        claims = _post_each(port, people, offered, "claim", "confirmed")
        anonymous.append(_baseline(port, information, requests=BASELINE_REQUESTS))
        logged_in.append(_baseline(port, information, requests=LOGGED_IN_REQUESTS, people=people))

    verify_path = tmp_path / "verify.json"
    _data(env, "verify", str(verify_path))
    found = json.loads(verify_path.read_text())

    handled = rush.of("confirmed", "waitlisted")
    pooled = [o for o in handled if o.detail == "pooled"]
    plain = [o for o in handled if o.detail == "plain"]
    full = rush.of("full")
    errors = rush.of("error") + cancels.of("error") + claims.of("error")
    signups_per_second = len(handled) / rush.seconds
    anonymous_per_second = _rate(*anonymous)
    logged_in_per_second = _rate(*logged_in)
    baseline_errors = sum(len(run.of("error")) for run in anonymous + logged_in)
    lines = [
        "",
        f"Signup rush ({len(rush.outcomes)} attempts, {CLIENTS} clients, {EVENTS} events of "
        f"capacity {CAPACITY}; gunicorn {WORKERS} workers x {THREADS} threads; "
        f"set-up {prepared:.0f} s)",
        f"  overbookings:              {found['overbooked']}"
        f" (in a pool: {found['pool_overbooked']})",
        f"  waitlist order violations: {found['order_violations']}"
        f" (in a pool: {found['pool_order_violations']};"
        f" sequence gaps: {found['sequence_gaps']})",
        f"  confirmed / waitlisted:    {len(rush.of('confirmed'))} / {len(rush.of('waitlisted'))}"
        f" in the rush (database after the claims: {found['confirmed']} /"
        f" {found['waitlisted']}, offered {found['offered']})",
        f"  refused as full:           {len(full)}",
        f"  other errors:              {len(errors)}"
        + (f" (first: {errors[0].detail})" if errors else ""),
        f"  signups handled:           {signups_per_second:.0f}/s,"
        f" p95 {_p95([o.seconds for o in handled]) * 1000:.0f} ms,"
        f" median {statistics.median(o.seconds for o in handled) * 1000:.0f} ms",
        f"    on plain events:         {_latency(plain)}",
        f"    on pooled events:        {_latency(pooled)}",
        f"  all attempts:              {len(rush.outcomes) / rush.seconds:.0f}/s over"
        f" {rush.seconds:.1f} s",
        f"  places given up (offered on): {len(cancels.of('ok'))},"
        f" {len(cancels.of('ok')) / cancels.seconds:.0f}/s;"
        f" offers claimed: {len(claims.of('ok'))}, {len(claims.of('ok')) / claims.seconds:.0f}/s,"
        f" p95 {_p95([o.seconds for o in claims.of('ok')]) * 1000:.0f} ms",
        f"  information page, anonymous (page cache): {anonymous_per_second:.0f}/s"
        f" (before {_rate(anonymous[0]):.0f}/s, after {_rate(anonymous[1]):.0f}/s),"
        f" p95 {_p95([o.seconds for run in anonymous for o in run.of('ok')]) * 1000:.0f} ms",
        f"  information page, logged in (rendered):   {logged_in_per_second:.0f}/s"
        f" (before {_rate(logged_in[0]):.0f}/s, after {_rate(logged_in[1]):.0f}/s),"
        f" p95 {_p95([o.seconds for run in logged_in for o in run.of('ok')]) * 1000:.0f} ms",
        f"  baseline errors:           {baseline_errors}",
        f"  ratio signups / anonymous page:  {signups_per_second / anonymous_per_second:.2f}",
        f"  ratio signups / logged-in page:  {signups_per_second / logged_in_per_second:.2f}",
        f"  load average at the end:   {os.getloadavg()[0]:.1f}",
    ]
    print("\n".join(lines))

    assert found["overbooked"] == 0
    assert found["order_violations"] == 0
    assert found["pool_overbooked"] == 0
    assert found["pool_order_violations"] == 0
    assert found["sequence_gaps"] == 0
    assert errors == []
    assert plain and pooled and cancels.outcomes and claims.outcomes
    # Every place given up went to the next in line, who claimed it.
    assert found["offered"] == 0
    assert found["confirmed"] == len(rush.of("confirmed")) - len(leaving) + len(offered)
    assert found["waitlisted"] == len(rush.of("waitlisted")) - len(offered)
