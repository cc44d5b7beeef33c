"""The production shape: compose file, documented settings, deploy checks, HTTPS behind a proxy."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

PROJECT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "False",
    "SECRET_KEY": "d9Jq2-vX7_mP4kLr8sT1wZ6yB3nC5hF0gE2aR7uI9oK4jM1qW8tY6",
    "ALLOWED_HOSTS": "digitrack.example.nhs.uk",
}


def _production_environ() -> dict:
    # The suite allows async-unsafe calls for playwright; a deployment never does.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**inherited, **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "digitrack.settings"}


def _production(code: str, **environ: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env={**_production_environ(), **environ},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _compose_command() -> list[str] | None:
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_every_setting_read_from_the_environment_is_documented_in_env_example():
    settings_source = (PROJECT / "digitrack" / "settings.py").read_text()
    read = set(re.findall(r'(?:env\.\w+|_strict_bool)\(\s*"([A-Z0-9_]+)"', settings_source))
    documented = set(re.findall(r"^#? ?([A-Z0-9_]+)=", (PROJECT / ".env.example").read_text(), re.MULTILINE))
    assert read, "no settings found: has settings.py stopped using env?"
    assert read - documented == set()


def test_compose_file_is_valid_with_the_example_env(tmp_path):
    compose = _compose_command()
    if compose is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    shutil.copy(PROJECT / "docker-compose.yml", tmp_path)
    example = (PROJECT / ".env.example").read_text()
    (tmp_path / ".env").write_text(example.replace("POSTGRES_PASSWORD=\n", "POSTGRES_PASSWORD=example\n"))
    result = subprocess.run([*compose, "config"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    for service in ("postgres:", "redis:", "web:", "worker:", "beat:"):
        assert f"  {service}" in result.stdout
    assert result.stdout.count("healthcheck:") == 5
    assert result.stdout.count("restart: unless-stopped") == 5
    assert "pgdata:/var/lib/postgresql/data" in result.stdout
    assert "evidence:/app/media" in result.stdout
    assert "/readyz" in result.stdout


def test_compose_refuses_to_start_without_a_database_password(tmp_path):
    compose = _compose_command()
    if compose is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    shutil.copy(PROJECT / "docker-compose.yml", tmp_path)
    shutil.copy(PROJECT / ".env.example", tmp_path / ".env")
    result = subprocess.run([*compose, "config", "-q"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "POSTGRES_PASSWORD" in result.stderr


def test_deploy_check_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=_production_environ(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_behind_a_tls_proxy_requests_are_secure_with_hsts_and_secure_cookies(tmp_path):
    result = _production(
        "import django; django.setup()\n"
        # Pages need the hashed static files, as in the image (Dockerfile runs collectstatic).
        "from django.conf import settings; from django.core.management import call_command\n"
        f"settings.STATIC_ROOT = {str(tmp_path)!r}; call_command('collectstatic', '--no-input', '-v0')\n"
        "from django.test import Client\n"
        "from django.test.utils import setup_test_environment; setup_test_environment()\n"
        "client = Client(HTTP_HOST='digitrack.example.nhs.uk')\n"
        "plain = client.get('/admin/login/')\n"
        "print('plain', plain.status_code, plain.get('Location'))\n"
        "proxied = client.get('/admin/login/', HTTP_X_FORWARDED_PROTO='https')\n"
        "print('proxied', proxied.status_code, proxied.get('Strict-Transport-Security'))\n"
        "print('cookie', proxied.cookies['csrftoken']['secure'])\n"
        "health = client.get('/healthz')\n"
        "print('health', health.status_code)\n"
        "missing = client.get('/no-such-page/', HTTP_X_FORWARDED_PROTO='https')\n"
        "print('missing', missing.status_code, 'Page not found' in missing.content.decode())\n"
    )
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert lines["plain"] == "301 https://digitrack.example.nhs.uk/admin/login/"
    assert lines["proxied"] == "200 max-age=31536000; includeSubDomains; preload"
    assert lines["cookie"] == "True"
    assert lines["health"] == "200"
    assert lines["missing"] == "404 True"


def test_health_endpoints_answer_plain_http_without_a_redirect_under_production_settings(db):
    from django.db import connection

    # The test database (migrated by pytest-django) and the run's Redis, so /readyz can be ok.
    database = connection.settings_dict
    credentials = quote(database["USER"]) + (f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else "")
    database_url = f"postgres://{credentials}@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}"
    result = _production(
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "from django.test.utils import setup_test_environment; setup_test_environment()\n"
        "client = Client(HTTP_HOST='digitrack.example.nhs.uk')\n"
        "for path in ('/healthz', '/readyz', '/admin/login/'):\n"
        "    response = client.get(path)\n"
        "    print(path, response.status_code, response.get('Location'), response.content.decode()[:200])\n",
        DATABASE_URL=database_url,
    )
    assert result.returncode == 0, result.stderr
    answers = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert answers["/healthz"].startswith("200 None")
    assert answers["/readyz"].startswith('200 None {"status": "ok"')
    assert answers["/admin/login/"] == "301 https://digitrack.example.nhs.uk/admin/login/ "


def _our_packages() -> list[str]:
    return sorted(path.parent.name for path in PROJECT.glob("*/apps.py"))


def test_the_image_and_the_package_carry_every_app():
    """A new app left out of the Dockerfile or pyproject's packages works in a checkout and fails in
    production (the image would not hold it; an installed package would lack it)."""
    dockerfile = (PROJECT / "Dockerfile").read_text()
    pyproject = (PROJECT / "pyproject.toml").read_text()
    assert {"digitrack", "trusts", "milestones", "dashboards"} <= set(_our_packages())
    for package in _our_packages():
        assert f"COPY {package} {package}\n" in dockerfile, package
        assert f"COPY {package}/__init__.py {package}/__init__.py\n" in dockerfile, package
        assert f'"{package}*"' in pyproject, package
