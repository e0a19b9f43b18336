"""The production topology on one machine, as one object: start it, use it, stop it.

``Topology(run_dir=..., database_url=..., redis_url=...).start()`` migrates the
database, collects the static files, starts gunicorn (pages), uvicorn (``/ws/``),
the task worker(s) (``manage.py db_worker``) and nginx in front of them, and returns
once ``/health/`` answers through nginx. ``stop()`` ends every process it started,
also from another Python process: what runs is written to ``processes.json`` in the
run folder. Everything the processes write (logs, pid files, the generated
``nginx.conf``, the collected static files) is in the run folder.

Each process starts in a session of its own, so that stopping its process group
also ends the workers it forked (gunicorn's, uvicorn's, nginx's).
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NGINX_TEMPLATE = Path(__file__).with_name("nginx.conf")
PROCESSES_FILE = "processes.json"
SECRET_KEY_FILE = "secret_key"  # noqa: S105 (a file name)
START_TIMEOUT = 90.0
STOP_TIMEOUT = 15.0
NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx")
_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


class TopologyError(RuntimeError):
    """The topology did not start (the message ends with the failing process's log)."""


def nginx_path() -> str | None:
    """Debian's nginx binary, if installed (it lives in /usr/sbin, often not on PATH)."""
    for candidate in NGINX_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def nginx_config(
    *,
    run_dir: Path,
    port: int,
    pages_port: int,
    live_port: int,
    static_root: Path,
    media_root: Path,
    user: str | None = None,
    template: str | None = None,
) -> str:
    """The nginx configuration from ``onboarding/deploy/nginx.conf`` with its names filled in.

    ``user``: the account nginx's workers run as. Only a master started as root switches
    (to ``nobody`` by default, who could not read a private run folder); pass the
    current account's name then, and ``None`` otherwise.
    """
    values = {
        "user": f"user {user};" if user else "",
        "run_dir": str(run_dir),
        "port": str(port),
        "pages_port": str(pages_port),
        "live_port": str(live_port),
        "static_root": str(static_root),
        "media_root": str(media_root),
    }
    text = NGINX_TEMPLATE.read_text() if template is None else template

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"nginx.conf names {{{{{name}}}}}, which the topology does not fill")
        return values[name]

    return _PLACEHOLDER.sub(fill, text)


def _log_tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"(no log at {path})"
    return f"--- {path.name} ---\n" + "\n".join(text.splitlines()[-lines:])


def process_alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet reaped, does not count)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, 0)
            return True
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def group_members(pgid: int) -> list[int]:
    """The live processes in process group ``pgid`` (from /proc; Linux)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command: state, ppid, pgrp, ...
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


@dataclass
class Topology:
    run_dir: Path  # pid files, logs, generated nginx.conf, collected static files
    database_url: str
    redis_url: str
    port: int = 8080  # nginx listens here, plain HTTP on 127.0.0.1
    settings_module: str = "onboarding.settings.production"
    web_workers: int = 4  # gunicorn (gthread) workers for pages
    web_threads: int = 4
    live_workers: int = 1  # uvicorn workers for /ws/
    task_workers: int = 1  # task worker processes
    extra_env: dict[str, str] = field(default_factory=dict)
    _children: dict[str, subprocess.Popen[bytes]] = field(
        default_factory=dict, init=False, repr=False
    )

    def __post_init__(self) -> None:
        self.run_dir = Path(self.run_dir).resolve()

    # --- What callers read --------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def static_root(self) -> Path:
        return self.run_dir / "static"

    def environment(self) -> dict[str, str]:
        """The environment every app process gets: production settings on this database.

        A caller runs ``manage.py`` commands with it against the same database and Redis.
        """
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": self.settings_module,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "SECRET_KEY": self._secret_key(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "BASE_URL": self.base_url,
            # Plain HTTP on this machine: no redirect to HTTPS, no HSTS.
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            # nginx appends the client's address to X-Forwarded-For.
            "TRUSTED_PROXY_COUNT": "1",
            "STATIC_ROOT": str(self.static_root),
            "PYTHONPATH": os.pathsep.join(
                p for p in [str(PROJECT_ROOT), os.environ.get("PYTHONPATH", "")] if p
            ),
        }
        env.update(self.extra_env)
        return env

    # --- Start and stop -----------------------------------------------------------------------

    def start(self) -> None:
        """Migrate, collect static files, start every process, and wait for ``/health/``.

        Raises ``TopologyError`` with the failing process's log after stopping whatever
        had started.
        """
        nginx = nginx_path()
        if nginx is None:
            raise TopologyError("nginx is not installed (Debian: apt-get install nginx-light).")
        if any(self.status().values()):
            raise TopologyError(
                f"{self.run_dir} already runs a topology; stop it first "
                "(python -m onboarding.deploy stop)."
            )
        self.stop()  # Forget the processes of a run that ended without stop().
        self.run_dir.mkdir(parents=True, exist_ok=True)
        for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.run_dir / "nginx-temp" / temp).mkdir(parents=True, exist_ok=True)
        env = self.environment()
        try:
            self._prepare(env)
            pages_port, live_port = free_port(), free_port()
            self._spawn("gunicorn", self._gunicorn_command(pages_port), env=self._pages_env(env))
            self._spawn("uvicorn", self._uvicorn_command(live_port), env=env)
            for number in range(1, self.task_workers + 1):
                self._spawn(f"worker-{number}", self._worker_command(number), env=env)
            self._write_nginx_config(pages_port=pages_port, live_port=live_port)
            self._spawn(
                "nginx",
                [
                    nginx,
                    "-p",
                    str(self.run_dir),
                    "-c",
                    str(self.run_dir / "nginx.conf"),
                    "-e",
                    str(self.run_dir / "nginx-error.log"),
                ],
                env=env,
            )
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Send TERM to every process group started, wait, then KILL what is left.

        Safe to call any number of times and from another process than the one that
        started the topology.
        """
        groups = self._recorded()
        for pgid in groups.values():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pgid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        while time.monotonic() < deadline:
            self._reap()
            if not any(group_members(pgid) for pgid in groups.values()):
                break
            time.sleep(0.1)
        for pgid in groups.values():
            if group_members(pgid):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(pgid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(group_members(p) for p in groups.values()):
            self._reap()
            time.sleep(0.05)
        for child in self._children.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=5)
        self._children.clear()
        with contextlib.suppress(FileNotFoundError):
            (self.run_dir / PROCESSES_FILE).unlink()

    def status(self) -> dict[str, bool]:
        """Each recorded process's name and whether its group still runs."""
        return {name: bool(group_members(pgid)) for name, pgid in self._recorded().items()}

    def healthy(self) -> bool:
        """Whether ``/health/`` answers 200 through nginx right now."""
        # Straight to 127.0.0.1, whatever proxy the environment names.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(f"{self.base_url}/health/", timeout=2) as response:
                return bool(response.status == 200)
        except (OSError, urllib.error.URLError):
            return False

    def __enter__(self) -> Topology:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # --- Inside -------------------------------------------------------------------------------

    def _secret_key(self) -> str:
        """SECRET_KEY from ``extra_env``, else the one kept in the run folder (made once)."""
        if "SECRET_KEY" in self.extra_env:
            return self.extra_env["SECRET_KEY"]
        path = self.run_dir / SECRET_KEY_FILE
        if not path.exists():
            self.run_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as file:
                file.write(secrets.token_urlsafe(50))
        return path.read_text().strip()

    def _manage(self, *args: str) -> list[str]:
        return [sys.executable, str(PROJECT_ROOT / "manage.py"), *args]

    def _prepare(self, env: dict[str, str]) -> None:
        """``migrate`` and ``collectstatic`` side by side: they do not depend on each other."""
        steps = {
            "migrate": self._manage("migrate", "--noinput"),
            "collectstatic": self._manage("collectstatic", "--noinput", "--verbosity", "0"),
        }
        running = {}
        for name, command in steps.items():
            with open(self.run_dir / f"{name}.log", "wb") as log:
                running[name] = subprocess.Popen(  # noqa: S603 (our own commands)
                    command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
                )
        failed = [name for name, process in running.items() if process.wait() != 0]
        if failed:
            raise TopologyError(
                f"{', '.join(failed)} failed:\n"
                + "\n".join(_log_tail(self.run_dir / f"{name}.log") for name in failed)
            )

    def _pages_env(self, env: dict[str, str]) -> dict[str, str]:
        # A gthread worker needs at most one connection per thread.
        if "DB_POOL_MAX" in self.extra_env:
            return env
        return {**env, "DB_POOL_MAX": str(self.web_threads + 1)}

    def _gunicorn_command(self, port: int) -> list[str]:
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "onboarding.wsgi:application",
            "--workers",
            str(self.web_workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(self.web_threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--backlog",
            "1024",
            "--graceful-timeout",
            "10",
            "--forwarded-allow-ips",
            "127.0.0.1",
        ]

    def _uvicorn_command(self, port: int) -> list[str]:
        return [
            sys.executable,
            "-m",
            "uvicorn",
            "onboarding.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(self.live_workers),
            "--ws",
            "websockets",
            "--proxy-headers",
            "--forwarded-allow-ips",
            "127.0.0.1",
            "--no-access-log",
            "--timeout-graceful-shutdown",
            "5",
        ]

    def _worker_command(self, number: int) -> list[str]:
        worker_id = f"{socket.gethostname()}-{os.getpid()}-{number}"[:64]
        return self._manage("db_worker", "--no-reload", "--worker-id", worker_id)

    def _write_nginx_config(self, *, pages_port: int, live_port: int) -> None:
        user = pwd.getpwuid(os.geteuid()).pw_name if os.geteuid() == 0 else None
        config = nginx_config(
            run_dir=self.run_dir,
            port=self.port,
            pages_port=pages_port,
            live_port=live_port,
            static_root=self.static_root,
            media_root=PROJECT_ROOT / "media",
            user=user,
        )
        (self.run_dir / "nginx.conf").write_text(config)

    def _spawn(self, name: str, command: list[str], *, env: dict[str, str]) -> None:
        with open(self.run_dir / f"{name}.log", "ab") as log:
            process = subprocess.Popen(  # noqa: S603 (our own commands)
                command,
                cwd=PROJECT_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._children[name] = process
        recorded = self._recorded()
        recorded[name] = process.pid
        (self.run_dir / PROCESSES_FILE).write_text(
            json.dumps({"port": self.port, "processes": recorded}, indent=2)
        )

    def _recorded(self) -> dict[str, int]:
        try:
            data = json.loads((self.run_dir / PROCESSES_FILE).read_text())
        except (OSError, ValueError):
            return {}
        return {str(name): int(pid) for name, pid in data.get("processes", {}).items()}

    def _reap(self) -> None:
        for child in self._children.values():
            child.poll()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            for name, child in self._children.items():
                if child.poll() is not None:
                    raise TopologyError(
                        f"{name} exited with {child.returncode} while starting:\n"
                        + _log_tail(self.run_dir / f"{name}.log")
                    )
            if self.healthy():
                return
            if time.monotonic() > deadline:
                raise TopologyError(
                    f"/health/ did not answer through nginx at {self.base_url} in "
                    f"{START_TIMEOUT:.0f} s:\n"
                    + "\n".join(
                        _log_tail(self.run_dir / f"{name}.log", 15) for name in self._children
                    )
                    + "\n"
                    + _log_tail(self.run_dir / "nginx-error.log", 15)
                )
            time.sleep(0.2)
