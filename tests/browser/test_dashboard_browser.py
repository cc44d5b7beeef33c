"""The dashboards in Debian's chromium: charts draw without console errors, filters and links work,
axe-core finds no serious or critical accessibility problem, and screenshots for a person to check."""

import pytest

from tests.browser.axe import axe_violations
from tests.dashboards.dashboard_data import closed_trust, known_dspt

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_national_page_draws_every_chart_without_console_errors(signed_in_page, live_server, screenshot):
    page = signed_in_page
    page.goto(f"{live_server.url}/")
    page.wait_for_function("() => document.querySelectorAll('.digitrack-chart .main-svg').length >= 4")
    assert page.locator(".digitrack-chart").count() == 4
    assert page.errors == []
    screenshot(page, "dashboard-national", reload=True)


def test_filter_changes_the_url_and_the_numbers(signed_in_page, live_server):
    page = signed_in_page
    page.goto(f"{live_server.url}/")
    headline = page.locator('[data-target="core-2023"]')
    assert "of 3 applicable trusts" in headline.inner_text()
    page.get_by_text("Filter these figures").click()  # the filters are folded under the cards
    page.select_option("#sector", "mental_health")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/?*sector=mental_health*")
    assert "of 1 applicable trusts" in page.locator('[data-target="core-2023"]').inner_text()
    assert page.errors == []


def test_region_and_trust_are_reached_by_clicking(signed_in_page, live_server, screenshot):
    page = signed_in_page
    page.goto(f"{live_server.url}/")
    page.locator("#regions").get_by_role("link", name="London", exact=True).click()
    page.wait_for_url("**/regions/Y56/")
    assert "London" in page.locator("h1").inner_text()
    page.get_by_text("Show the chart of the").click()  # the heatmap is folded, and drawn when opened
    page.wait_for_function("() => document.querySelector('.digitrack-chart .main-svg') !== null")
    screenshot(page, "dashboard-region", reload=True)
    # Overdue on core digitisation: listed under the counts by target, folded.
    page.get_by_text("Show these trusts with the reasons, by target").click()
    page.locator('[data-lagging="core-2023"]').get_by_role("link", name="Alpha Mind NHS Trust").click()
    page.wait_for_url("**/trusts/T02/")
    assert "Alpha Mind NHS Trust" in page.locator("h1").inner_text()
    page.wait_for_function("() => document.querySelector('.digitrack-chart .main-svg') !== null")
    screenshot(page, "dashboard-trust", reload=True)
    assert page.errors == []


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/regions/Y56/",
        "/trusts/T02/",
        "/?as_of=not-a-date",
        "/?as_of=2024-02-15",
        "/regions/Y56/?as_of=2024-02-15",
        "/trusts/?as_of=2024-02-15",
    ],
)
def test_no_serious_accessibility_violations(signed_in_page, live_server, path):
    page = signed_in_page
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("load")
    # Open every table so axe checks them too.
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    assert axe_violations(page) == []


def test_cyber_regional_view_and_a_trust_dspt_timeline(signed_in_page, live_server, screenshot):
    page = signed_in_page
    known_dspt(page.known)
    page.goto(f"{live_server.url}/regions/Y56/")
    page.get_by_text("Show the chart by ICB and assessment year").click()  # folded, drawn when opened
    page.wait_for_function("() => document.querySelector('[data-figure=\"dspt-data\"] .main-svg') !== null")
    shares = page.locator("[data-dspt-share]")
    assert "33.3%" in shares.first.inner_text() and "at the 30 June 2021 deadline: 1 of 3" in shares.first.inner_text()
    assert page.errors == []
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    assert axe_violations(page) == []
    screenshot(page, "dspt-region", reload=True)
    page.goto(f"{live_server.url}/trusts/{page.known.t3.ods_code}/")
    timeline = page.locator('.digitrack-timeline[aria-labelledby="dspt"]')
    assert timeline.locator("li").count() == 2
    assert "Standards Not Met" in timeline.inner_text()
    assert page.errors == []
    assert axe_violations(page) == []
    screenshot(page, "dspt-trust", reload=True)
    page.goto(f"{live_server.url}/")
    page.wait_for_function("() => document.querySelector('[data-figure=\"dspt-data\"] .main-svg') !== null")
    assert page.errors == []
    screenshot(page, "dspt-national", reload=True)


def test_phone_heatmap_fits_the_screen_and_a_closed_trust_page_reads_well(signed_in_page, live_server, screenshot):
    page = signed_in_page
    closed_trust(page.known)
    page.set_viewport_size({"width": 375, "height": 900})
    page.goto(f"{live_server.url}/regions/Y56/")
    page.get_by_text("Show the chart of the").click()  # folded, and drawn when opened
    page.wait_for_function("() => document.querySelector('[data-figure=\"heatmap-data\"] .main-svg') !== null")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    heatmap = page.locator('[data-figure="heatmap-data"]').bounding_box()
    assert heatmap["x"] + heatmap["width"] <= 375
    page.goto(f"{live_server.url}/trusts/TZZ/")
    assert "This trust closed on 15 February 2024." in page.locator("#closed").inner_text()
    assert page.errors == []
    assert axe_violations(page) == []
    screenshot(page, "dashboard-closed-trust", reload=True)
    page.get_by_role("link", name="Alpha Acute NHS Trust").click()
    page.wait_for_url("**/trusts/T01/")
    assert "Omega Acute NHS Trust" in page.locator("#predecessors").inner_text()


def test_national_page_as_of_a_mid_month_day_says_that_day(signed_in_page, live_server, screenshot_dir):
    """The statuses of 15 February 2024 itself (no month end), at 1280 and 390 wide."""
    page = signed_in_page
    page.goto(f"{live_server.url}/?as_of-day=15&as_of-month=2&as_of-year=2024")
    assert page.locator("#computed").inner_text() == (
        "As of 15 February 2024: the statuses and deadlines in force that day."
    )
    assert "month end of" not in page.content()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        page.wait_for_load_state("load")
        page.screenshot(path=str(screenshot_dir / f"dashboard-national-as-of-mid-month-{width}.png"), full_page=True)
    assert page.errors == []
