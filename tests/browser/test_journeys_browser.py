"""Each user's question answered in a click or two, in Debian's chromium: the programme officer's
drill-down, the CIO's pre-filled upload, the reviewer's run through a filtered queue. Every page on
the way is checked with axe-core, and screenshots at 1280 and 390 wide are kept for a person to check."""

import pytest
from django.urls import reverse

from milestones.models import EvidenceSubmission, ReviewState, Status, Target
from tests.browser.axe import axe_violations
from tests.dashboards.dashboard_data import status
from tests.factories import EvidenceSubmissionFactory, IntegratedCareBoardFactory, TrustFactory, UserFactory
from trusts.models import Region

WIDTHS = {"desktop": 1280, "phone": 390}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def people(seeded_reference_data, people):
    """The suite's people, made once the roles and targets are back (a live-server test's flush
    may have taken them)."""
    return people


@pytest.fixture
def shoot(screenshot_dir):
    """shoot(page, name): the page as it stands, full length, at 1280 and 390 wide."""

    def take(page, name: str) -> None:
        for label, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(300)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} is wider than {width}"
            page.screenshot(path=str(screenshot_dir / f"journey-{name}-{label}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})

    return take


def checked(page) -> None:
    """Every folded panel opened, so axe checks what is in them too."""
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    assert axe_violations(page) == []
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = false)")


def north_west_trusts() -> dict[str, list]:
    """North West trusts (test organisations in the real region) against full digitisation: two
    overdue, one on track; and a London trust overdue, which the officer's list must leave out."""
    north_west, london = Region.objects.get(code="Y62"), Region.objects.get(code="Y56")
    full = Target.objects.get(code="full-2024")
    icb = IntegratedCareBoardFactory(code="XN1", name="NHS TEST NORTH INTEGRATED CARE BOARD", region=north_west)
    made = {"overdue": [], "others": []}
    for code, name, region, value in [
        ("TN1", "NORTH ONE NHS TRUST", north_west, Status.OVERDUE),
        ("TN2", "NORTH TWO NHS TRUST", north_west, Status.OVERDUE),
        ("TN3", "NORTH THREE NHS TRUST", north_west, Status.ON_TRACK),
        ("TL1", "LONDON ONE NHS TRUST", london, Status.OVERDUE),
    ]:
        trust = TrustFactory(
            ods_code=code,
            name=name,
            region=region,
            icb=icb if region == north_west else IntegratedCareBoardFactory(region=london),
        )
        status(trust, full, value, reason=f"{value} in the test")
        made["overdue" if region == north_west and value == Status.OVERDUE else "others"].append(trust)
    return made


def test_officer_goes_from_the_national_page_to_north_west_overdue_full_digitisation_in_one_click(
    page, live_server, seeded_reference_data, shoot, sign_in
):
    trusts = north_west_trusts()
    sign_in(UserFactory(roles=["Programme staff"]))
    page.goto(f"{live_server.url}/")
    # The headline comes first: the first card starts on the first screen, above the filters.
    cards = page.locator(".digitrack-card-group").bounding_box()
    assert cards["y"] < 800
    assert cards["y"] < page.locator("#filters").bounding_box()["y"]
    checked(page)
    shoot(page, "national")

    page.get_by_role("link", name="2 overdue on fully digitised in North West").click()

    page.wait_for_url("**/trusts/?*")
    assert "region=Y62" in page.url and "target=full-2024" in page.url and "status=overdue" in page.url
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    listed = page.locator("table tbody").inner_text()
    for trust in trusts["overdue"]:
        assert trust.display_name in listed and trust.ods_code in listed
    for trust in trusts["others"]:
        assert trust.display_name not in listed
    assert "Region: North West" in page.locator("#filters").inner_text()
    checked(page)
    shoot(page, "trust-list")

    # The region page leads with its cards and the counts per target, which link to the same list.
    page.goto(f"{live_server.url}/regions/Y62/")
    lagging = page.locator("#lagging-table")
    assert "Fully digitised" in lagging.inner_text()
    lagging.get_by_role("link", name="2 overdue on fully digitised").click()
    page.wait_for_url("**/trusts/?*")
    assert page.locator("table tbody tr").count() == 2


def test_a_region_page_of_forty_five_trusts_is_under_4000_px_at_1280(
    page, live_server, seeded_reference_data, shoot, sign_in
):
    north_west = Region.objects.get(code="Y62")
    icbs = [IntegratedCareBoardFactory(region=north_west) for _ in range(5)]
    targets = list(Target.objects.all())
    values = [Status.MET, Status.ON_TRACK, Status.AT_RISK, Status.OVERDUE, Status.NO_CURRENT_DATA]
    for number in range(45):
        trust = TrustFactory(region=north_west, icb=icbs[number % 5])
        for position, target in enumerate(targets):
            status(trust, target, values[(number + position) % len(values)])
    sign_in(UserFactory(roles=["Programme staff"]))

    page.goto(f"{live_server.url}/regions/Y62/")
    page.wait_for_load_state("load")

    assert page.evaluate("document.documentElement.scrollHeight") < 4000
    # The folded heatmap draws when opened.
    page.get_by_text("Show the chart of the 45 trusts").click()
    page.wait_for_function("() => document.querySelector('[data-figure=\"heatmap-data\"] .main-svg') !== null")
    page.get_by_text("Show the chart of the 45 trusts").click()
    checked(page)
    shoot(page, "region")


def test_cio_goes_from_signing_in_to_a_prefilled_upload_in_two_clicks(page, live_server, people, shoot):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("cio-a")
    page.get_by_label("Password").fill("correct horse battery staple")

    page.get_by_role("button", name="Sign in").click()  # first click

    page.wait_for_url(f"{live_server.url}/")
    todo = page.locator(f'[data-trust="{people.trust_a.ods_code}"]')
    assert people.requirement.title in todo.inner_text()
    assert people.trust_b.display_name not in page.inner_text("main")
    checked(page)
    shoot(page, "cio-home")

    # The design system's button macro draws the link with the button role.
    todo.get_by_role("button", name=f"Upload evidence for {people.requirement.title}").click()  # second click

    upload = reverse("milestones:evidence_upload", args=[people.trust_a.ods_code])
    page.wait_for_url(f"{live_server.url}{upload}?requirement={people.requirement.pk}")
    assert page.get_by_label("Requirement").input_value() == str(people.requirement.pk)
    checked(page)


def test_reviewer_approves_three_filtered_items_in_a_row_without_losing_the_filter(
    page, live_server, people, shoot, sign_in
):
    far = TrustFactory(region=Region.objects.get_or_create(code="Y58", defaults={"name": "South West"})[0])
    people.requirement.description = "A cyber security plan approved by the trust board."
    people.requirement.save()
    london = []
    for number, trust in enumerate([far, people.trust_a, far, people.trust_a, people.trust_a, far, people.trust_a]):
        submission = EvidenceSubmissionFactory(
            trust=trust, requirement=people.requirement, submitted_by=people.cio_a, original_name=f"plan-{number}.pdf"
        )
        if trust == people.trust_a:
            london.append(submission)
    region = people.trust_a.region
    sign_in(people.staff)

    page.goto(f"{live_server.url}{reverse('milestones:review_queue')}")
    page.get_by_label("Region").select_option(region.code)
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(f"**/review/?*region={region.code}*")
    page.locator("table").first.get_by_role("link").first.click()

    for position, submission in enumerate(london[:3]):
        page.wait_for_url(f"**/review/{submission.pk}/?region={region.code}")
        assert page.locator("h1").inner_text() == f"Review {submission.original_name}"
        assert "A cyber security plan approved by the trust board." in page.locator("#acceptance-criteria").inner_text()
        if position == 0:
            checked(page)
            shoot(page, "review")
        page.get_by_label("Approve").check()
        page.get_by_role("button", name="Save review").click()
        page.wait_for_load_state("load")
        assert f"Approved: {submission.original_name}" in page.inner_text("main")
        assert f"region={region.code}" in page.url

    # The fourth London item is next, the filter still in force; nothing else was touched.
    page.wait_for_url(f"**/review/{london[3].pk}/?region={region.code}")
    states = dict(EvidenceSubmission.objects.values_list("original_name", "state"))
    assert [states[item.original_name] for item in london] == [ReviewState.APPROVED] * 3 + [ReviewState.SUBMITTED]
    assert set(EvidenceSubmission.objects.filter(trust=far).values_list("state", flat=True)) == {ReviewState.SUBMITTED}
    page.get_by_role("link", name="Back to the review queue").click()
    page.wait_for_url(f"**/review/?region={region.code}")
    assert "1 match the filters." in page.inner_text("main")


def test_admin_reaches_the_admin_from_the_header_and_its_forms_fit_1280(page, live_server, people, sign_in):
    sign_in(people.admin)
    page.goto(f"{live_server.url}{reverse('milestones:review_queue')}")
    page.get_by_role("link", name="Admin").click()
    page.wait_for_url("**/admin/")
    for path in (
        reverse("admin:milestones_target_change", args=[Target.objects.get(code="full-2024").pk]),
        reverse("admin:auth_user_change", args=[people.cio_a.pk]),
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280, path
    # The CIO's trust links are named by their trust.
    assert (
        f"{people.trust_a.display_name} ({people.trust_a.ods_code})" in page.locator("td.original").first.inner_text()
    )


@pytest.mark.parametrize("debug", [False, True])
def test_error_pages_are_nhs_pages_with_a_way_back_and_axe_clean(page, live_server, settings, people, debug, sign_in):
    settings.DEBUG = debug
    sign_in(people.cio_a)
    for path, heading in [
        ("/no-such-page/", "Page not found"),
        (reverse("milestones:review_queue"), "You do not have permission to see this page"),
    ]:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").inner_text() == heading
        assert axe_violations(page) == []
        page.get_by_role("link", name="Go to the DigiTrack home page").click()
        page.wait_for_url(f"{live_server.url}/")
