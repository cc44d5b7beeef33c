"""The national page on the published data alone, then with demo data, in Debian's chromium: the
real picture says where it comes from and how old it is, demo data is labelled; axe-clean; and
screenshots at 1280 and 390 wide for a person to check."""

from io import StringIO

import pytest
from django.core.management import call_command

from milestones.services.demo import demo_seed
from tests.browser.axe import axe_violations
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
WIDTHS = {"desktop": 1280, "phone": 390}


def shoot(page, url: str, screenshot_dir, name: str) -> None:
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 1400})
        page.goto(url)
        page.wait_for_load_state("load")
        page.screenshot(path=str(screenshot_dir / f"national-{name}-{label}.png"))


def test_national_page_with_and_without_demo_data(page, live_server, seeded_reference_data, screenshot_dir, sign_in):
    quiet = {"stdout": StringIO(), "stderr": StringIO()}
    call_command("load_published_data", **quiet)
    call_command("recompute_compliance", **quiet)
    sign_in(UserFactory(roles=["Programme staff"]))

    page.goto(live_server.url)
    cyber = page.locator("[data-national-data=cyber-2021]")
    assert "National data: DSPT 2022-23, as at 16 November 2023." in cyber.inner_text()
    assert "so neither met nor overdue" in cyber.inner_text()
    assert "Meeting now, on the latest data: 0 of" in page.locator("[data-past-deadline=cyber-2021]").inner_text()
    core = page.locator("[data-national-data=core-2023]").inner_text()
    assert "EPR supplier list, as at 1 October 2024" in core and "inferred, not published" in core
    assert page.locator("[data-demo-banner]").count() == 0
    assert axe_violations(page) == []
    shoot(page, live_server.url, screenshot_dir, "published-only")

    demo_seed(seed=2026)
    call_command("recompute_compliance", **quiet)
    page.goto(live_server.url)
    assert page.locator("[data-demo-banner]").is_visible()
    assert page.locator("[data-demo=core-2023]").is_visible()
    # Demo uploads for the cyber target are optional evidence only: its figures stay real.
    assert page.locator("[data-demo=cyber-2021]").count() == 0
    assert axe_violations(page) == []
    shoot(page, live_server.url, screenshot_dir, "with-demo")
