"""The East of England as of 30 June 2024 in Debian's chromium, on the real register: its trusts
grouped by the six ICBs of 2022-2026 that three merged ICBs replaced on 1 April 2026. Screenshots
at 1280 and 390 wide for a person to check; axe finds nothing serious."""

import datetime
from pathlib import Path

import pytest

from milestones.services.compliance import compliance_history_backfill
from milestones.services.register import ods_import_apply
from tests.browser.axe import axe_violations
from tests.factories import UserFactory
from trusts import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
WIDTHS = {"desktop": 1280, "phone": 390}
JUNE_2024 = datetime.date(2024, 6, 30)


@pytest.fixture
def east_as_of_2024(page, seeded_reference_data, sign_in):
    ods_import_apply(extract=Path(services.DATA_DIR) / "etr.csv")
    compliance_history_backfill(since=JUNE_2024, until=JUNE_2024)
    sign_in(UserFactory(roles=["Programme staff"]))
    page.errors = []
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def open_heatmap(page):
    """The heatmap is folded under its summary on the region page: open it and wait for it to draw."""
    page.locator("summary", has_text="Show the chart of the").click()
    page.wait_for_selector(".digitrack-chart .main-svg")


def test_the_east_of_england_in_2024_is_grouped_by_the_icbs_of_then(east_as_of_2024, live_server, screenshot_dir):
    page = east_as_of_2024
    page.goto(f"{live_server.url}/regions/Y61/?as_of=2024-06-30")
    open_heatmap(page)
    note = page.locator("#icbs-as-of").inner_text()
    assert "grouped by the 42 integrated care boards in force on 30 June 2024" in note
    body = " ".join(page.locator("main table").all_text_contents())  # folded tables included
    for name in ("Hertfordshire and West Essex", "Mid and South Essex", "Norfolk and Waveney"):
        assert name in body
    heatmap = page.locator(".digitrack-chart .main-svg").first.inner_html()
    assert "Herts" in heatmap or "Hertfordshire" in heatmap
    assert "Central East" not in body and "Central East" not in heatmap
    assert page.errors == []
    assert axe_violations(page) == []
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        open_heatmap(page)
        page.wait_for_timeout(200)
        page.screenshot(path=str(screenshot_dir / f"icbs-as-of-2024-east-{label}.png"), full_page=True)
        # And the grouping itself at reading size: the note and the heatmap under it.
        page.locator("#icbs-as-of").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir / f"icbs-as-of-2024-east-grouping-{label}.png"))
