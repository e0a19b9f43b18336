"""Signup rush, and one hot event: signups over HTTP on PostgreSQL, against the bare view.

Run with ``make bench``. The servers are set up as in production (see docs/deploy.md,
tests/perf/loadgen.py): gunicorn (4 workers x 4 threads, gthread), PostgreSQL with the
connection pool, Redis for cache and channel layer, the production settings over plain HTTP.
The load is ``wrk`` (one thread) replaying the requests this benchmark writes: each person
posts with their own session cookie and CSRF token, asking for JSON as activities.js does.

**Signup rush.** 50 events of capacity 30, half with a waitlist and half without; half of
each half are *pooled*: they reserve 8 places for international degree students and 6 for
one faculty's students, and offer freed places from the waitlist (see signup_rush_data.py).
200 people with student profiles; half of all (person, event) pairs, 5,000 attempts, in
random order, from ``SIGNUP_RUSH_CLIENTS`` connections. Then, on the pooled events with a waitlist, the first
four people with a place each give it up (the places are offered to the next in line), and
everyone offered a place claims it.

**One hot event.** Every client on the same event (capacity 40, a waitlist, freed places
given at once to the next in line): 400 people sign up in turn, and between them the people
who signed up earliest cancel (one cancellation for every two signups), so promotions from
the waitlist race new arrivals.

Checked in the database afterwards (a failure fails the benchmark): no overbookings, no
waitlist order violations (per pool on the pooled events), no gaps in arrival numbers, no
answer other than the expected ones, and on the hot event every person moved up from the
waitlist notified exactly once (and nobody else). Reported, as ratios to the bare view
(``GET /health/``) on the same server in the same run: signups handled per second, and for
context the information page read anonymously (page cache) and logged in (the reader page cache).

``SIGNUP_RUSH_DATABASE_URL`` names the benchmark's own PostgreSQL database (made if
missing; default postgres://postgres@127.0.0.1:5432/velk_bench_signup_rush),
``SIGNUP_RUSH_REDIS_URL`` its Redis (default redis://127.0.0.1:6379/7).
``SIGNUP_RUSH_ATTEMPTS``, ``SIGNUP_RUSH_CLIENTS``, ``HOT_EVENT_PEOPLE`` change the size.
"""

import json
import os
import random
from pathlib import Path

import pytest

from tests.perf import loadgen
from tests.perf.loadgen import Figure, Request

pytestmark = pytest.mark.bench

EVENTS = 50
CAPACITY = 30
# Places given up per pooled event with a waitlist after the rush (offered to the next).
CHURN = 4
PEOPLE = 200
# Half of every (person, event) pair, drawn at random: about 100 attempts at each event of 30
# places, enough for long waitlists, in half the time (make bench stays under 15 minutes).
ATTEMPTS = int(os.environ.get("SIGNUP_RUSH_ATTEMPTS", str(EVENTS * PEOPLE // 2)))
CLIENTS = int(os.environ.get("SIGNUP_RUSH_CLIENTS", "64"))
HOT_PEOPLE = min(PEOPLE, int(os.environ.get("HOT_EVENT_PEOPLE", "200")))
HOT_CAPACITY = 40
HOT_CLIENTS = 32
PAGE_SECONDS = 5
PATH = "tests/perf/test_signup_rush.py"


def _environment(static_root):
    return loadgen.environment(
        static_root,
        database=loadgen.database_url("SIGNUP_RUSH_DATABASE_URL", "velk_bench_signup_rush"),
        redis=loadgen.redis_url("SIGNUP_RUSH_REDIS_URL", "redis://127.0.0.1:6379/7"),
    )


def _load(env, tmp_path, *args):
    path = tmp_path / f"{args[0]}.json"
    loadgen.run_data(env, "signup_rush_data", args[0], str(path), *args[1:])
    return json.loads(path.read_text())


def _listed(env, tmp_path, status):
    found = _load(env, tmp_path, "people", status)
    return {int(event_id): indexes for event_id, indexes in found.items()}


def _unexpected(run, expected):
    """Answers other than ``expected`` (JSON codes), HTTP statuses other than 200 and 409,
    and requests never answered."""
    other_codes = {code: n for code, n in run.codes.items() if code not in expected}
    bad_statuses = {s: n for s, n in run.statuses.items() if s not in ("200", "409")}
    lost = {} if run.answered_all or not run.command else {"unanswered": run.socket_errors}
    return {**other_codes, **bad_statuses, **lost}


def _pages(port, data, people):
    """The information page anonymously (page cache) and logged in (each person in turn)."""
    information = data["information_path"]
    anonymous = loadgen.wrk(
        port,
        [Request("GET", information)],
        label="information page, anonymous",
        seconds=PAGE_SECONDS,
    )
    logged_in = loadgen.wrk(
        port,
        [Request("GET", information, loadgen.session_cookie(p["session"])) for p in people],
        label="information page, logged in",
        seconds=PAGE_SECONDS,
    )
    return anonymous, logged_in


def test_signup_rush(tmp_path):
    with loadgen.static_root() as static_root:
        env = _environment(static_root)
        loadgen.prepare(env)
        data = _load(env, tmp_path, "setup", str(EVENTS), str(CAPACITY), str(PEOPLE))
        people = loadgen.people(data["sessions"])
        pairs = [(person, event) for person in range(len(people)) for event in data["events"]]
        random.Random(20260826).shuffle(pairs)
        pairs = pairs[:ATTEMPTS]
        with loadgen.gunicorn(env, tmp_path / "gunicorn.log") as port:
            loadgen.wrk(port, [Request("GET", data["information_path"])], label="warm", seconds=1)
            bare = [loadgen.bare_view(port)]
            before = _pages(port, data, people)
            anonymous, logged_in = [before[0]], [before[1]]
            rush = loadgen.wrk(
                port,
                [
                    loadgen.signup_post(people[person], event["id"], "signup")
                    for person, event in pairs
                ],
                label="signups",
                connections=CLIENTS,
                seconds=1800,
                once=True,
            )
            # Places given up on the pooled events are offered to the next in line, who claim them.
            leaving = [
                (event_id, index)
                for event_id, indexes in _listed(env, tmp_path, "confirmed").items()
                for index in indexes[:CHURN]
            ]
            cancels = loadgen.wrk(
                port,
                [
                    loadgen.signup_post(people[index], event_id, "cancel")
                    for event_id, index in leaving
                ],
                label="cancellations",
                connections=CLIENTS,
                seconds=600,
                once=True,
            )
            offered = [
                (event_id, index)
                for event_id, indexes in _listed(env, tmp_path, "offered").items()
                for index in indexes
            ]
            claims = loadgen.wrk(
                port,
                [
                    loadgen.signup_post(people[index], event_id, "claim")
                    for event_id, index in offered
                ],
                label="claims",
                connections=CLIENTS,
                seconds=600,
                once=True,
            )
            after = _pages(port, data, people)
            anonymous.append(after[0])
            logged_in.append(after[1])
            bare.append(loadgen.bare_view(port))
        found = _load(env, tmp_path, "verify")

    bare_run = loadgen.bare_best(bare)
    anonymous_run = loadgen.combined("anonymous", anonymous)
    logged_in_run = loadgen.combined("logged in", logged_in)
    handled = rush.codes.get("confirmed", 0) + rush.codes.get("waitlisted", 0)
    unexpected = {
        "rush": _unexpected(rush, ("confirmed", "waitlisted", "full")),
        "cancellations": _unexpected(cancels, ("cancelled",)),
        "claims": _unexpected(claims, ("confirmed",)),
        "pages": {
            k: n
            for r in (anonymous_run, logged_in_run, bare_run)
            for k, n in r.statuses.items()
            if k != "200"
        },
    }
    loadgen.report(
        f"Signup rush: {len(pairs)} attempts from {CLIENTS} connections on {EVENTS} events of"
        f" capacity {CAPACITY}; gunicorn {loadgen.WORKERS}x{loadgen.THREADS};"
        f" overbookings {found['overbooked']} (in a pool {found['pool_overbooked']}),"
        f" order violations {found['order_violations']}"
        f" (in a pool {found['pool_order_violations']}), arrival-number gaps"
        f" {found['sequence_gaps']}; answers {rush.codes}; unexpected {unexpected}",
        bare_run,
        [
            Figure(
                "signups handled (confirmed or waitlisted)",
                per_second=handled / rush.seconds,
                p95=rush.p95,
                minimum_ratio=0.05,
                command=rush.command,
                note=f"p50 {rush.p50:.0f} ms, p99 {rush.p99:.0f} ms; all attempts"
                f" {rush.requests / rush.seconds:.0f}/s",
            ),
            Figure(
                "places given up (offered on)",
                per_second=cancels.requests / cancels.seconds if cancels.requests else None,
                p95=cancels.p95,
            ),
            Figure(
                "offers claimed",
                per_second=claims.requests / claims.seconds if claims.requests else None,
                p95=claims.p95,
            ),
            Figure(
                "information page, anonymous (page cache)",
                per_second=anonymous_run.per_second,
                p95=anonymous_run.p95,
                minimum_ratio=0.5,
                command=anonymous[0].command,
            ),
            Figure(
                "information page, logged in (reader page cache)",
                per_second=logged_in_run.per_second,
                p95=logged_in_run.p95,
                minimum_ratio=0.15,
                command=logged_in[0].command,
            ),
        ],
        loadgen.pytest_command(PATH + "::test_signup_rush"),
    )

    assert found["overbooked"] == 0
    assert found["order_violations"] == 0
    assert found["pool_overbooked"] == 0
    assert found["pool_order_violations"] == 0
    assert found["sequence_gaps"] == 0
    assert not any(unexpected.values()), unexpected
    assert handled and leaving and offered
    # Every place given up went to the next in line, who claimed it.
    assert found["offered"] == 0
    assert found["confirmed"] == rush.codes.get("confirmed", 0) - len(leaving) + len(offered)
    assert found["waitlisted"] == rush.codes.get("waitlisted", 0) - len(offered)


def _hot_requests(event_id, people):
    """Everyone signs up in turn; after every second signup the earliest still signed up
    cancels (from three times as many signups as connections on, so that their own signup
    was answered long before)."""
    requests, leaving = [], 0
    for number, person in enumerate(people):
        requests.append(loadgen.signup_post(person, event_id, "signup"))
        if number >= 3 * HOT_CLIENTS and number % 2 == 0:
            requests.append(loadgen.signup_post(people[leaving], event_id, "cancel"))
            leaving += 1
    return requests, leaving


def test_one_hot_event(tmp_path: Path):
    with loadgen.static_root() as static_root:
        env = _environment(static_root)
        loadgen.prepare(env)
        data = _load(env, tmp_path, "setup", "2", str(CAPACITY), str(HOT_PEOPLE))
        hot = _load(env, tmp_path, "hot", str(HOT_CAPACITY))
        people = loadgen.people(data["sessions"])
        requests, leaving = _hot_requests(hot["id"], people)
        with loadgen.gunicorn(env, tmp_path / "gunicorn.log") as port:
            loadgen.wrk(port, [Request("GET", data["information_path"])], label="warm", seconds=1)
            bare = [loadgen.bare_view(port)]
            run = loadgen.wrk(
                port, requests, label="hot event", connections=HOT_CLIENTS, seconds=900, once=True
            )
            bare.append(loadgen.bare_view(port))
        found = _load(env, tmp_path, "verify")
        promoted = _load(env, tmp_path, "promotions")

    bare_run = loadgen.bare_best(bare)
    unexpected = _unexpected(run, ("confirmed", "waitlisted", "cancelled"))
    loadgen.report(
        f"One hot event: {len(people)} people sign up from {HOT_CLIENTS} connections to one"
        f" event of capacity {HOT_CAPACITY} (a waitlist), {leaving} of the earliest cancel"
        f" meanwhile; overbookings {found['overbooked']}, order violations"
        f" {found['order_violations']}, gaps {found['sequence_gaps']}; moved up"
        f" {promoted['promoted']}, notified exactly once {promoted['notified_once']},"
        f" not notified {promoted['not_notified']}, notified twice or more"
        f" {promoted['notified_twice_or_more']}, notified but not moved up"
        f" {promoted['notified_not_promoted']}; answers {run.codes}; unexpected {unexpected}",
        bare_run,
        [
            Figure(
                "hot event: signups and cancellations",
                per_second=run.requests / run.seconds,
                p95=run.p95,
                maximum_p95=2000,
                command=run.command,
                note=f"p50 {run.p50:.0f} ms, p99 {run.p99:.0f} ms",
            ),
        ],
        loadgen.pytest_command(PATH + "::test_one_hot_event"),
    )

    assert found["overbooked"] == 0
    assert found["order_violations"] == 0
    assert found["sequence_gaps"] == 0
    assert not unexpected, unexpected
    assert promoted["promoted"] > 0
    assert promoted["notified_once"] == promoted["promoted"], promoted
    assert promoted["notified_not_promoted"] == 0, promoted
