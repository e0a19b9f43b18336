"""``python -m onboarding.deploy start|stop|status``: the production topology on this machine.

``make prod`` runs ``start``: nginx on http://127.0.0.1:8080 in front of gunicorn (pages),
uvicorn (``/ws/``) and the task worker, with production settings over plain HTTP
(``onboarding.deploy.local_settings``), on PostgreSQL and Redis. The run folder (``.prod/``
by default) holds the logs, pid records, the generated nginx.conf, the collected static
files and the generated SECRET_KEY. ``make prod-stop`` runs ``stop``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from .topology import PROCESSES_FILE, PROJECT_ROOT, Topology, TopologyError, nginx_path

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/velkommen_prod"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/1"
DEFAULT_RUN_DIR = PROJECT_ROOT / ".prod"
SETTINGS_MODULE = "onboarding.deploy.local_settings"

# Seeds the demo into an empty database, then prints the demo accounts. The seed runs its
# tasks (Wagtail's search and reference indexes) at once, as `make run` does, instead of
# queueing thousands of them for the worker.
DEMO = """
from contextlib import redirect_stdout
from django.core.management import call_command
from django.test import override_settings
from cms.models import DemoSeed
from onboarding.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
if not DemoSeed.objects.exists():
    print("The database is empty: loading the demo site (a few minutes)...", flush=True)
    immediate = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    # The emails the demo sends (printed without a mail server) go to the log too.
    with override_settings(TASKS=immediate), open("LOG_PATH", "w") as log, redirect_stdout(log):
        call_command("update_translation_fields", verbosity=0, stdout=log)
        call_command("seed_demo", verbosity=0, stdout=log)
print("Demo accounts (password " + DEMO_PASSWORD + "):")
for account in DEMO_ACCOUNTS:
    print(f"  {account['role']:<30} {account['email']}")
"""


def database_ensure(url: str) -> None:
    """Create the database ``url`` names if it does not exist (PostgreSQL only)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"Created the database {name}.")


def topology_from(options: argparse.Namespace) -> Topology:
    env = {}
    if not os.environ.get("EMAIL_HOST") and not os.environ.get("EMAIL_BACKEND"):
        # No mail relay named: each email is printed in the task worker's log.
        env["EMAIL_BACKEND"] = "django.core.mail.backends.console.EmailBackend"
    return Topology(
        run_dir=Path(options.run_dir),
        database_url=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
        redis_url=os.environ.get("REDIS_URL", DEFAULT_REDIS_URL),
        port=options.port,
        settings_module=SETTINGS_MODULE,
        extra_env=env,
    )


def start(topology: Topology) -> int:
    if nginx_path() is None:
        print("nginx is not installed: `apt-get install nginx-light` (as root).", file=sys.stderr)
        return 1
    import redis

    try:
        redis.Redis.from_url(topology.redis_url, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as error:
        print(f"Redis at {topology.redis_url} is not reachable: {error}", file=sys.stderr)
        return 1
    try:
        database_ensure(topology.database_url)
    except Exception as error:
        print(f"PostgreSQL at {topology.database_url} is not reachable: {error}", file=sys.stderr)
        return 1
    print(f"Starting in {topology.run_dir} (migrate, collectstatic, then the processes)...")
    try:
        topology.start()
    except TopologyError as error:
        print(f"Velkommen did not start:\n{error}", file=sys.stderr)
        return 1
    # Django's and Wagtail's log lines go to the log; the accounts to the terminal.
    with open(topology.run_dir / "seed_demo-stderr.log", "w") as log:
        demo = subprocess.run(  # noqa: S603 (our own command)
            [
                sys.executable,
                str(PROJECT_ROOT / "manage.py"),
                "shell",
                "--no-imports",
                "-c",
                DEMO.replace("LOG_PATH", str(topology.run_dir / "seed_demo.log")),
            ],
            cwd=PROJECT_ROOT,
            env=topology.environment(),
            stderr=log,
            check=False,
        )
    if demo.returncode != 0:
        print(f"Loading the demo failed; see {log.name}. The site runs.", file=sys.stderr)
    print(
        f"\nVelkommen runs at {topology.base_url}/ (nginx in front of gunicorn, uvicorn and "
        f"the task worker).\nLogs: {topology.run_dir}/*.log. Stop: make prod-stop."
    )
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m onboarding.deploy", description=__doc__)
    parser.add_argument("command", choices=["start", "stop", "status"])
    parser.add_argument("--run-dir", default=str(DEFAULT_RUN_DIR), help="default: .prod/")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PROD_PORT", "8080")))
    options = parser.parse_args(argv)
    if options.command != "start":
        # The port the running topology was started with.
        with contextlib.suppress(OSError, ValueError, KeyError):
            record = json.loads((Path(options.run_dir) / PROCESSES_FILE).read_text())
            options.port = int(record["port"])
    topology = topology_from(options)
    if options.command == "start":
        return start(topology)
    if options.command == "stop":
        topology.stop()
        print("Stopped.")
        return 0
    status = topology.status()
    if not status:
        print("Not running.")
        return 1
    for name, running in status.items():
        print(f"  {name:<10} {'running' if running else 'stopped'}")
    healthy = topology.healthy()
    print(f"{topology.base_url}/health/: {'ok' if healthy else 'no answer'}")
    return 0 if healthy and all(status.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
