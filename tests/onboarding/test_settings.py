"""Production settings: refuse to start half-configured, and pass Django's deployment checks."""

import io
import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


# One Django start for both checks of production: its deployment checks, then the settings
# the checks do not cover.
PRODUCTION_CHECKS = """
from django.conf import settings
from django.core.management import call_command
call_command("check", deploy=True, fail_level="WARNING")
print("trusted proxies:", settings.ALLAUTH_TRUSTED_PROXY_COUNT)
"""


def test_production_passes_check_deploy_and_reads_the_client_behind_one_proxy():
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        PRODUCTION_CHECKS,
        DJANGO_SETTINGS_MODULE="onboarding.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="velkommen.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert "trusted proxies: 1" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing, monkeypatch):
    # The settings module run afresh in this process (a Django start per case took seconds).
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(64))
    monkeypatch.setenv("ALLOWED_HOSTS", "velkommen.example.org")
    monkeypatch.delenv(missing)
    with pytest.raises(ImproperlyConfigured, match=f"{missing} must be set in production"):
        runpy.run_module("onboarding.settings.production", run_name="production_settings")


def test_models_and_migrations_agree(db):
    out = io.StringIO()
    try:
        call_command(
            "makemigrations", check=True, dry_run=True, interactive=False, stdout=out, stderr=out
        )
    except SystemExit as exit:
        pytest.fail(f"makemigrations --check found changes (exit {exit.code}):\n{out.getvalue()}")
