"""The suite in parallel (pytest-xdist, `make test`): each worker process its own Redis database.

pytest-django already gives each worker its own test database (test_digitrack_gw0, _gw1, ...).
Redis is shared, and a worker emptying the cache or purging Celery's queue after its test would
empty the other's mid-test: so worker N uses the database N below the one REDIS_URL names (gw0
REDIS_URL's own, gw1 the one below it). Loaded with `-p tests.parallel`, before pytest-django
imports the settings that read REDIS_URL."""

import os
import re


def worker_redis_url(url: str, worker: str) -> str:
    """REDIS_URL for an xdist worker ("gw1"): its database number moved down by the worker's."""
    offset = int(worker.removeprefix("gw"))
    match = re.fullmatch(r"(?P<server>redis://[^/]+)(?:/(?P<db>\d+))?", url)
    if match is None:
        raise ValueError(f"REDIS_URL {url!r} is not redis://host:port/db, which the parallel suite needs")
    db = int(match["db"] or 0) - offset
    if db < 0:
        raise ValueError(f"REDIS_URL {url!r} leaves no Redis database for worker {worker}: name one above {offset - 1}")
    return f"{match['server']}/{db}"


if os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = worker_redis_url(os.environ["REDIS_URL"], os.environ["PYTEST_XDIST_WORKER"])
