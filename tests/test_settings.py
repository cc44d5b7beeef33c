"""Settings read the environment strictly and refuse an insecure production start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent


def _start(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=PROJECT,
        env={**env, "DJANGO_SETTINGS_MODULE": "digitrack.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_on_the_default_secret_key():
    result = _start({"DEBUG": "False"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _start({"DEBUG": "False", "SECRET_KEY": "too-short", "ALLOWED_HOSTS": "digitrack.example"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_misspelt_debug_value_stops_start_up():
    result = _start({"DEBUG": "ture"})
    assert result.returncode != 0
    assert "DEBUG must be True or False" in result.stderr


def test_production_starts_with_a_long_secret_key_and_secure_cookies():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)",
        ],
        cwd=PROJECT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "digitrack.settings",
            "DEBUG": "False",
            "SECRET_KEY": "x" * 64,
            "ALLOWED_HOSTS": "digitrack.example",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True"]


@pytest.mark.parametrize("value", ["", "sqlite:///db.sqlite3"])
def test_embedded_default_needs_no_server(value):
    env = {"DATABASE_URL": value} if value else {}
    env_all = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)",
        ],
        cwd=PROJECT,
        env={**env_all, **env, "DJANGO_SETTINGS_MODULE": "digitrack.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]


def test_a_negative_trusted_proxy_count_stops_start_up():
    result = _start({"TRUSTED_PROXY_COUNT": "-1"})
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be 0 or more" in result.stderr
