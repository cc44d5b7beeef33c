"""The published national data on the trust, region and national pages, in Debian's chromium:
axe-clean, and screenshots for a person to check."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.browser.axe import axe_violations
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def published_page(page, seeded_reference_data, sign_in):
    call_command("load_published_data", stdout=StringIO(), stderr=StringIO())
    sign_in(UserFactory(roles=["Programme staff"]))
    return page


@pytest.mark.parametrize(
    ("path", "name"), [("/trusts/RD1/", "trust-rd1"), ("/regions/Y58/", "region-y58"), ("/", "national")]
)
def test_published_data_sections_are_accessible(published_page, live_server, screenshot_dir, path, name):
    page = published_page
    page.goto(f"{live_server.url}{path}")
    section = page.locator("section[aria-labelledby=dma]")
    assert "Digital Maturity Assessment" in section.inner_text()
    assert axe_violations(page) == []
    for label, width in {"desktop": 1280, "phone": 390}.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        page.wait_for_load_state("load")
        page.locator("section[aria-labelledby=dma]").screenshot(
            path=str(screenshot_dir / f"published-{name}-dma-{label}.png")
        )
        if path.startswith("/trusts/"):
            page.locator("section[aria-labelledby=published-data]").screenshot(
                path=str(screenshot_dir / f"published-{name}-facts-{label}.png")
            )
