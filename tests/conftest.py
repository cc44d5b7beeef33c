"""Fixtures shared by the whole suite. Tests run against PostgreSQL and Redis (see Makefile)."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM is used
# beside it only by the test itself, never concurrently.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests run last: a live-server test empties the database when it ends (the groups and
    targets the migrations seed included), and pytest's grouping by the browser parameter can
    otherwise put them before database tests."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Evidence files of a test go to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def redis_outage(settings):
    """Take Redis away and bring it back within a test: start() points the project's own cache
    settings at a port nothing listens on and returns the cache, end() restores them."""
    from types import SimpleNamespace

    from django.core.cache import caches

    up = settings.CACHES

    def start():
        settings.CACHES = {**up, "default": {**up["default"], "LOCATION": "redis://127.0.0.1:1/0"}}
        return caches["default"]

    def end():
        settings.CACHES = up

    return SimpleNamespace(start=start, end=end)


@pytest.fixture
def redis_down(redis_outage):
    """The cache, with Redis unreachable for the whole test."""
    return redis_outage.start()


CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_outage(monkeypatch):
    """Take the Celery broker away and bring it back within a test: start() points Celery at a
    port nothing listens on, as when Redis is stopped; end() restores the real broker."""
    from types import SimpleNamespace

    from digitrack.celery import app

    if app.conf.task_always_eager:
        pytest.fail(
            "The outbox tests need a real Redis broker: REDIS_URL is unset, so Celery runs tasks eagerly. "
            "Run the suite with REDIS_URL set (make test sets it from TEST_REDIS_URL)."
        )
    up = app.conf.broker_url

    def point_at(url):
        monkeypatch.setattr(app.conf, "broker_url", url)
        # The connection and producer pools are built from broker_url on first use: start new ones.
        monkeypatch.setattr(app, "_pool", None)
        monkeypatch.setattr(app.amqp, "_producer_pool", None)

    return SimpleNamespace(start=lambda: point_at(CLOSED_PORT_BROKER), end=lambda: point_at(up))


@pytest.fixture
def broker_down(broker_outage):
    """Celery's broker unreachable for the whole test."""
    broker_outage.start()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium, never a downloaded browser."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def people(db, settings):
    """Two trusts, a requirement, and one user per role: CIOs of trust A and of trust B,
    programme staff and an admin (each in the group the roles migration made)."""
    from types import SimpleNamespace

    # Five password hashes per test are slow with the real hasher and prove nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    from tests.factories import RequirementFactory, TrustFactory, UserFactory

    trust_a, trust_b = TrustFactory(), TrustFactory()
    return SimpleNamespace(
        trust_a=trust_a,
        trust_b=trust_b,
        requirement=RequirementFactory(),
        cio_a=UserFactory(username="cio-a", roles=["Trust CIO"], cio_of=[trust_a]),
        cio_b=UserFactory(username="cio-b", roles=["Trust CIO"], cio_of=[trust_b]),
        staff=UserFactory(username="staff", roles=["Programme staff"]),
        admin=UserFactory(username="admin", roles=["Admin"], is_staff=True),
    )


@pytest.fixture
def superuser(db):
    """A superuser with access to the admin."""
    from tests.factories import UserFactory

    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client, db):
    """The test client signed in as a programme staff user."""
    from tests.factories import UserFactory

    client.force_login(UserFactory(roles=["Programme staff"]))
    return client
