"""Health endpoints for load balancers and orchestrators: no sign-in, no secrets in the answer.

/healthz says the process is up and answering. /readyz says it can serve: PostgreSQL and
Redis answer and no migration is waiting. A fault names the check and the kind of error;
the detail goes to the log, never to the anonymous caller.
"""

import logging

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

REDIS_TIMEOUT_SECONDS = 2


def database_check() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok"}


def migrations_check() -> dict:
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        return {"status": "fault", "error": "unapplied migrations", "unapplied": len(pending)}
    return {"status": "ok"}


def redis_check() -> dict:
    if not settings.REDIS_URL:
        # The embedded default: cache in memory, tasks in-process; nothing to reach.
        return {"status": "ok", "detail": "not configured"}
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    finally:
        client.close()
    return {"status": "ok"}


def pooled_connections_check() -> None:
    """Test the connections this process's database pool holds and replace the dead ones. Called
    when a request has lost its connection (PostgreSQL restarted), so that it is the only request
    to fail, instead of testing a connection before every request (settings: CONN_HEALTH_CHECKS)."""
    pool = getattr(connection, "pool", None)  # only PostgreSQL's backend, with pooling on, has one
    if pool is not None and not pool.closed:
        pool.check()


def _run(name: str, check, errors: tuple[type[Exception], ...]) -> dict:
    try:
        return check()
    except errors as error:
        logger.warning("readiness check %s failed: %s", name, error)
        return {"status": "fault", "error": type(error).__name__}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _run("database", database_check, (DatabaseError,))}
    if checks["database"]["status"] == "ok":
        checks["migrations"] = _run("migrations", migrations_check, (DatabaseError,))
    else:
        checks["migrations"] = {"status": "unknown", "error": "database unavailable"}
    checks["redis"] = _run("redis", redis_check, (redis.RedisError, OSError))
    ready = all(check["status"] == "ok" for check in checks.values())
    return JsonResponse({"status": "ok" if ready else "fault", "checks": checks}, status=200 if ready else 503)


# Load balancers call these often and without cookies: the log context skips the session.
healthz.skips_user_lookup = True
readyz.skips_user_lookup = True
