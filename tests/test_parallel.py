import os

import pytest
from django.conf import settings

from tests.parallel import worker_redis_url


@pytest.mark.parametrize(
    ("url", "worker", "expected"),
    [
        ("redis://127.0.0.1:6379/15", "gw0", "redis://127.0.0.1:6379/15"),
        ("redis://127.0.0.1:6379/15", "gw1", "redis://127.0.0.1:6379/14"),
        ("redis://cache:6380/9", "gw3", "redis://cache:6380/6"),
        ("redis://127.0.0.1:6379", "gw0", "redis://127.0.0.1:6379/0"),
    ],
)
def test_each_worker_has_its_own_redis_database(url, worker, expected):
    assert worker_redis_url(url, worker) == expected


def test_too_low_a_database_for_the_workers_is_refused():
    with pytest.raises(ValueError, match="no Redis database for worker gw2"):
        worker_redis_url("redis://127.0.0.1:6379/1", "gw2")


def test_a_url_with_options_is_refused_rather_than_shared():
    with pytest.raises(ValueError, match="redis://host:port/db"):
        worker_redis_url("redis://127.0.0.1:6379/15?socket_timeout=1", "gw1")


@pytest.mark.skipif(
    not (os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get("REDIS_URL")),
    reason="runs in a parallel suite on Redis (make test)",
)
def test_the_settings_were_read_after_this_worker_had_its_own_database():
    """The plugin ran before pytest-django imported the settings (a worker other than gw0 would
    otherwise cache and queue in gw0's database)."""
    assert os.environ["REDIS_URL"] == settings.REDIS_URL
    assert settings.CACHES["default"]["LOCATION"] == settings.CELERY_BROKER_URL == settings.REDIS_URL
