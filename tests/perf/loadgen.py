"""What the HTTP benchmarks share: servers as in production, ``wrk`` as the load, the bare view.

Every benchmark starts its own servers (gunicorn with the production settings, on its own
PostgreSQL database and Redis, see :func:`gunicorn`), writes the requests its clients make
to a file (one line each: method, path, cookie, body; each person with their own session and
CSRF token) and replays it with ``wrk`` (Debian's package, 4.1) through
``tests/perf/lua/requests.lua``. ``wrk`` is one compiled, event-driven process with a single
thread (``-t1``), so the load generator takes at most one core, where the Python threads
used before took as much CPU as the server.

On the same server in the same run, each benchmark measures the *bare view*, ``GET
/health/`` (onboarding/health.py: a trivial view through the whole middleware stack, no
database), before and after its cases, and reports every figure as a ratio to it
(:func:`report`): requests per second over the bare view's, so that runs on different or
busy machines compare. Goals are reported (pass/fail in the table), never asserted; only
broken invariants fail a benchmark.

``BENCH_WRK_CPU`` pins ``wrk`` to one CPU with ``taskset`` (e.g. ``BENCH_WRK_CPU=1``);
unset, the kernel places it.
"""

import contextlib
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

LUA_SCRIPT = Path(__file__).parent / "lua" / "requests.lua"
BARE_VIEW = "/health/"
SECRET_KEY = "benchmark-only"
WORKERS = 4
THREADS = 4
# The bare view's measurement: connections and seconds, before and after a benchmark's cases.
BARE_CONNECTIONS = 16
BARE_SECONDS = int(os.environ.get("BENCH_BARE_SECONDS", "5"))


# --- Servers and data ----------------------------------------------------------------------


def database_create(url: str) -> None:
    """Make the PostgreSQL database ``url`` names if it does not exist yet."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def database_url(variable: str, name: str) -> str:
    """The benchmark's own PostgreSQL database (``variable`` or ``name`` on 127.0.0.1), made
    if missing; skips the benchmark when PostgreSQL does not answer."""
    url = os.environ.get(variable, f"postgres://postgres@127.0.0.1:5432/{name}")
    try:
        database_create(url)
    except Exception as error:  # no PostgreSQL here
        pytest.skip(f"this benchmark needs PostgreSQL at {url}: {error}")
    return url


def redis_url(variable: str, default: str) -> str:
    """The benchmark's Redis (``variable`` or ``default``); skips when it does not answer."""
    url = os.environ.get(variable, default)
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as error:
        pytest.skip(f"this benchmark needs Redis at {url}: {error}")
    return url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(static_root: str, *, database: str, redis: str) -> dict[str, str]:
    """The servers' environment: production settings on the benchmark's database and Redis
    (tests/perf/signup_rush_settings.py), mail kept in memory (no mail server here)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.perf.signup_rush_settings",
        "SIGNUP_RUSH_STATIC_ROOT": static_root,
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DB_POOL_MAX": "8",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONPATH": os.pathsep.join(
            p for p in [str(settings.BASE_DIR), os.environ.get("PYTHONPATH", "")] if p
        ),
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def prepare(env: dict[str, str]) -> None:
    """Migrate the benchmark's database and collect the static files, as a deploy does."""
    manage(env, "migrate", "--noinput")
    manage(env, "update_translation_fields")
    manage(env, "collectstatic", "--noinput")


def run_data(env: dict[str, str], module: str, *args: str) -> None:
    """Run a benchmark's data module (``python -m tests.perf.<module> ...``) on its database."""
    subprocess.run(
        [sys.executable, "-m", f"tests.perf.{module}", *args],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
    )


def wait_for_port(port: int, process: subprocess.Popen, log_path: Path, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(Path(log_path).read_text()[-3000:])
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server on port {port} did not start")
        time.sleep(0.1)


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log_path: Path) -> Iterator[int]:
    """gunicorn as production runs it (WORKERS gthread workers x THREADS); yields its port."""
    port = free_port()
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
            wait_for_port(port, process, log_path)
            yield port
        except Exception:
            print(Path(log_path).read_text()[-3000:])
            raise
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextlib.contextmanager
def static_root() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="velkommen-bench-static-") as folder:
        yield folder


# --- The load: wrk -------------------------------------------------------------------------


def wrk_binary() -> str:
    """Path of ``wrk``; skips the benchmark with what to do when it is not installed."""
    found = shutil.which("wrk")
    if found is None:
        pytest.skip("the benchmarks need wrk: `apt-get install wrk` (make bench installs it)")
    return found


@dataclass(frozen=True)
class Request:
    """One request a client makes: ``cookie`` is the Cookie header, ``body`` a POST's form."""

    method: str
    path: str
    cookie: str = ""
    body: str = ""

    def line(self) -> str:
        for part in (self.method, self.path, self.cookie, self.body):
            assert "\t" not in part and "\n" not in part, part
        return f"{self.method}\t{self.path}\t{self.cookie}\t{self.body}"


def session_cookie(session: str, csrf: str = "") -> str:
    return f"sessionid={session}" + (f"; csrftoken={csrf}" if csrf else "")


def people(sessions: Iterable[str]) -> list[dict[str, str]]:
    """Each logged-in session with a CSRF secret of its own: Django accepts the 32-character
    secret as both the ``csrftoken`` cookie and the form's token, so nobody needs to fetch a
    page for one first."""
    import secrets

    return [{"session": session, "csrf": secrets.token_hex(16)} for session in sessions]


def signup_post(person: dict[str, str], event_id: int, action: str) -> Request:
    """``person`` (their ``session`` and ``csrf`` secret) posting the event's ``action`` form
    (signup, cancel, claim) in English, as activities.js does."""
    return Request(
        "POST",
        f"/en/events/{event_id}/{action}/",
        session_cookie(person["session"], person["csrf"]),
        f"csrfmiddlewaretoken={person['csrf']}",
    )


def write_requests(requests: Iterable[Request], folder: Path | None = None) -> Path:
    """Write ``requests`` to a file for requests.lua; returns its path."""
    handle, name = tempfile.mkstemp(prefix="wrk-", suffix=".tsv", dir=folder)
    with os.fdopen(handle, "w") as out:
        for request in requests:
            out.write(request.line() + "\n")
    return Path(name)


@dataclass
class Run:
    """What one wrk run measured (latencies in milliseconds)."""

    label: str
    command: str
    requests: int
    seconds: float
    p50: float
    p90: float
    p95: float
    p99: float
    max: float
    statuses: dict[str, int] = field(default_factory=dict)
    codes: dict[str, int] = field(default_factory=dict)
    socket_errors: dict[str, int] = field(default_factory=dict)
    # A "once" run every request of which was answered. Its connections that had nothing
    # left to send sat idle meanwhile, and the server closing them shows as read errors.
    answered_all: bool = False

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def count(self, *statuses: int) -> int:
        return sum(self.statuses.get(str(status), 0) for status in statuses)

    @property
    def errors(self) -> int:
        """Answers other than 2xx/3xx, and connections lost or timed out."""
        bad = sum(n for status, n in self.statuses.items() if int(status) >= 400)
        lost = ("timeout",) if self.answered_all else ("connect", "read", "timeout")
        return bad + sum(self.socket_errors.get(k, 0) for k in lost)


def wrk_command(
    base_url: str,
    requests_file: Path,
    *,
    connections: int,
    seconds: float,
    once: bool = False,
    timeout: int = 30,
) -> list[str]:
    command = [
        wrk_binary(),
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        f"--timeout={timeout}s",
        "-s",
        str(LUA_SCRIPT),
        base_url,
        "--",
        str(requests_file),
        "once" if once else "cycle",
    ]
    cpu = os.environ.get("BENCH_WRK_CPU")
    if cpu and shutil.which("taskset"):
        command = ["taskset", "-c", cpu, *command]
    return command


def wrk_start(command: list[str]) -> subprocess.Popen:
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wrk_finish(process: subprocess.Popen, command: list[str], label: str) -> Run:
    """Read a wrk run to its end (interrupting it once a "once" run is answered)."""
    output = []
    answered_all = False
    assert process.stdout is not None
    for line in process.stdout:
        output.append(line)
        if line.startswith("WRK_DONE"):
            answered_all = True
            process.send_signal(signal.SIGINT)  # wrk stops now and reports the time taken
    process.wait()
    found = [line for line in output if line.startswith("WRK_JSON ")]
    if not found:
        raise RuntimeError(f"wrk gave no figures: {''.join(output)[-2000:]}")
    figures = json.loads(found[-1].removeprefix("WRK_JSON "))
    latency = {key: value / 1000 for key, value in figures["latency_us"].items()}
    # As one would type it from the project folder (the requests file is temporary).
    shown = [
        "REQUESTS.tsv" if part.endswith(".tsv") else part.replace(f"{settings.BASE_DIR}/", "")
        for part in command
        if part != "--"
    ]
    return Run(
        label=label,
        command=shlex.join(
            [Path(shown[0]).name if shown[0].endswith("wrk") else shown[0], *shown[1:]]
        ),
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        p50=latency["p50"],
        p90=latency["p90"],
        p95=latency["p95"],
        p99=latency["p99"],
        max=latency["max"],
        statuses=figures["statuses"],
        codes=figures["codes"],
        socket_errors=figures["errors"],
        answered_all=answered_all,
    )


def wrk(
    port_or_url: int | str,
    requests: Iterable[Request],
    *,
    label: str,
    connections: int = 16,
    seconds: float = 10,
    once: bool = False,
    folder: Path | None = None,
) -> Run:
    """Replay ``requests`` from ``connections`` keep-alive connections: for ``seconds``
    (cycling through them), or each once (``once``; ``seconds`` is then the limit, and a run
    that reaches it has lost answers: :attr:`Run.answered_all` is false)."""
    base = port_or_url if isinstance(port_or_url, str) else f"http://127.0.0.1:{port_or_url}"
    requests = list(requests)
    if not requests:
        return Run(label, "", 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    requests_file = write_requests(requests, folder)
    try:
        command = wrk_command(
            base, requests_file, connections=connections, seconds=seconds, once=once
        )
        return wrk_finish(wrk_start(command), command, label)
    finally:
        requests_file.unlink()


def bare_view(port_or_url: int | str, *, seconds: float = BARE_SECONDS) -> Run:
    """The bare view, ``GET /health/`` anonymously, from BARE_CONNECTIONS connections, after
    two seconds of warming up (every worker thread has answered it, and requests a case
    left queued, a slow page's, have been served)."""
    wrk(
        port_or_url,
        [Request("GET", BARE_VIEW)],
        label="warm",
        connections=BARE_CONNECTIONS,
        seconds=2,
    )
    return wrk(
        port_or_url,
        [Request("GET", BARE_VIEW)],
        label="bare view GET /health/",
        connections=BARE_CONNECTIONS,
        seconds=seconds,
    )


def combined(label: str, runs: list[Run]) -> Run:
    """Runs of the same thing (before and after) as one: summed requests and time; the worse
    latency figures."""
    return Run(
        label=label,
        command=runs[0].command,
        requests=sum(r.requests for r in runs),
        seconds=sum(r.seconds for r in runs),
        p50=max(r.p50 for r in runs),
        p90=max(r.p90 for r in runs),
        p95=max(r.p95 for r in runs),
        p99=max(r.p99 for r in runs),
        max=max(r.max for r in runs),
        statuses={k: sum(r.statuses.get(k, 0) for r in runs) for r in runs for k in r.statuses},
        codes={k: sum(r.codes.get(k, 0) for r in runs) for r in runs for k in r.codes},
        socket_errors={
            k: sum(r.socket_errors.get(k, 0) for r in runs) for r in runs for k in r.socket_errors
        },
    )


def bare_best(runs: list[Run]) -> Run:
    """The bare view's runs (before and after a benchmark's cases) as one baseline: the faster.

    A run can stall behind work the server still has queued, and a slower baseline would
    flatter every ratio; the faster run is the stricter one. The report names both rates.
    """
    best = max(runs, key=lambda run: run.per_second)
    rates = " and ".join(f"{run.per_second:.0f}/s" for run in runs)
    return replace(best, label=f"bare view (the faster of {rates})")


# --- The report ----------------------------------------------------------------------------


def quantile(values: Iterable[float], q: float) -> float | None:
    """The ``q`` quantile of ``values`` (nearest rank), None when there are none."""
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass
class Figure:
    """One reported figure: ``per_second`` against the bare view's, and/or a latency.

    ``minimum_ratio`` is a throughput goal (ratio to the bare view at least this);
    ``maximum_p95`` a latency goal in milliseconds; ``maximum_ratio`` a goal on a ratio
    given directly (``ratio``, for baselines other than the bare view).
    """

    name: str
    per_second: float | None = None
    p95: float | None = None
    ratio: float | None = None
    minimum_ratio: float | None = None
    maximum_ratio: float | None = None
    maximum_p95: float | None = None
    command: str = ""
    note: str = ""

    def ratio_to(self, bare: float | None) -> float | None:
        if self.ratio is not None:
            return self.ratio
        if self.per_second is None or not bare:
            return None
        return self.per_second / bare

    def goal(self) -> str:
        parts = []
        if self.minimum_ratio is not None:
            parts.append(f"ratio >= {self.minimum_ratio:g}")
        if self.maximum_ratio is not None:
            parts.append(f"ratio <= {self.maximum_ratio:g}")
        if self.maximum_p95 is not None:
            parts.append(f"p95 <= {self.maximum_p95:g} ms")
        return ", ".join(parts) or "-"

    def passed(self, bare: float | None) -> str:
        if self.goal() == "-":
            return ""
        ratio = self.ratio_to(bare)
        ok = True
        if self.minimum_ratio is not None:
            ok &= ratio is not None and ratio >= self.minimum_ratio
        if self.maximum_ratio is not None:
            ok &= ratio is not None and ratio <= self.maximum_ratio
        if self.maximum_p95 is not None:
            ok &= self.p95 is not None and self.p95 <= self.maximum_p95
        return "pass" if ok else "MISSED"


def pytest_command(path: str, env: str = "") -> str:
    """The command that reproduces a benchmark."""
    return (f"{env} " if env else "") + (
        f".venv/bin/python -m pytest {path} -m bench -s -p no:randomly"
    )


def report(title: str, bare: Run | None, figures: list[Figure], reproduce: str) -> str:
    """A table: figure, requests/s, p95, ratio to the bare view, goal, pass/fail, command."""
    bare_rate = bare.per_second if bare else None
    lines = ["", title]
    if bare is not None:
        lines.append(
            f"  {bare.label} (GET /health/, same server, same run): {bare.per_second:.0f}/s,"
            f" p95 {bare.p95:.1f} ms  [{bare.command}]"
        )
    lines.append(
        f"  {'figure':<46}{'req/s':>9}{'p95 ms':>9}{'ratio':>8}  {'goal':<26}{'result':<8}"
    )
    for figure in figures:
        ratio = figure.ratio_to(bare_rate)
        lines.append(
            f"  {figure.name:<46}"
            + (f"{figure.per_second:>9.1f}" if figure.per_second is not None else f"{'':>9}")
            + (f"{figure.p95:>9.1f}" if figure.p95 is not None else f"{'':>9}")
            + (f"{ratio:>8.3f}" if ratio is not None else f"{'':>8}")
            + f"  {figure.goal():<26}{figure.passed(bare_rate):<8}"
            + (f" {figure.note}" if figure.note else "")
        )
        if figure.command:
            lines.append(f"      load: {figure.command}")
    lines.append(f"  reproduce: {reproduce}")
    lines.append(f"  load average at the end: {os.getloadavg()[0]:.1f} (a shared machine is noisy)")
    text = "\n".join(lines)
    print(text)
    results = os.environ.get("BENCH_RESULTS")
    if results:
        with open(results, "a") as out:
            out.write(text + "\n")
    return text
