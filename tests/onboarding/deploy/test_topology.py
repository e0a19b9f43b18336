"""The production topology on one machine, started for real: nginx in front of gunicorn,
uvicorn and the task worker, on PostgreSQL and Redis (docs/deploy.md).

Skipped where nginx, PostgreSQL or Redis is missing. The database is
``TOPOLOGY_DATABASE_URL``, else one named after ``DATABASE_URL``'s with ``_topology``
added (on the same server), else ``velkommen_topology`` on 127.0.0.1. It is kept between
runs: only the first run migrates it from scratch (about 40 s more). Redis is
``TOPOLOGY_REDIS_URL``, else ``REDIS_URL``, else database 10 on 127.0.0.1.
"""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

from onboarding.deploy.topology import (
    PROJECT_ROOT,
    Topology,
    free_port,
    group_members,
    nginx_path,
    process_alive,
)

pytestmark = [pytest.mark.stack, pytest.mark.xdist_group("topology")]

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/velkommen_topology"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/10"
TASK_TIMEOUT = 30

# Run in the topology's environment (production settings, its database): a home page in
# both languages (its index tasks run at once, not queued), a signed-in person's session,
# a task queued for the worker, and a notification whose email the mail server refuses.
SETUP = """
import json
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from cms.models import HomePage
from onboarding.live.services import notify
from onboarding.live.tasks import send_pending_emails_task
if not HomePage.objects.exists():
    from cms.demo import seed_site
    immediate = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(TASKS=immediate):
        seed_site()
user, _ = get_user_model().objects.get_or_create(
    email="topology-test@example.org", defaults={"first_name": "Topo", "language": "en"}
)
client = Client()
client.force_login(user)
# First in the queue, ahead of whatever else waits (the most urgent priority).
result = send_pending_emails_task.using(priority=100).enqueue()
context = {"event_title": {"nb": "Fadderuke", "en": "Buddy week"}, "changed": ["time"]}
(notification,) = notify(recipients=[user], kind="event_changed", context=context)
print(json.dumps({"session": client.cookies["sessionid"].value, "task": str(result.id),
                  "status": str(result.status), "notification": notification.pk}))
"""


def _database_url():
    url = os.environ.get("TOPOLOGY_DATABASE_URL")
    if not url and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        parts = urlsplit(os.environ["DATABASE_URL"])
        url = parts._replace(path=parts.path.rstrip("/") + "_topology").geturl()
    url = url or DEFAULT_DATABASE_URL
    try:
        from onboarding.deploy.__main__ import database_ensure

        database_ensure(url)
    except Exception as error:
        pytest.skip(f"the topology needs PostgreSQL at {url}: {error}")
    return url


def _redis_url():
    url = os.environ.get("TOPOLOGY_REDIS_URL") or os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as error:
        pytest.skip(f"the topology needs Redis at {url}: {error}")
    return url


def _get(url, headers=None):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")


def _query(database_url, sql, params):
    import psycopg

    with psycopg.connect(database_url, connect_timeout=5) as connection:
        return connection.execute(sql, params).fetchall()


def _task_status(database_url, task_id):
    rows = _query(
        database_url,
        "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = %s",
        [task_id],
    )
    return rows[0][0] if rows else None


def _email_tasks(database_url, notification_id):
    """(status, attempt, seconds from queueing to run_after) of each email task of the notification."""
    return _query(
        database_url,
        "SELECT status, args_kwargs->'kwargs'->>'attempt',"
        " EXTRACT(EPOCH FROM run_after - enqueued_at)"
        " FROM django_tasks_database_dbtaskresult"
        " WHERE task_path LIKE %s AND args_kwargs->'kwargs'->'notification_ids' @> %s::jsonb"
        " ORDER BY enqueued_at",
        ["%.send_notification_emails_task", json.dumps([notification_id])],
    )


@pytest.fixture
def topology(tmp_path):
    if nginx_path() is None:
        pytest.skip("nginx is not installed (Debian: apt-get install nginx-light)")
    topology = Topology(
        run_dir=tmp_path / "run",
        database_url=_database_url(),
        redis_url=_redis_url(),
        port=free_port(),
        web_workers=1,
        web_threads=2,
        # A mail server that refuses: nothing listens on this port.
        extra_env={"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(free_port())},
    )
    yield topology
    topology.stop()


def test_the_topology_serves_pages_static_files_sockets_and_tasks_then_stops_clean(topology):
    topology.start()
    groups = dict(topology._recorded())
    assert set(groups) == {"gunicorn", "uvicorn", "worker-1", "nginx"}
    assert all(group_members(pgid) for pgid in groups.values())

    # Liveness, through nginx (which names itself in Server).
    status, headers, body = _get(f"{topology.base_url}/health/")
    assert (status, body, headers["Server"]) == (200, "ok\n", "nginx")

    # Something queued in the app runs in the task worker.
    setup = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "manage.py"), "shell", "--no-imports", "-c", SETUP],
        cwd=PROJECT_ROOT,
        env=topology.environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert setup.returncode == 0, setup.stderr[-3000:]
    made = json.loads(setup.stdout.strip().splitlines()[-1])
    assert made["status"] == "READY"  # queued, not run in the process that queued it

    # A page in each language.
    for language in ("nb", "en"):
        status, headers, body = _get(f"{topology.base_url}/{language}/")
        assert status == 200, body[-2000:]
        assert f'lang="{language}"' in body

    # A static file, served by nginx from the collected files: an Expires header, which
    # neither Django nor WhiteNoise sets.
    manifest = json.loads((topology.static_root / "staticfiles.json").read_text())
    hashed = next(name for name in manifest["paths"].values() if name.endswith(".css"))
    status, headers, body = _get(f"{topology.base_url}/static/{hashed}")
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert headers["Expires"]

    # A WebSocket through nginx's Upgrade to uvicorn, signed in with the session cookie.
    from websockets.sync.client import connect

    with connect(
        f"ws://127.0.0.1:{topology.port}/ws/live/",
        additional_headers={
            "Origin": topology.base_url,
            "Cookie": f"sessionid={made['session']}",
        },
        open_timeout=30,
    ) as socket:
        socket.send(json.dumps({"type": "ping"}))
        assert json.loads(socket.recv(timeout=30)) == {"type": "pong"}

    deadline = time.monotonic() + TASK_TIMEOUT
    while _task_status(topology.database_url, made["task"]) != "SUCCESSFUL":
        assert time.monotonic() < deadline, (topology.run_dir / "worker-1.log").read_text()[-3000:]
        time.sleep(0.3)

    # The email the mail server refused is not lost: the worker queued it again, later.
    while len(tasks := _email_tasks(topology.database_url, made["notification"])) < 2:
        assert time.monotonic() < deadline, (topology.run_dir / "worker-1.log").read_text()[-3000:]
        time.sleep(0.3)
    (first_status, _, _), (retry_status, attempt, delay) = tasks[:2]
    assert (first_status, retry_status, attempt) == ("FAILED", "READY", "2")
    assert delay >= 59

    members = {pid for pgid in groups.values() for pid in group_members(pgid)}
    assert len(members) > len(groups)  # the servers' own workers too
    topology.stop()
    assert not [pid for pgid in groups.values() for pid in group_members(pgid)]
    assert not [pid for pid in members if process_alive(pid)]
    assert not (topology.run_dir / "processes.json").exists()
    topology.stop()  # a second stop is harmless
