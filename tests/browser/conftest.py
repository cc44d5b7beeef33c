"""Fixtures for the browser tests."""

import os
from pathlib import Path

import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The dashboard browser tests last: their database flushes would otherwise take the
    migrations' seeded rows from the browser tests that run after them and rely on those."""
    items.sort(key=lambda item: item.path.name == "test_dashboard_browser.py")


def screenshot_folder(tmp_path_factory) -> Path:
    """SCREENSHOT_DIR when set (to keep them, e.g. /work/notes/screenshots), else a folder of
    pytest's own temporary directory."""
    configured = os.environ.get("SCREENSHOT_DIR")
    folder = Path(configured) if configured else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    """Where the browser tests write their screenshots."""
    return screenshot_folder(tmp_path_factory)


SCREENSHOT_WIDTHS = {"desktop": 1280, "phone": 375}


@pytest.fixture
def screenshot(screenshot_dir):
    """screenshot(page, name): full-length screenshots at desktop and phone widths, kept as
    {name}-desktop.png and {name}-phone.png. With reload=True each is drawn at its width from a
    fresh load (charts size themselves when the page loads); otherwise the page as it stands."""

    def take(page, name: str, *, reload: bool = False) -> None:
        for label, width in SCREENSHOT_WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            if reload:
                page.reload()
                page.wait_for_load_state("load")
                page.wait_for_timeout(200)
            page.screenshot(path=str(screenshot_dir / f"{name}-{label}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})

    return take


@pytest.fixture
def sign_in(page, live_server, client):
    """sign_in(user): the browser page signed in as `user`, with the session Django's test client
    opens by force_login (no password typed)."""

    def sign_in_as(user) -> None:
        client.force_login(user)
        page.context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )

    return sign_in_as


@pytest.fixture
def signed_in_page(page, sign_in, seeded_reference_data):
    """A browser page signed in as programme staff, on known_dataset() (page.known), collecting
    console errors (page.errors)."""
    from tests.dashboards.dashboard_data import known_dataset
    from tests.factories import UserFactory

    page.known = known_dataset()
    sign_in(UserFactory(roles=["Programme staff"]))
    page.errors = []
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


@pytest.fixture(scope="session", autouse=True)
def _live_server_media_url():
    """Django's live server wraps a media-files handler that needs MEDIA_URL as a string, but
    evidence files are never served by URL (settings.MEDIA_URL is None). Give the live server a
    path that nothing links to, for the browser tests only."""
    from django.conf import settings

    original = settings.MEDIA_URL
    settings.MEDIA_URL = "/live-server-media-not-linked/"
    yield
    settings.MEDIA_URL = original


@pytest.fixture
def seeded_reference_data(transactional_db):
    """The regions, targets and roles the migrations seed, in case a transactional test's flush
    left them out (the serialized rollback restores content types and permissions). Idempotent."""
    from importlib import import_module

    from django.apps import apps

    from milestones.roles import roles_sync

    import_module("trusts.migrations.0002_regions").add_regions(apps, None)
    import_module("milestones.migrations.0002_seed_targets").seed(apps, None)
    import_module("milestones.migrations.0009_requirements_follow_national_definitions").apply(apps, None)
    import_module("milestones.migrations.0010_target_prerequisites").seed(apps, None)
    roles_sync()
