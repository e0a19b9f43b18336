"""seed_demo seeds a database once a day per version of the demo, unless forced."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from cms.management.commands import seed_demo
from onboarding.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db

RUNS = []
# The demo's own steps, before the fixture below puts a cheap one in their place.
DEMO_STEPS = seed_demo.SEED_STEPS


def counting_step():
    """A stand-in for the demo's steps: seeding the whole demo takes most of a minute."""
    RUNS.append(1)


@pytest.fixture(autouse=True)
def _one_cheap_step(monkeypatch):
    RUNS.clear()
    step = seed_demo.Step("Counting", f"{__name__}.counting_step", "runs", lambda _result: 1)
    monkeypatch.setattr(seed_demo, "SEED_STEPS", [step])


def _seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_a_second_run_the_same_day_seeds_nothing_and_still_lists_the_accounts():
    first = _seed()
    second = _seed()
    assert len(RUNS) == 1
    assert "[1/1] Counting: 1 runs" in first
    assert "Demo content is up to date" in second
    for output in (first, second):
        assert all(account["email"] in output for account in DEMO_ACCOUNTS)
        assert DEMO_PASSWORD in output


def test_force_seeds_again():
    _seed()
    _seed("--force")
    assert len(RUNS) == 2


def test_the_next_day_seeds_again(monkeypatch):
    _seed()
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(seed_demo.timezone, "localdate", lambda: tomorrow)
    _seed()
    assert len(RUNS) == 2


def test_a_changed_demo_seeds_again(monkeypatch):
    _seed()
    monkeypatch.setattr(seed_demo, "fingerprint", lambda: "another version")
    _seed()
    assert len(RUNS) == 2


def test_the_fingerprint_covers_the_demo_data_files(monkeypatch):
    monkeypatch.setattr(seed_demo, "SEED_STEPS", DEMO_STEPS)
    files = seed_demo.demo_files()
    names = {(path.parent.name, path.name) for path in files}

    assert {("units", "demo.toml"), ("units", "demo.py"), ("cms", "demo_data.py")} <= names
    data_files = [path for path in files if path.suffix == ".toml"]
    assert len(data_files) == len(DEMO_STEPS)
