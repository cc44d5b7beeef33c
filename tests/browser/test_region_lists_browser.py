"""A region of more trusts than its page lists, in Debian's chromium: the heatmap draws the trusts
that most need attention, one click reaches all of them in the trust list, no serious accessibility
problem, and screenshots for a person to check."""

import pytest

from dashboards.presenters import region as region_presenter
from tests.browser.axe import axe_violations
from tests.dashboards.dashboard_data import many_trusts, programme_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
LIMIT = 5


def test_a_large_region_lists_the_trusts_most_in_need_and_links_all_of_them(
    page, sign_in, seeded_reference_data, live_server, screenshot, monkeypatch
):
    monkeypatch.setattr(region_presenter, "REGION_LIST_LIMIT", LIMIT)  # the live server runs in this process
    many_trusts(100)
    sign_in(programme_user())
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/regions/Y56/")
    page.get_by_text(f"Show the chart of the {LIMIT} of").click()  # folded, drawn when opened
    page.wait_for_function("() => document.querySelector('.digitrack-chart .main-svg') !== null")
    screenshot(page, "dashboard-region-capped")
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    assert axe_violations(page) == []
    assert page.locator("#attention-table tbody tr").count() == LIMIT
    screenshot(page, "dashboard-region-capped-open")

    page.get_by_role("link", name="see all").click()
    page.wait_for_url("**/trusts/?region=Y56")
    assert "Trusts" in page.locator("h1").inner_text()
    assert errors == []
