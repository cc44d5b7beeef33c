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
