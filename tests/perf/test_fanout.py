"""Live fan-out: how long one notify (or one topic message) takes to reach 1,000 open sockets.

Run with ``make bench``. Two set-ups, each measured against a baseline taken in
the same run on the same clients:

* in-memory channel layer, one process: 1,000 ``WebsocketCommunicator`` clients
  through the site's full ASGI application (origin check, session auth);
* channels-redis across two ASGI worker processes (uvicorn, the site's
  application), 1,000 real WebSocket clients split between them; the notify
  runs in this process, a third one.

Cases: ``notify`` to 1,000 recipients (1,000 different users, each with one
socket) against a bare ``group_send`` to the same 1,000 user groups; and
``topic_publish`` to one page topic with 1,000 subscribers against a bare
``group_send`` to that topic's group. Latency runs from the call to each
client receiving its message; "last" is when the last of the 1,000 got it.
Email is left to the task worker (``email=False``) and not measured.

``FANOUT_CLIENTS`` and ``FANOUT_ROUNDS`` change the size; ``REDIS_URL`` (or
``FANOUT_REDIS_URL``) picks the Redis server, else redis://127.0.0.1:6379/0.
"""

import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection, connections
from django.utils import timezone
from django.utils.crypto import get_random_string

from onboarding.live.layer import LAYER_CONCURRENCY
from onboarding.live.services import notify, topic_publish
from onboarding.live.topics import topic_group, user_group
from tests.onboarding.live.websocket import WebsocketCommunicator
from tests.perf import loadgen
from tests.perf.fanout_asgi import TOPIC_PREFIX, register_fanout_topic
from tests.perf.loadgen import Figure, quantile

pytestmark = [pytest.mark.bench, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CLIENTS = int(os.environ.get("FANOUT_CLIENTS", "1000"))
ROUNDS = int(os.environ.get("FANOUT_ROUNDS", "5"))
WARMUP = 1
WORKERS = 2
EMAIL_DOMAIN = "fanout.example"
TOPIC = f"{TOPIC_PREFIX}:42"
PAYLOAD = {"type": "event.seats", "event": 42, "free": 3}
CONTEXT = {"event_title": {"nb": "Fadderuke", "en": "Buddy week"}, "changed": ["time"]}
RECEIVE_TIMEOUT = 60
CONNECT_BATCH = 100


# --- Figures ----------------------------------------------------------------------------


@dataclass
class Figures:
    """Latencies in seconds: every client's in every round, and the last client's per round."""

    each: list = field(default_factory=list)
    last: list = field(default_factory=list)

    def add(self, latencies):
        self.each.extend(latencies)
        self.last.append(max(latencies))

    def row(self):
        ms = 1000
        return (
            quantile(self.each, 0.5) * ms,
            quantile(self.each, 0.95) * ms,
            statistics.median(self.last) * ms,
            quantile(self.last, 0.95) * ms,
        )


def report(title, results, *, goal=None):
    """Print each case against its baseline: per-client p50/p95, last client median/p95; then
    the last delivery's ratio to the bare ``group_send`` as a reported figure (``goal``: the
    most that ratio may be for the topic case, reported as pass or missed, never asserted)."""
    lines = [
        "",
        f"Live fan-out: {title} ({CLIENTS} clients, {ROUNDS} rounds after {WARMUP} warm-up)",
        f"{'case':<44}{'p50 ms':>9}{'p95 ms':>9}{'last p50':>10}{'last p95':>10}",
    ]
    for case, (measured, baseline) in results.items():
        m, b = measured.row(), baseline.row()
        lines.append(
            f"{case:<44}" + "".join(f"{v:>9.1f}" for v in m[:2]) + f"{m[2]:>10.1f}{m[3]:>10.1f}"
        )
        lines.append(
            f"{'  baseline: bare group_send':<44}"
            + "".join(f"{v:>9.1f}" for v in b[:2])
            + f"{b[2]:>10.1f}{b[3]:>10.1f}"
        )
        lines.append(
            f"{'  ratio to baseline':<44}"
            + "".join(
                f"{x / y if y else float('nan'):>9.2f}" for x, y in zip(m[:2], b[:2], strict=True)
            )
            + f"{m[2] / b[2] if b[2] else float('nan'):>10.2f}{m[3] / b[3] if b[3] else float('nan'):>10.2f}"
        )
    print("\n".join(lines))
    loadgen.report(
        f"Live fan-out, {title}: the last of {CLIENTS} deliveries (median of {ROUNDS} rounds)"
        " against a bare group_send to the same sockets in the same run",
        None,
        [
            Figure(
                f"{case}: last delivery / bare group_send",
                p95=measured.row()[3],
                ratio=measured.row()[2] / baseline.row()[2] if baseline.row()[2] else None,
                maximum_ratio=goal if case.startswith("topic_publish") else None,
                note=f"last delivery median {measured.row()[2]:.1f} ms,"
                f" bare {baseline.row()[2]:.1f} ms (p95 column: last delivery p95)",
            )
            for case, (measured, baseline) in results.items()
        ],
        loadgen.pytest_command("tests/perf/test_fanout.py"),
    )


# --- People with sessions ---------------------------------------------------------------


@pytest.fixture
def audience(transactional_db, django_db_serialized_rollback):
    """CLIENTS users, half Bokmål and half English, each with a logged-in session: [(id, key)]."""
    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        user_model(
            email=f"reader{i}@{EMAIL_DOMAIN}",
            language=("nb", "en")[i % 2],
            password=make_password(None),
        )
        for i in range(CLIENTS)
    )
    store = SessionStore()
    expires = timezone.now() + timedelta(days=1)
    sessions, audience = [], []
    for user in users:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(
            Session(session_key=key, session_data=store.encode(data), expire_date=expires)
        )
        audience.append((user.pk, key))
    Session.objects.bulk_create(sessions)
    return audience


def _close_connections():
    """Close this thread's database connections (and pools), so the test database can go."""
    for conn in connections.all(initialized_only=True):
        conn.close()
        if hasattr(conn, "close_pool"):
            conn.close_pool()


def _recipients():
    return get_user_model().objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")


def _notify():
    notify(recipients=_recipients(), kind="event_changed", context=CONTEXT, email=False)


def _publish():
    topic_publish(topic=TOPIC, payload=PAYLOAD)


# --- Rounds -----------------------------------------------------------------------------


async def _round(receivers, action):
    """Start every receiver, run ``action``, return each client's latency from the call."""
    tasks = [asyncio.ensure_future(receive()) for receive in receivers]
    await asyncio.sleep(0)  # every receiver is waiting before the clock starts
    start = time.perf_counter()
    await action()
    arrivals = await asyncio.gather(*tasks, return_exceptions=True)
    missing = sum(isinstance(arrival, BaseException) for arrival in arrivals)
    assert not missing, f"{missing} of {len(arrivals)} clients got nothing in {RECEIVE_TIMEOUT} s"
    return [arrival - start for arrival in arrivals]


async def _measure(receivers, cases):
    """cases: {name: (measured action, baseline action)} -> {name: (Figures, Figures)}."""
    results = {name: (Figures(), Figures()) for name in cases}
    for number in range(WARMUP + ROUNDS):
        for name, (measured, baseline) in cases.items():
            # Alternate which goes first so drift in the machine's load hits both alike.
            order = [(0, measured), (1, baseline)] if number % 2 else [(1, baseline), (0, measured)]
            for index, action in order:
                latencies = await _round(receivers, action)
                if number >= WARMUP:
                    results[name][index].add(latencies)
    return results


def _baseline_users(user_ids):
    """Bare group_send to each user's group, at most LAYER_CONCURRENCY in flight.

    Unbounded, a thousand at once exhaust the Redis connection pool (100).
    """

    async def send():
        layer = get_channel_layer()
        message = {"type": "notification.hint", "unread": 1}
        limit = asyncio.Semaphore(LAYER_CONCURRENCY)

        async def one(uid):
            async with limit:
                await layer.group_send(user_group(uid), message)

        await asyncio.gather(*(one(uid) for uid in user_ids))

    return send


async def _baseline_topic():
    layer = get_channel_layer()
    await layer.group_send(
        topic_group(TOPIC), {"type": "topic.message", "topic": TOPIC, "data": PAYLOAD}
    )


def _cases(user_ids):
    return {
        f"notify to {CLIENTS} users": (
            lambda: database_sync_to_async(_notify)(),
            _baseline_users(user_ids),
        ),
        f"topic_publish, 1 topic, {CLIENTS} subscribers": (
            lambda: database_sync_to_async(_publish)(),
            _baseline_topic,
        ),
    }


# --- In-memory layer, one process -------------------------------------------------------


async def test_fanout_in_memory_layer_one_process(audience, settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    register_fanout_topic()
    from onboarding.asgi import application

    origin = (b"origin", b"http://testserver")
    communicators = [
        WebsocketCommunicator(
            application, "/ws/live/", headers=[origin, (b"cookie", f"sessionid={key}".encode())]
        )
        for _uid, key in audience
    ]
    try:
        for start in range(0, len(communicators), CONNECT_BATCH):
            batch = communicators[start : start + CONNECT_BATCH]
            outcomes = await asyncio.gather(*(c.connect(timeout=60) for c in batch))
            assert all(connected for connected, _code in outcomes)
        for communicator in communicators:
            await communicator.send_json_to({"type": "subscribe", "topic": TOPIC})
        for communicator in communicators:
            reply = await communicator.receive_json_from(timeout=RECEIVE_TIMEOUT)
            assert reply == {"type": "subscribed", "topic": TOPIC}

        def receiver(communicator):
            async def receive():
                await communicator.receive_output(timeout=RECEIVE_TIMEOUT)
                return time.perf_counter()

            return receive

        results = await _measure(
            [receiver(c) for c in communicators], _cases([uid for uid, _key in audience])
        )
    finally:
        await asyncio.gather(*(c.disconnect() for c in communicators), return_exceptions=True)
        await database_sync_to_async(_close_connections)()
    report("in-memory channel layer, one process (WebsocketCommunicator)", results)


# --- Redis, two ASGI worker processes ---------------------------------------------------


def _redis_url():
    url = os.environ.get("FANOUT_REDIS_URL") or settings.REDIS_URL or "redis://127.0.0.1:6379/0"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError:
        return None
    return url


def _database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"])
    host = db["HOST"] or "localhost"
    return f"postgres://{credentials}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@contextlib.contextmanager
def _workers(redis_url, log_dir):
    """WORKERS uvicorn processes serving the site's ASGI app on the test database and Redis."""
    env = {
        **os.environ,
        # Overridden settings hide SETTINGS_MODULE; the environment has it.
        "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "PYTHONPATH": os.pathsep.join(
            p for p in [str(settings.BASE_DIR), os.environ.get("PYTHONPATH", "")] if p
        ),
    }
    processes = []
    try:
        for number in range(WORKERS):
            port = loadgen.free_port()
            log = open(Path(log_dir) / f"worker{number}.log", "w")  # noqa: SIM115
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "tests.perf.fanout_asgi:application",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--lifespan",
                    "off",
                    "--log-level",
                    "warning",
                    "--no-access-log",
                ],
                cwd=str(settings.BASE_DIR),
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            processes.append((process, port, log))
        for process, port, log in processes:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    log.flush()
                    raise RuntimeError(Path(log.name).read_text()[-2000:])
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"worker on port {port} did not start")
                time.sleep(0.1)
        yield [port for _process, port, _log in processes]
    finally:
        for process, _port, _log in processes:
            process.terminate()
        for process, _port, log in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


async def subscribed_sockets(
    ports, keys, topic, *, into, receive_timeout=RECEIVE_TIMEOUT, **options
):
    """Open one real WebSocket to ``/ws/live/`` per session key in ``keys``, spread over the
    workers at ``ports``, and subscribe each to ``topic``; the sockets are appended to ``into``
    as they open, so that the caller's ``finally`` closes whatever opened. ``options`` go to
    ``websockets``' ``connect`` (e.g. ``max_queue=None``)."""
    from websockets.asyncio.client import connect

    async def open_socket(index, key):
        port = ports[index % len(ports)]
        return await connect(
            f"ws://127.0.0.1:{port}/ws/live/",
            additional_headers={"Origin": f"http://127.0.0.1:{port}", "Cookie": f"sessionid={key}"},
            open_timeout=60,
            ping_interval=None,
            compression=None,
            **options,
        )

    for start in range(0, len(keys), CONNECT_BATCH):
        batch = keys[start : start + CONNECT_BATCH]
        into += await asyncio.gather(*(open_socket(start + i, key) for i, key in enumerate(batch)))
    for ws in into:
        await ws.send(json.dumps({"type": "subscribe", "topic": topic}))
    replies = await asyncio.gather(*(asyncio.wait_for(ws.recv(), receive_timeout) for ws in into))
    assert all('"subscribed"' in reply for reply in replies)
    return into


async def test_fanout_redis_two_worker_processes(audience, settings, tmp_path):
    redis_url = _redis_url()
    if redis_url is None:
        pytest.skip("no Redis reachable (set REDIS_URL or FANOUT_REDIS_URL)")
    if redis_url != settings.REDIS_URL:
        # The workers read REDIS_URL; this process is configured as base.py would.
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {
                    "hosts": [{"address": redis_url, "socket_timeout": 15}],
                    "prefix": "velkommen",
                    "capacity": 10000,
                },
            }
        }
    await get_channel_layer().flush()

    with _workers(redis_url, tmp_path) as ports:
        sockets = []
        try:
            await subscribed_sockets(ports, [key for _uid, key in audience], TOPIC, into=sockets)

            def receiver(ws):
                async def receive():
                    await asyncio.wait_for(ws.recv(), RECEIVE_TIMEOUT)
                    return time.perf_counter()

                return receive

            results = await _measure(
                [receiver(ws) for ws in sockets], _cases([uid for uid, _key in audience])
            )
        finally:
            await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
            await database_sync_to_async(_close_connections)()
    await get_channel_layer().flush()
    report(
        f"channels-redis, {WORKERS} uvicorn worker processes (real WebSockets)",
        results,
        goal=1.2,
    )
