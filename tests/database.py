"""The test databases: templates made once, one copy per test worker.

Migrating takes most of a minute and seeding the demo most of another, so
neither happens per worker or per run. There are two templates: the test
template (migrated, with the tests' own site) and the demo template (the test
template with the whole demo seeded, for the demo's own tests). A template's
name carries a fingerprint of everything that shapes its contents (the
migrations, the test site's builder, the installed packages; for the demo, its
sources and the day); a change to any of them makes a new one, and a run finds
the last one it can reuse.

``make test`` makes both before pytest starts (``tests/prepare.py``), beside
the demo database for ``make run``, so that a fresh clone uses both cores for
it; with ``CI`` set it makes them anew, so CI always starts clean. A worker
that finds one missing (pytest run on its own) makes it under a file lock.

Each worker (pytest-xdist's ``gw0``, ``gw1``, ...; or the single process) gets
its own copy under a stable name: a file copy on SQLite, ``CREATE DATABASE ...
TEMPLATE`` on PostgreSQL.

After a transactional test (which commits, and is flushed), the starting data
comes back: on SQLite by copying the template in (``restore``), on PostgreSQL
through Django's serialized rollback.
"""

import fcntl
import hashlib
import os
import shutil
import sqlite3
import time
from contextlib import contextmanager
from importlib import metadata
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections

ALIAS = "default"
ROOT = Path(settings.BASE_DIR)
LOCK = ROOT / ".test-db.lock"
# What a template's contents depend on besides the migrations.
SEED_SOURCES = [Path(__file__), Path(__file__).parent / "cms" / "factories.py"]


def fingerprint():
    """A short hash of the migrations, the test site's builder and the installed packages."""
    digest = hashlib.sha256()
    for base in ("onboarding", "cms"):
        for path in sorted((ROOT / base).rglob("migrations/*.py")):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    for path in SEED_SOURCES:
        digest.update(path.read_bytes())
    # A set: under pytest the project itself is found more than once on the path.
    packages = sorted({f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()})
    digest.update("\n".join(packages).encode())
    digest.update(settings.DATABASES[ALIAS]["ENGINE"].encode())
    return digest.hexdigest()[:12]


@contextmanager
def _locked():
    with open(LOCK, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class _Engine:
    """What differs between SQLite and PostgreSQL: where a database lives and how it is copied."""

    def __init__(self, connection):
        self.connection = connection
        self.sqlite = connection.vendor == "sqlite"

    def template_name(self, worker_name, kind="template", version=""):
        """A template's name: its kind, the fingerprint and any version of what was added to it."""
        version = f"{fingerprint()}{version}"
        if self.sqlite:
            return str(ROOT / f".test-db-{kind}-{version}.sqlite3")
        return f"{worker_name.split('_gw')[0]}_{kind}_{version}"

    def exists(self, name):
        if self.sqlite:
            return Path(name).exists()
        with self.connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None

    def drop(self, name):
        self.release()
        if self.sqlite:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{name}{suffix}").unlink(missing_ok=True)
            return
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def copy(self, source, target):
        self.drop(target)
        if self.sqlite:
            shutil.copyfile(source, target)
            return
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')

    def stale_templates(self, current):
        """Templates of the same kind and other versions, to remove once a new one is built."""
        if self.sqlite:
            family = Path(current).name.rsplit("-", 1)[0]
            return [str(p) for p in ROOT.glob(f"{family}-*.sqlite3") if str(p) != current]
        prefix = current.rsplit("_", 1)[0] + "_"
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
                [prefix.replace("_", r"\_") + "%", current],
            )
            return [row[0] for row in cursor.fetchall()]

    def release(self):
        """Close this process's connections, pooled ones included, so a database can be copied."""
        self.connection.close()
        # Asking for ``connection.pool`` would make one: look in the class's registry.
        if not self.sqlite and ALIAS in type(self.connection)._connection_pools:
            self.connection.close_pool()

    def use(self, name):
        self.release()
        settings.DATABASES[ALIAS]["NAME"] = name
        self.connection.settings_dict["NAME"] = name


def _build(engine, name, seed):
    """Migrate a new database called ``name`` and run ``seed`` in it."""
    engine.drop(name)
    if engine.sqlite:
        Path(name).touch()
    else:
        with engine.connection._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    engine.use(name)
    # wagtail-modeltranslation's migrate prints what it adds whatever the verbosity.
    call_command(
        "migrate",
        verbosity=0,
        interactive=False,
        database=ALIAS,
        run_syncdb=True,
        stdout=StringIO(),
    )
    seed()
    engine.release()


def _template(engine, name, make, *, rebuild=False):
    """Make the template ``name`` with ``make(new_name)`` if it is missing (or ``rebuild``).

    Call under the lock. Templates of the same kind and another version are
    removed. Returns whether it was made.
    """
    if not rebuild and engine.exists(name):
        return False
    building = f"{name}-building" if engine.sqlite else f"{name}_building"
    make(building)
    engine.drop(name)
    if engine.sqlite:
        os.replace(building, name)
    else:
        with engine.connection._nodb_cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    for stale in engine.stale_templates(name):
        engine.drop(stale)
    return True


def demo_seed():
    """What the demo template adds to the test template: the whole demo, as ``make run`` has it."""
    call_command("seed_demo", stdout=StringIO())


def demo_version():
    """The demo's fingerprint: its sources and the day (it seeds dates relative to today)."""
    from cms.management.commands.seed_demo import fingerprint

    return fingerprint()[:12]


def _builder(engine, seed):
    """Make a template: migrate a new database and run ``seed`` in it."""
    return lambda building: _build(engine, building, seed)


def _demo_builder(engine, template, seed):
    """Make the demo template: copy the test template and run ``seed`` in it."""

    def make(building):
        engine.copy(template, building)
        engine.use(building)
        seed()
        engine.release()

    return make


def prepare(seed, *, rebuild=False, demo=True):
    """Make the test template and the demo template before the tests start (``tests/prepare.py``).

    ``rebuild`` makes them anew even if they exist, as CI does; ``demo=False``
    leaves the demo template out. Returns the kinds made (``"template"``,
    ``"demo"``) with the seconds each took.
    """
    connection = connections[ALIAS]
    engine = _Engine(connection)
    original = connection.settings_dict["NAME"]
    worker = connection.creation._get_test_db_name()
    template = engine.template_name(worker)
    demo_template = engine.template_name(worker, kind="demo", version=demo_version())
    made = []
    with _locked():
        steps = [("template", template, _builder(engine, seed))]
        if demo:
            steps.append(("demo", demo_template, _demo_builder(engine, template, demo_seed)))
        for kind, name, make in steps:
            started = time.monotonic()
            if _template(engine, name, make, rebuild=rebuild):
                made.append((kind, time.monotonic() - started))
    engine.use(original)
    return made


def setup(seed):
    """Point the default connection at this worker's fresh copy of the template.

    ``seed`` fills a newly migrated template; ``teardown`` undoes the rest.
    """
    connection = connections[ALIAS]
    engine = _Engine(connection)
    original = connection.settings_dict["NAME"]
    worker = connection.creation._get_test_db_name()
    template = engine.template_name(worker)
    with _locked():
        _template(engine, template, _builder(engine, seed))
        engine.copy(template, worker)
    engine.use(worker)
    if engine.sqlite:
        # ``restore`` puts the template back after each transactional test, so
        # serialized rollback has nothing to reload.
        connection._test_serialized_contents = "[]"
    else:
        # What serialized rollback reloads after a transactional test's flush.
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    _state.update(engine=engine, template=template, original=original, worker=worker)


# This process's engine, template, worker database and the name it replaced.
_state = {}


@contextmanager
def demo():
    """This worker's connection on its own copy of the demo database for the block.

    The demo template is the test template with the whole demo seeded in it
    (``demo_seed``: most of a minute), made once per version of the demo
    (``demo_version``: its sources and the day) and per test template
    (``prepare`` makes it first). For modules without transactional tests: the
    starting data a transactional test gets back is the test template's.
    """
    engine, worker = _state["engine"], _state["worker"]
    name = engine.template_name(worker, kind="demo", version=demo_version())
    copy = f"{worker}-demo" if engine.sqlite else f"{worker}_demo"
    with _locked():
        _template(engine, name, _demo_builder(engine, _state["template"], demo_seed))
        engine.copy(name, copy)
    engine.use(copy)
    try:
        yield
    finally:
        engine.use(worker)
        engine.drop(copy)


def restores_by_copy():
    """Whether ``restore`` puts the starting data back (SQLite), so nothing needs reloading."""
    return "engine" in _state and _state["engine"].sqlite


def restore():
    """Put the template's contents back into this worker's database after a transactional test.

    On SQLite, the backup API copies the template's pages into the open
    database in milliseconds; reloading the same rows through the ORM
    (serialized rollback) takes most of a second. Other connections, such as
    the browser tests' server threads, see the restored contents at once.
    """
    engine, template = _state["engine"], _state["template"]
    engine.connection.close()
    engine.connection.ensure_connection()
    source = sqlite3.connect(template)
    try:
        source.backup(engine.connection.connection)
    finally:
        source.close()


def teardown():
    engine, original = _state["engine"], _state["original"]
    engine.drop(_state["worker"])
    _state.clear()
    settings.DATABASES[ALIAS]["NAME"] = original
    engine.connection.settings_dict["NAME"] = original
