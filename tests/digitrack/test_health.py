"""/healthz and /readyz: JSON, no sign-in, a 503 naming the failed check, no secrets."""

import pytest
from django.db import OperationalError, connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db

CLOSED_PORT_REDIS = "redis://:not-for-your-eyes@127.0.0.1:1/0"


def test_healthz_answers_ok_without_sign_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_ok_when_database_redis_and_migrations_are(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "migrations": "ok",
        "redis": "ok",
    }


def test_readyz_reports_redis_down_with_503_and_no_url(client, settings):
    settings.REDIS_URL = CLOSED_PORT_REDIS
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fault"
    assert body["checks"]["redis"] == {"status": "fault", "error": "ConnectionError"}
    assert body["checks"]["database"]["status"] == "ok"
    assert "not-for-your-eyes" not in response.content.decode()
    assert "127.0.0.1" not in response.content.decode()


def test_readyz_reports_unapplied_migrations(client, monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("milestones.9999", False)])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {
        "status": "fault",
        "error": "unapplied migrations",
        "unapplied": 1,
    }


def test_readyz_reports_database_down_without_its_message(client):
    def unreachable(execute, sql, params, many, context):
        raise OperationalError('connection to server at "db.internal" (10.1.2.3), port 5432 failed')

    with connection.execute_wrapper(unreachable):  # every query fails, as with PostgreSQL away
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"] == {"status": "fault", "error": "OperationalError"}
    assert body["checks"]["migrations"]["status"] == "unknown"
    assert "db.internal" not in response.content.decode()


def test_readyz_refuses_post(client):
    assert client.post("/readyz").status_code == 405
