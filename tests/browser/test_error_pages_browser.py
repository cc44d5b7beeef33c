"""The 503 and 404 pages as a person sees them, at desktop and phone widths."""

import struct

import pytest
from django.test import override_settings


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(ROOT_URLCONF="tests.digitrack.fault_urls")
@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/test/database-gone/", "Sorry, the service is unavailable"),
        ("/no-such-page/", "Page not found"),
    ],
)
@pytest.mark.parametrize("width", [1280, 375])
def test_error_page_is_a_plain_nhs_page(live_server, page, path, heading, width, screenshot_dir):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + path)
    assert page.locator("h1").inner_text() == heading
    assert page.locator(".nhsuk-header").is_visible()
    assert "Traceback" not in page.content()
    shot = screenshot_dir / f"error-{path.strip('/').replace('/', '-')}-{width}.png"
    page.screenshot(path=shot, full_page=True)
    # The PNG header's width: the page is drawn at the width asked for, nothing wider.
    assert struct.unpack(">I", shot.read_bytes()[16:20])[0] == width


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(ROOT_URLCONF="tests.digitrack.fault_urls", DEBUG=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_a_bug_under_debug_is_the_nhs_500_page_not_the_debug_page(live_server, page, width, screenshot_dir):
    """make run serves with DEBUG on: a bug still shows people the NHS page (the log keeps the traceback)."""
    page.set_viewport_size({"width": width, "height": 800})
    response = page.goto(live_server.url + "/test/broken/")
    assert response.status == 500
    assert page.locator("h1").inner_text() == "Sorry, there is a problem with the service"
    assert page.get_by_role("link", name="Go to the DigiTrack home page").is_visible()
    assert "hunter2" not in page.content() and "Traceback" not in page.content()
    page.screenshot(path=screenshot_dir / f"error-500-debug-{width}.png", full_page=True)
