"""Where a request's time goes: pyinstrument over the bare view and two pages, in process.

``python -m tests.perf.profile_requests`` (from the project folder; nothing else to start)
uses the plan benchmark's database and data (tests/perf/plan_page_data.py, made again), the
benchmarks' production settings (tests/perf/signup_rush_settings.py) with static files
collected once into a temporary folder, and Django's test ``Client``, which runs the whole
middleware stack without a server. For each case it makes ``--requests`` requests after a
warm-up, under pyinstrument, and prints the mean time per request and the call tree (frames
under ``--min-share`` of the time left out) and the ``--top`` functions by their total time;
``--html FOLDER`` also writes each profile as
HTML. Cases: the bare view ``GET /health/``, the information page anonymously (the page
cache) and logged in (the reader page cache), and the 40-item arrival plan.

``PLAN_BENCH_DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/velk_bench_arrival_plan)
and ``PLAN_BENCH_REDIS_URL`` (default redis://127.0.0.1:6379/8) as for the plan benchmark.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATIC_ROOT = Path(tempfile.gettempdir()) / "velkommen-profile-static"


def _environment():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.perf.signup_rush_settings")
    os.environ.setdefault("SIGNUP_RUSH_STATIC_ROOT", str(STATIC_ROOT))
    os.environ.setdefault(
        "DATABASE_URL",
        os.environ.get(
            "PLAN_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/velk_bench_arrival_plan"
        ),
    )
    os.environ.setdefault(
        "REDIS_URL", os.environ.get("PLAN_BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
    )
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")


def _prepare():
    """Migrate, collect the static files (once), and make the plan benchmark's data."""
    from tests.perf.loadgen import database_create

    database_create(os.environ["DATABASE_URL"])
    manage = [sys.executable, "manage.py"]
    for args in (["migrate", "--noinput"], ["update_translation_fields"]):
        subprocess.run([*manage, *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    if not (STATIC_ROOT / "staticfiles.json").exists():
        subprocess.run(
            [*manage, "collectstatic", "--noinput"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL
        )
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "plan.json"
        subprocess.run(
            [sys.executable, "-m", "tests.perf.plan_page_data", str(out)], cwd=ROOT, check=True
        )
        return json.loads(out.read_text())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--min-share", type=float, default=2.0, help="percent of the time")
    parser.add_argument("--top", type=int, default=45, help="lines of the flat listing")
    parser.add_argument("--html", type=Path, help="write each profile as HTML here")
    args = parser.parse_args()
    _environment()
    data = _prepare()

    import django

    django.setup()
    from django.test import Client
    from pyinstrument import Profiler
    from pyinstrument.renderers import ConsoleRenderer

    anonymous, student = Client(), Client()
    student.cookies["sessionid"] = data["session"]
    cases = {
        "bare view GET /health/": (anonymous, "/health/"),
        "information page, anonymous (page cache)": (anonymous, data["information"]),
        "information page, logged in": (student, data["information"]),
        "arrival plan, 40 items, logged in": (student, data["plan"]),
    }
    options = {
        "filter_threshold": args.min_share / 100,
        # Django's middleware, sessions, auth, Wagtail and our code stay visible.
        "show_regex": r"django/(middleware|contrib|core/handlers|template)|wagtail|onboarding|cms",
    }
    tree = ConsoleRenderer(
        unicode=True, color=False, time="percent_of_total", processor_options=options
    )
    # Every function by its total time (itself and what it calls): the middleware's share.
    flat = ConsoleRenderer(
        unicode=True,
        color=False,
        flat=True,
        flat_time="total",
        time="percent_of_total",
        processor_options=options,
    )
    summary = []
    for name, (client, path) in cases.items():
        for _ in range(20):
            assert client.get(path).status_code == 200, (name, path)
        profiler = Profiler(interval=0.0002)
        began = time.perf_counter()
        profiler.start()
        for _ in range(args.requests):
            client.get(path)
        profiler.stop()
        mean = (time.perf_counter() - began) / args.requests * 1000
        summary.append((name, path, mean))
        print(f"\n===== {name}: {path}, {mean:.2f} ms per request (under the profiler)")
        print(profiler.output(tree))
        print("\n".join(profiler.output(flat).splitlines()[: args.top]))
        if args.html:
            args.html.mkdir(parents=True, exist_ok=True)
            slug = "".join(c if c.isalnum() else "-" for c in name)
            (args.html / f"{slug}.html").write_text(profiler.output_html())
    print("\nMean time per request, in process (test Client, under the profiler):")
    bare = summary[0][2]
    for name, path, mean in summary:
        print(f"  {name:<44}{mean:8.2f} ms  {mean / bare:5.1f}x the bare view  {path}")


if __name__ == "__main__":
    main()
