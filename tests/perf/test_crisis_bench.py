"""Declaring a crisis that reaches 2,000 students with open pages: how long until each has it.

Run with ``make bench``; it needs ``DATABASE_URL`` (PostgreSQL) and ``REDIS_URL`` and is
skipped without them. The set-up is production's live layer: two ``uvicorn`` worker
processes serve the site's ASGI application on the test database, with channels-redis
between them and this process (a third). 2,000 students, half Bokmål and half English,
each have a stay in Valencia overlapping today, a logged-in session and one real WebSocket
(split between the two workers), subscribed to ``safety:checks`` as their open-checks
banner is.

Each round, staff declare a crisis for Valencia (``crisis_declare``, in this process): one
transaction writes the crisis, 2,000 checks and 2,000 notifications with each student's own
answer links; after it commits, the unread counts go out as one broadcast, the email task is
queued with the 2,000 notifications, and one hint goes to ``safety:checks``. Timed from the
call:

* **check hint**: each socket receiving the ``safety:checks`` hint (p50, p95, and the last
  of the 2,000), against a bare channel-layer ``group_send`` of the same message to the
  same topic group, from the same process to the same sockets, in the same run;
* **unread hint**: each socket receiving its new unread count (notify's broadcast);
* **queued**: when all 2,000 notifications are stored and their emails handed to the task
  backend (here Django's dummy backend, which only records what is queued; a task worker
  sends them in production).

``CRISIS_BENCH_STUDENTS`` and ``CRISIS_BENCH_ROUNDS`` change the size.
"""

import asyncio
import itertools
import json
import os
import statistics
import time
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.tasks.signals import task_enqueued
from django.utils import timezone
from django.utils.crypto import get_random_string

from onboarding.live import services as live_services
from onboarding.live.topics import topic_group
from onboarding.stays.models import SafetyCheck, Severity, StayAbroad
from onboarding.stays.selectors.crisis import SAFETY_TOPIC
from onboarding.stays.services.crisis import AreaInput, crisis_declare
from tests.perf.loadgen import quantile
from tests.perf.test_fanout import (
    _close_connections,
    _redis_url,
    _workers,
    subscribed_sockets,
)

pytestmark = [pytest.mark.bench, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

STUDENTS = int(os.environ.get("CRISIS_BENCH_STUDENTS", "2000"))
ROUNDS = int(os.environ.get("CRISIS_BENCH_ROUNDS", "3"))
WARMUP = 1
EMAIL_DOMAIN = "crisis-bench.example"
CONNECT_BATCH = 100
RECEIVE_TIMEOUT = 120
HINT = {"type": "safety.checks", "crisis": 0}


# --- Figures ----------------------------------------------------------------------------------


class Figures:
    """Latencies in seconds: every socket's in every round, and the last socket's per round."""

    def __init__(self):
        self.each = []
        self.last = []

    def add(self, latencies):
        self.each.extend(latencies)
        self.last.append(max(latencies))

    def row(self):
        ms = 1000
        return (
            quantile(self.each, 0.5) * ms,
            quantile(self.each, 0.95) * ms,
            statistics.median(self.last) * ms,
            max(self.last) * ms,
        )


def _line(label, values):
    return f"{label:<46}" + "".join(f"{value:>10.0f}" for value in values)


def report(check, unread, baseline, queued, declared):
    m, b = check.row(), baseline.row()
    lines = [
        "",
        f"Crisis fan-out: {STUDENTS} students with open sockets, channels-redis across two "
        f"uvicorn workers ({ROUNDS} rounds after {WARMUP} warm-up), milliseconds",
        f"{'':<46}{'p50':>10}{'p95':>10}{'last p50':>10}{'last max':>10}",
        _line("declare: check hint (safety:checks)", m),
        _line("declare: unread-count hint (notify)", unread.row()),
        _line("baseline: bare group_send to the topic", b),
        f"{'ratio, check hint to baseline':<46}"
        + "".join(f"{x / y if y else float('nan'):>10.2f}" for x, y in zip(m, b, strict=True)),
        "",
        f"notifications stored and emails queued: median {statistics.median(queued) * 1000:.0f} ms,"
        f" max {max(queued) * 1000:.0f} ms ({STUDENTS} notifications, {STUDENTS} emails queued)",
        f"declare call, writes to the last hint sent: median {statistics.median(declared) * 1000:.0f}"
        f" ms, max {max(declared) * 1000:.0f} ms",
        f"ratio, queued to the last socket's check hint (median): "
        f"{statistics.median(queued) / statistics.median(check.last):.2f}",
    ]
    print("\n".join(lines))


# --- Students with stays and sessions ---------------------------------------------------------


@pytest.fixture
def students(transactional_db, django_db_serialized_rollback):
    """STUDENTS students with a stay in Valencia today and a logged-in session: [(id, key)]."""
    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        user_model(
            email=f"student{i}@{EMAIL_DOMAIN}",
            first_name=f"Student {i}",
            language=("nb", "en")[i % 2],
            password=make_password(None),
        )
        for i in range(STUDENTS)
    )
    today = timezone.localdate()
    StayAbroad.objects.bulk_create(
        StayAbroad(
            student=user,
            city="Valencia",
            country="ES",
            starts_on=today - timedelta(days=30),
            ends_on=today + timedelta(days=120),
            local_phone="+34 600 000 000",
        )
        for user in users
    )
    store = SessionStore()
    expires = timezone.now() + timedelta(days=1)
    sessions, keys = [], []
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
        keys.append((user.pk, key))
    Session.objects.bulk_create(sessions)
    return keys


@pytest.fixture
def staff(transactional_db):
    return get_user_model().objects.create(
        email=f"staff@{EMAIL_DOMAIN}", is_staff=True, is_superuser=True, language="en"
    )


# --- Rounds -----------------------------------------------------------------------------------


async def _receive(ws, wanted):
    """{kind: arrival} for each message type in ``wanted`` ("topic", "notification")."""
    arrivals = {}
    while set(arrivals) != wanted:
        message = json.loads(await asyncio.wait_for(ws.recv(), RECEIVE_TIMEOUT))
        kind = message.get("type")
        if kind in wanted and kind not in arrivals:
            if kind == "topic":
                assert message["topic"] == SAFETY_TOPIC
            arrivals[kind] = time.perf_counter()
    return arrivals


async def _round(sockets, action, wanted):
    tasks = [asyncio.ensure_future(_receive(ws, wanted)) for ws in sockets]
    await asyncio.sleep(0)
    start = time.perf_counter()
    result = await action(start)
    arrivals = await asyncio.gather(*tasks)
    return {kind: [arrival[kind] - start for arrival in arrivals] for kind in wanted}, result


def _declare_action(staff, numbers):
    queued = []

    def enqueued(sender, task_result, **kwargs):
        ids = task_result.kwargs.get("notification_ids", [])
        queued.append((time.perf_counter(), len(ids)))

    def declare():
        number = next(numbers)
        task_enqueued.connect(enqueued, dispatch_uid="crisis-bench")
        try:
            declared = crisis_declare(
                user=staff,
                title_nb=f"Flom i Valencia {number}",
                title_en=f"Flooding in Valencia {number}",
                message_nb="Hold deg innendørs og følg rådene fra lokale myndigheter.",
                message_en="Stay indoors and follow the advice of the local authorities.",
                severity=Severity.SERIOUS,
                areas=[AreaInput(country="ES", city="Valencia")],
                duty_officer=staff,
            )
        finally:
            task_enqueued.disconnect(dispatch_uid="crisis-bench")
        assert declared.reached == STUDENTS
        assert SafetyCheck.objects.filter(crisis=declared.crisis).count() == STUDENTS
        return time.perf_counter()

    async def action(start):
        queued.clear()
        done = await database_sync_to_async(declare)()
        assert sum(count for _at, count in queued) == STUDENTS, queued
        return {"queued": max(at for at, _count in queued) - start, "declared": done - start}

    return action


async def _baseline(start):
    layer = get_channel_layer()
    await layer.group_send(
        topic_group(SAFETY_TOPIC), {"type": "topic.message", "topic": SAFETY_TOPIC, "data": HINT}
    )
    return {}


async def test_declaring_a_crisis_for_2000_students_with_open_sockets(
    students, staff, settings, tmp_path
):
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        pytest.skip("the crisis benchmark needs DATABASE_URL (PostgreSQL) and REDIS_URL")
    redis_url = _redis_url()
    if redis_url is None:
        pytest.skip("no Redis answers at REDIS_URL")

    # Emails are queued, not sent: the dummy backend records what a task worker would get.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    assert live_services.RECIPIENT_BATCH >= STUDENTS
    await get_channel_layer().flush()

    with _workers(redis_url, tmp_path) as ports:
        sockets = []
        try:
            await subscribed_sockets(
                ports,
                [key for _uid, key in students],
                SAFETY_TOPIC,
                into=sockets,
                receive_timeout=RECEIVE_TIMEOUT,
                max_queue=None,
            )

            check, unread, baseline = Figures(), Figures(), Figures()
            queued, declared = [], []
            declare = _declare_action(staff, itertools.count(1))
            for number in range(WARMUP + ROUNDS):
                # Alternate which goes first so drift in the machine's load hits both alike.
                order = ["declare", "baseline"] if number % 2 else ["baseline", "declare"]
                for case in order:
                    if case == "declare":
                        latencies, result = await _round(
                            sockets, declare, {"topic", "notification"}
                        )
                    else:
                        latencies, result = await _round(sockets, _baseline, {"topic"})
                    if number < WARMUP:
                        continue
                    if case == "declare":
                        check.add(latencies["topic"])
                        unread.add(latencies["notification"])
                        queued.append(result["queued"])
                        declared.append(result["declared"])
                    else:
                        baseline.add(latencies["topic"])
        finally:
            await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
            await database_sync_to_async(_close_connections)()
    await get_channel_layer().flush()
    report(check, unread, baseline, queued, declared)
