"""The test databases: one template migrated and seeded once, one copy per test worker.

Migrating takes most of a minute and seeding the test site a second or two, so
neither happens per worker or per run. The template's name carries a
fingerprint of everything that shapes its contents (the migrations, the test
site's builder, the installed packages); a change to any of them builds a new
one, and a run finds the last one it can reuse. With ``CI`` set, the first
worker of a run builds it anew all the same, so CI always starts clean.

Each worker (pytest-xdist's ``gw0``, ``gw1``, ...; or the single process) gets
its own copy under a stable name: a file copy on SQLite, ``CREATE DATABASE ...
TEMPLATE`` on PostgreSQL. Workers build the template in turn under a file lock.

After a transactional test (which commits, and is flushed), the starting data
comes back: on SQLite by copying the template in (``restore``), on PostgreSQL
through Django's serialized rollback.
"""

import fcntl
import hashlib
import os
import shutil
import sqlite3
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
    packages = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
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


def _template(engine, name, make):
    """Make the template ``name`` with ``make(new_name)`` unless it exists; under the lock.

    With ``CI`` set, the first worker of a run makes it anew all the same.
    Templates of the same kind and another version are removed.
    """
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))
    kind = Path(name).name.split("-")[2] if engine.sqlite else name.rsplit("_", 2)[1]
    stamp = ROOT / f".test-db-{kind}.run"
    fresh_for_ci = os.environ.get("CI") and (
        not stamp.exists() or stamp.read_text() != f"{name} {run}"
    )
    if fresh_for_ci or not engine.exists(name):
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
    stamp.write_text(f"{name} {run}")


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
        _template(engine, template, lambda building: _build(engine, building, seed))
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
def demo(seed, version):
    """This worker's connection on its own copy of the demo database for the block.

    The demo template is the test template with ``seed`` run in it (the whole
    demo takes most of a minute to seed), made once per ``version`` (the
    demo's fingerprint: its sources and the day) and per test template; with
    ``CI`` set, once per run. For modules without transactional tests: the
    starting data a transactional test gets back is the test template's.
    """
    engine, worker, template = _state["engine"], _state["worker"], _state["template"]
    name = engine.template_name(worker, kind="demo", version=version[:12])
    copy = f"{worker}-demo" if engine.sqlite else f"{worker}_demo"

    def make(building):
        engine.copy(template, building)
        engine.use(building)
        seed()
        engine.release()

    with _locked():
        _template(engine, name, make)
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
