"""Production settings: refuse to start half-configured, and pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

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
def test_production_refuses_to_start_without(missing):
    env = {
        "DJANGO_SETTINGS_MODULE": "onboarding.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "velkommen.example.org",
    }
    del env[missing]
    result = _manage("check", **env)
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


def test_models_and_migrations_agree():
    result = _manage(
        "makemigrations",
        "--check",
        "--dry-run",
        "--noinput",
        DJANGO_SETTINGS_MODULE="onboarding.settings.test",
    )
    assert result.returncode == 0, result.stdout + result.stderr
