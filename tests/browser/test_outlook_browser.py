"""Forecasts, stages and contradictions in Debian's chromium: charts draw without console errors,
axe-core finds no serious or critical problem, and screenshots at 1280 and 390 wide for a person to check."""

import pytest

from milestones.models import ComplianceSnapshot, Status
from tests.browser.axe import axe_violations
from tests.dashboards.dashboard_data import FEB, epr_disagreement, met_share_history
from tests.factories import TrustFactory

WIDTHS = {"desktop": 1280, "phone": 390}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def outlook_page(signed_in_page):
    """Stages in February (T3 fully digitised, T1 core), a disagreement about T3's EPR, and forty
    month ends of a steady climb in full digitisation among twenty more London trusts."""
    data = signed_in_page.known
    for trust in (data.t3, data.t4):
        ComplianceSnapshot.objects.create(trust=trust, target=data.full, as_of=FEB, status=Status.MET)
    epr_disagreement(data.t3)
    trusts = [TrustFactory(ods_code=f"R{index:02d}", region=data.london) for index in range(20)]
    met_share_history(data.full, trusts, [min(1.0, 0.02 * month) for month in range(40)])
    return signed_in_page


def _screenshots(page, folder, name):
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)
        # A full-page capture resizes the window and Plotly redraws mid-capture: take the page's height first.
        page.set_viewport_size({"width": width, "height": page.evaluate("document.documentElement.scrollHeight")})
        page.wait_for_timeout(500)
        page.screenshot(path=str(folder / f"outlook-{name}-{label}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})


def test_stage_funnel_draws_and_is_accessible(outlook_page, live_server, screenshot_dir):
    page = outlook_page
    page.goto(f"{live_server.url}/stages/")
    page.locator(".digitrack-chart .main-svg").nth(1).wait_for()  # both charts drawn (no eval: the CSP forbids it)
    assert page.errors == []
    page.locator("details summary").first.click()
    assert axe_violations(page) == []
    _screenshots(page, screenshot_dir, "stages")


def test_contradictions_list_is_accessible(outlook_page, live_server, screenshot_dir):
    page = outlook_page
    page.goto(f"{live_server.url}/contradictions/")
    assert page.get_by_text("An EPR, then none").count() >= 1
    assert page.errors == []
    assert axe_violations(page) == []
    _screenshots(page, screenshot_dir, "contradictions")


def test_forecasts_draw_beside_their_backtest(outlook_page, live_server, screenshot_dir):
    page = outlook_page
    page.goto(f"{live_server.url}/forecasts/")
    page.locator(".digitrack-chart .main-svg").first.wait_for()
    assert page.locator('[data-forecast="full-2024"]').inner_text().startswith("At the current pace")
    assert page.errors == []
    assert axe_violations(page) == []
    _screenshots(page, screenshot_dir, "forecasts")
    page.goto(f"{live_server.url}/trusts/T03/")
    assert "Reached Fully digitised" in page.locator("#stages + ol").inner_text()
    _screenshots(page, screenshot_dir, "trust")
