"""The reminder settings page in Debian's chromium: NHS.UK checkboxes that save, axe finds nothing
serious; screenshots at 1280 and 390 wide."""

import pytest

from tests.browser.axe import axe_violations
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
WIDTHS = {"desktop": 1280, "phone": 390}


def test_the_reminder_settings_page_saves_and_is_accessible(
    page, live_server, seeded_reference_data, screenshot_dir, sign_in
):
    staff = UserFactory(roles=["Programme staff"])
    sign_in(staff)
    page.goto(f"{live_server.url}/account/reminders/")
    page.get_by_label("London").check()
    page.get_by_label("A weekly digest for each region and ICB you follow").uncheck()
    page.get_by_role("button", name="Save reminder settings").click()
    page.wait_for_url("**/account/reminders/")
    assert "Your reminder settings are saved." in page.locator("main").inner_text()
    assert page.get_by_label("London").is_checked()
    assert not page.get_by_label("A weekly digest for each region and ICB you follow").is_checked()
    assert axe_violations(page) == []
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(screenshot_dir / f"reminder-settings-{label}.png"), full_page=True)
