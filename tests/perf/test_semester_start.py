"""Semester start: the whole site under a mixed crowd, on the production topology.

Run with ``make bench``. The topology is production's on this machine
(``onboarding/deploy/topology.py``, as ``make prod`` starts it): nginx in front of gunicorn
(pages) and uvicorn (``/ws/``), PostgreSQL, Redis, the task worker, production settings over
plain HTTP, on the benchmark's own database. The crowd is three ``wrk`` processes (one
thread each) running at once, each on its own connections, replaying:

* **anonymous** browsing: home, the event list, information pages and the hot events' pages,
  in both languages;
* **logged in**: PEOPLE students, each with their own session, reading their arrival plan, the
  event list, information pages and an event page, in both languages (and the plan
  benchmark's student, whose plan has 40 items);
* **signups**: the same students signing up to HOT hot events and giving their place up again
  a little later (places given at once to the next in line), over and over;

plus 1,000 open WebSockets (each a student's session) subscribed to the hot events' live
counts. Plain ``wrk`` has no rate option, so the 60/30/10 split is set by connections
(``SHARES``) and the shares achieved are reported. The **live hint delay** is measured by a
probe: once a second, one more student signs up to (or gives up) a *probe event* nobody else
touches, and a quarter of the sockets, subscribed to it as well, time the new count's arrival
from the probe's response.

First a few short steps of growing connection counts (``SEMESTER_STEPS``, each
``SEMESTER_STEP_SECONDS``), until every kind no longer keeps 0 errors and p95 under 1 s;
then the full run at the step that held with the highest rate (all kinds together) (``SEMESTER_START_SECONDS``, 180 by default).
Reported: requests per second (and as ratios to the bare view ``GET /health/`` through nginx,
in the same run), p50/p95/p99 per kind, errors, the hint delay's p95, the highest rate held;
checked in the database afterwards (a failure fails the benchmark): no overbookings, no
waitlist order violations, every person moved up from a waitlist notified exactly once, no
errors in the mix.

``SEMESTER_DATABASE_URL`` names the benchmark's own PostgreSQL database (default
postgres://postgres@127.0.0.1:5432/velk_bench_semester_start), ``SEMESTER_REDIS_URL`` its
Redis (default redis://127.0.0.1:6379/14).
"""

import asyncio
import http.client
import json
import os
import random
import threading
import time
from pathlib import Path

import pytest

from tests.perf import loadgen
from tests.perf.loadgen import Figure, Request

pytestmark = pytest.mark.bench

SECONDS = float(os.environ.get("SEMESTER_START_SECONDS", "180"))
STEP_SECONDS = float(os.environ.get("SEMESTER_STEP_SECONDS", "15"))
STEPS = [int(n) for n in os.environ.get("SEMESTER_STEPS", "8,16,32,48").split(",")]
SOCKETS = int(os.environ.get("SEMESTER_SOCKETS", "1000"))
PEOPLE = 400
HOT = 4
# Few places, so that waitlists form within seconds and cancellations move people up:
# each event has 15 signups (a quarter of LAG) before the first cancellation.
CAPACITY = 10
# Connections per kind, in proportion (at least one each): the split of the crowd.
# A logged-in page takes about twice as long as an anonymous one (many of those come from the
# page cache), so the same number of connections gives about 60/30/10 of the requests.
SHARES = {"anonymous": 4, "logged in": 4, "signups": 1}
TARGET_SHARES = {"anonymous": 0.6, "logged in": 0.3, "signups": 0.1}
LAG = 60
P95_LIMIT_MS = 1000
PROBE_INTERVAL = 1.0
PROBE_WAIT = 20.0
PATH = "tests/perf/test_semester_start.py"


def _topology_class():
    try:
        from onboarding.deploy.topology import Topology
    except ImportError as error:
        pytest.skip(f"the production topology (onboarding/deploy/topology.py) is missing: {error}")
    from onboarding.deploy.topology import nginx_path

    if nginx_path() is None:
        pytest.skip("the semester-start benchmark needs nginx: `apt-get install nginx-light`")
    return Topology


# --- The crowd's requests ----------------------------------------------------------------


def _requests(data, people):
    """The three kinds' request lists (each shuffled the same way every run)."""
    rng = random.Random(20260817)
    paths = data["paths"]
    anonymous = [Request("GET", p) for language in paths for p in paths[language]["anonymous"]]
    logged_in = []
    for number, person in enumerate(people):
        language = ("nb", "en")[number % 2]
        cookie = loadgen.session_cookie(person["session"])
        logged_in += [Request("GET", p, cookie) for p in paths[language]["logged_in"]]
    plan = loadgen.session_cookie(data["plan_session"])
    logged_in += [Request("GET", data["plan"], plan)] * (len(logged_in) // 20)
    rng.shuffle(anonymous)
    rng.shuffle(logged_in)
    # Each person signs up to one hot event and gives the place up LAG signups later: places
    # free up (and go to the next in line) while others arrive. The list ends with everyone
    # cancelled, so that replaying it again starts clean.
    lag = LAG
    order = list(range(len(people)))
    rng.shuffle(order)
    signups = []
    for step, index in enumerate(order):
        event = data["hot_events"][index % len(data["hot_events"])]
        signups.append(loadgen.signup_post(people[index], event, "signup"))
        if step >= lag:
            earlier = order[step - lag]
            signups.append(
                loadgen.signup_post(
                    people[earlier], data["hot_events"][earlier % len(data["hot_events"])], "cancel"
                )
            )
    for earlier in order[-lag:]:
        signups.append(
            loadgen.signup_post(
                people[earlier], data["hot_events"][earlier % len(data["hot_events"])], "cancel"
            )
        )
    return {"anonymous": anonymous, "logged in": logged_in, "signups": signups}


def _split(connections):
    total = sum(SHARES.values())
    return {kind: max(1, round(connections * share / total)) for kind, share in SHARES.items()}


def _crowd(env, base_url, requests, connections, seconds, folder):
    """The three kinds at once, each its own wrk, on hot events nobody has signed up to yet;
    returns {kind: Run}."""
    loadgen.run_data(env, "semester_start_data", "reset", str(folder / "reset.json"))
    split = _split(connections)
    started = {}
    files = []
    for kind, kind_requests in requests.items():
        path = loadgen.write_requests(kind_requests, folder)
        files.append(path)
        command = loadgen.wrk_command(
            base_url, path, connections=split[kind], seconds=seconds, timeout=30
        )
        started[kind] = (loadgen.wrk_start(command), command)
    try:
        return {
            kind: loadgen.wrk_finish(process, command, kind)
            for kind, (process, command) in started.items()
        }
    finally:
        for path in files:
            path.unlink()


def _errors(kind, run):
    """Errors of a kind: answers other than expected, and connections lost."""
    bad = {s: n for s, n in run.statuses.items() if s not in ("200", "409")}
    if kind == "signups":
        # A cancellation may meet a signup still on its way (not_signed_up): a race of the
        # benchmark's own replay, not an error of the site.
        bad.update(
            {
                c: n
                for c, n in run.codes.items()
                if c not in ("confirmed", "waitlisted", "cancelled", "not_signed_up")
            }
        )
    else:
        bad.update({s: n for s, n in run.statuses.items() if s != "200"})
    bad.update({k: n for k, n in run.socket_errors.items() if n and k != "status"})
    return bad


def _rate(runs):
    """Requests per second of every kind together."""
    return sum(run.per_second for run in runs.values())


def _holds(runs):
    return all(not _errors(kind, run) and run.p95 < P95_LIMIT_MS for kind, run in runs.items())


# --- Sockets and the probe ---------------------------------------------------------------


class Sockets:
    """SOCKETS WebSockets through nginx, each subscribed to a hot event; every fourth also to
    the probe event. Runs its own event loop in a thread while the crowd runs."""

    def __init__(self, base_url, sessions, data):
        self.ws_url = base_url.replace("http://", "ws://") + "/ws/live/"
        self.origin = base_url
        self.sessions = sessions
        self.hot = [f"event:{e}" for e in data["hot_events"]]
        self.probe_topic = f"event:{data['probe_event']}"
        self.received = 0
        self.arrivals = {}  # probe round -> [arrival times]
        self.round = None
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.sockets = []
        self.listeners = []
        self.probe_listeners = 0

    def open(self):
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._open(), self.loop).result(timeout=300)

    async def _open(self):
        from websockets.asyncio.client import connect

        async def one(index):
            ws = await connect(
                self.ws_url,
                additional_headers={
                    "Origin": self.origin,
                    "Cookie": f"sessionid={self.sessions[index % len(self.sessions)]}",
                },
                open_timeout=60,
                ping_interval=None,
                compression=None,
                max_queue=None,
            )
            self.sockets.append(ws)
            topics = [self.hot[index % len(self.hot)]]
            if index % 4 == 0:
                topics.append(self.probe_topic)
                self.probe_listeners += 1
            for topic in topics:
                await ws.send(json.dumps({"type": "subscribe", "topic": topic}))
            for _topic in topics:
                reply = json.loads(await asyncio.wait_for(ws.recv(), 60))
                assert reply.get("type") == "subscribed", reply
            self.listeners.append(asyncio.ensure_future(self._listen(ws)))

        for start in range(0, SOCKETS, 100):
            await asyncio.gather(*(one(i) for i in range(start, min(start + 100, SOCKETS))))

    async def _listen(self, ws):
        async for message in ws:
            self.received += 1
            if self.probe_topic in message and self.round is not None:
                self.arrivals.setdefault(self.round, []).append(time.perf_counter())

    def close(self):
        async def close_all():
            for listener in self.listeners:
                listener.cancel()
            await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)

        asyncio.run_coroutine_threadsafe(close_all(), self.loop).result(timeout=60)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


class Probe(threading.Thread):
    """Once a second, sign the probe student up to the probe event or give the place up, and
    time each socket's new count from the response."""

    def __init__(self, port, person, event_id, sockets):
        super().__init__(daemon=True)
        self.port, self.person, self.event_id, self.sockets = port, person, event_id, sockets
        self.stopping = threading.Event()
        self.delays = []  # seconds, one per socket per round
        self.missing = 0
        self.failures = []
        self.rounds = 0

    def run(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        action = "signup"
        while not self.stopping.is_set():
            self.rounds += 1
            self.sockets.round = self.rounds
            request = loadgen.signup_post(self.person, self.event_id, action)
            try:
                connection.request(
                    "POST",
                    request.path,
                    body=request.body,
                    headers={
                        "Cookie": request.cookie,
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Accept": "application/json",
                    },
                )
                response = connection.getresponse()
                response.read()
                answered = time.perf_counter()
            except (OSError, http.client.HTTPException) as error:
                self.failures.append(repr(error))
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                continue
            if response.status != 200:
                self.failures.append(f"{action}: HTTP {response.status}")
            deadline = answered + PROBE_WAIT
            expected = self.sockets.probe_listeners
            while (
                len(self.sockets.arrivals.get(self.rounds, ())) < expected
                and time.perf_counter() < deadline
            ):
                time.sleep(0.01)
            arrivals = list(self.sockets.arrivals.get(self.rounds, ()))
            self.delays += [max(0.0, t - answered) for t in arrivals]
            self.missing += expected - len(arrivals)
            self.sockets.round = None
            action = "cancel" if action == "signup" else "signup"
            self.stopping.wait(PROBE_INTERVAL)

    def stop(self):
        self.stopping.set()
        self.join(timeout=PROBE_WAIT + 40)


# --- The benchmark -----------------------------------------------------------------------


def test_semester_start(tmp_path: Path):
    topology_class = _topology_class()
    database = loadgen.database_url("SEMESTER_DATABASE_URL", "velk_bench_semester_start")
    redis = loadgen.redis_url("SEMESTER_REDIS_URL", "redis://127.0.0.1:6379/14")
    port = loadgen.free_port()
    topology = topology_class(
        run_dir=tmp_path / "run",
        database_url=database,
        redis_url=redis,
        port=port,
        settings_module="onboarding.deploy.local_settings",
        extra_env={"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    )
    env = topology.environment()
    loadgen.manage(env, "migrate", "--noinput")
    loadgen.manage(env, "update_translation_fields")
    out = tmp_path / "data.json"
    loadgen.run_data(
        env, "semester_start_data", "setup", str(out), str(PEOPLE), str(HOT), str(CAPACITY)
    )
    data = json.loads(out.read_text())
    people = loadgen.people(data["sessions"])
    probe_person, people = people[-1], people[:-1]
    requests = _requests(data, people)

    with topology:
        base = topology.base_url
        for kind_requests in requests.values():
            if kind_requests[0].method == "GET":
                for request in {r.path: r for r in kind_requests}.values():
                    loadgen.wrk(base, [request], label="warm", connections=2, seconds=1)
        bare = [loadgen.bare_view(base)]
        # The sockets stay open through the steps and the run.
        sockets = Sockets(base, [p["session"] for p in people], data)
        sockets.open()
        probe = None
        try:
            # Short steps of growing crowds, until one does not hold (0 errors, p95 < 1 s); the
            # run goes on at the step that held with the most requests per second (more
            # connections on two cores can make fewer of them).
            steps = {}
            for connections in STEPS:
                steps[connections] = _crowd(
                    env, base, requests, connections, STEP_SECONDS, tmp_path
                )
                if not _holds(steps[connections]):
                    break
            held = [c for c, runs in steps.items() if _holds(runs)]
            best = max(held, key=lambda c: _rate(steps[c])) if held else STEPS[0]
            probe = Probe(port, probe_person, data["probe_event"], sockets)
            probe.start()
            runs = _crowd(env, base, requests, best, SECONDS, tmp_path)
        finally:
            if probe is not None:
                probe.stop()
            received = sockets.received
            sockets.close()
        bare.append(loadgen.bare_view(base))
        found_path, promoted_path = tmp_path / "verify.json", tmp_path / "promotions.json"
        loadgen.run_data(env, "signup_rush_data", "verify", str(found_path))
        loadgen.run_data(env, "signup_rush_data", "promotions", str(promoted_path))
        found = json.loads(found_path.read_text())
        promoted = json.loads(promoted_path.read_text())

    bare_run = loadgen.bare_best(bare)
    total = sum(run.requests for run in runs.values())
    all_seconds = max(run.seconds for run in runs.values())
    errors = {kind: _errors(kind, run) for kind, run in runs.items()}
    delay_p95 = loadgen.quantile(probe.delays, 0.95)
    step_lines = "; ".join(
        f"{c} connections: "
        + ", ".join(
            f"{kind} {run.per_second:.0f}/s p95 {run.p95:.0f} ms"
            + (f" errors {_errors(kind, run)}" if _errors(kind, run) else "")
            for kind, run in step_runs.items()
        )
        + (" (holds)" if _holds(step_runs) else " (does not hold)")
        for c, step_runs in steps.items()
    )
    split = _split(best)
    figures = [
        Figure(
            f"mix, all kinds ({best} connections)",
            per_second=total / all_seconds,
            note="the step held at the highest rate" if held else "no step held: the lowest",
        )
    ]
    for kind, run in runs.items():
        figures.append(
            Figure(
                f"  {kind} ({split[kind]} conn., share {run.requests / total:.0%}"
                f" of {TARGET_SHARES[kind]:.0%})",
                per_second=run.per_second,
                p95=run.p95,
                maximum_p95=P95_LIMIT_MS,
                command=run.command,
                note=f"p50 {run.p50:.0f} ms, p99 {run.p99:.0f} ms, errors {errors[kind] or 0}",
            )
        )
    figures.append(
        Figure(
            "live hint delay (signup answered -> socket has the count)",
            p95=delay_p95 * 1000 if delay_p95 is not None else None,
            note="0 when the count came before the answer; "
            f"p50 {(loadgen.quantile(probe.delays, 0.5) or 0) * 1000:.0f} ms over"
            f" {len(probe.delays)} deliveries in {probe.rounds} probes to"
            f" {sockets.probe_listeners} sockets; missing {probe.missing};"
            f" {received} messages on {SOCKETS} sockets",
        )
    )
    loadgen.report(
        f"Semester start on the production topology (nginx, gunicorn {topology.web_workers}x"
        f"{topology.web_threads}, uvicorn {topology.live_workers}, task worker"
        f" {topology.task_workers}); {SECONDS:g} s at {best} connections"
        f" ({', '.join(f'{k} {v}' for k, v in split.items())}) and {SOCKETS} WebSockets;"
        f" steps of {STEP_SECONDS:g} s: {step_lines}. Overbookings {found['overbooked']},"
        f" order violations {found['order_violations']}, gaps {found['sequence_gaps']};"
        f" moved up {promoted['promoted']}, notified exactly once {promoted['notified_once']},"
        f" not notified {promoted['not_notified']}, twice or more"
        f" {promoted['notified_twice_or_more']}, notified but not moved up"
        f" {promoted['notified_not_promoted']}; probe failures {probe.failures[:3]}",
        bare_run,
        figures,
        loadgen.pytest_command(PATH, "SEMESTER_START_SECONDS=180"),
    )

    assert found["overbooked"] == 0
    assert found["order_violations"] == 0
    # Arrival numbers have gaps here: a person who gives a place up and books again gets a
    # new number (the crowd replays its list, and the probe books again every other second).
    assert promoted["notified_once"] == promoted["promoted"], promoted
    assert promoted["notified_not_promoted"] == 0, promoted
    assert not any(errors.values()), errors
    assert not probe.failures, probe.failures[:5]
