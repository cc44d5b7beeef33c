"""The evidence workflow in Debian's chromium: a CIO signs in through the real form, uploads a
PDF and sees it pending; programme staff review it. axe-core finds no serious or critical
problem on any of these pages, and screenshots are kept for a person to check."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from milestones.models import EvidenceSubmission, ReviewState
from milestones.roles import roles_sync
from tests.browser.axe import axe_violations
from tests.factories import MINIMAL_PDF, EvidenceSubmissionFactory, RegionFactory, TrustFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    """The role groups, which an earlier live-server test's flush may have emptied."""
    roles_sync()


def test_cio_signs_in_uploads_a_pdf_and_sees_it_pending(page, live_server, people, screenshot):
    evidence_url = f"{live_server.url}{reverse('milestones:evidence_list', args=[people.trust_a.ods_code])}"

    page.goto(evidence_url)
    assert "/accounts/login/" in page.url
    assert axe_violations(page) == []
    screenshot(page, "evidence-sign-in")
    page.get_by_label("Username").fill("cio-a")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(evidence_url)

    page.get_by_role("link", name=f"Upload evidence for {people.requirement.title}").click()
    page.get_by_role("button", name="Upload evidence").click()
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert page.title().startswith("Error: ")
    assert axe_violations(page) == []
    screenshot(page, "evidence-upload-errors")

    page.locator('input[type="file"][name="file"]').set_input_files(
        files={"name": "board-paper.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}
    )
    page.get_by_label("Summary").fill("Board paper approving the cyber security plan, signed March 2026.")
    page.get_by_role("button", name="Upload evidence").click()
    page.wait_for_url(evidence_url)

    row = page.locator("tr", has_text="board-paper.pdf")
    assert "Pending review" in row.inner_text()
    assert "board-paper.pdf was uploaded and is pending review." in page.inner_text("main")
    assert axe_violations(page) == []
    screenshot(page, "evidence-list")
    assert EvidenceSubmission.objects.get().submitted_by == people.cio_a


def test_programme_staff_review_from_the_queue(page, live_server, people, screenshot, sign_in):
    older = EvidenceSubmissionFactory(trust=people.trust_b, requirement=people.requirement, original_name="older.pdf")
    submission = EvidenceSubmissionFactory(trust=people.trust_a, requirement=people.requirement)
    sign_in(people.staff)

    page.goto(f"{live_server.url}{reverse('milestones:review_queue')}")
    assert axe_violations(page) == []
    screenshot(page, "evidence-review-queue")
    page.get_by_role(
        "link", name=f"Review evidence.pdf, {people.requirement.title}, from {people.trust_a.display_name}"
    ).click()
    page.get_by_role("button", name="Save review").click()
    assert "Choose whether to approve or reject the evidence" in page.locator(".nhsuk-error-summary").inner_text()
    page.get_by_label("Reject").check()
    assert axe_violations(page) == []
    screenshot(page, "evidence-review")
    page.get_by_label("Comment").fill("The plan is not signed.")
    page.get_by_role("button", name="Save review").click()

    # On to the next item waiting, saying what was decided.
    page.wait_for_url(f"{live_server.url}{reverse('milestones:review', args=[older.pk])}")
    assert f"Rejected: evidence.pdf from {people.trust_a.display_name}" in page.inner_text("main")
    submission.refresh_from_db()
    assert submission.state == ReviewState.REJECTED
    page.get_by_role("link", name="Back to the review queue").click()
    assert "1 submission pending review in all." in page.inner_text("main")


def test_long_review_queue_is_paged_and_keeps_its_filter(page, live_server, people, screenshot, sign_in):
    start = timezone.now() - datetime.timedelta(days=200)
    far_trust = TrustFactory(region=RegionFactory(code="Y58", name="South West"))
    for number in range(155):
        EvidenceSubmissionFactory(
            trust=far_trust if number % 3 == 0 else people.trust_a,
            requirement=people.requirement,
            submitted_by=people.cio_a,
            submitted_at=start + datetime.timedelta(days=number),
        )
    sign_in(people.staff)

    page.goto(f"{live_server.url}{reverse('milestones:review_queue')}")
    assert page.locator("table").first.locator("tbody tr").count() == 25
    assert page.get_by_label("Region").locator("option", has_text="London (103)").count() == 1
    assert axe_violations(page) == []
    screenshot(page, "evid2-review-queue")
    page.set_viewport_size({"width": 375, "height": 900})
    # The longest trust name in the filter must not widen the page on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label("Region").select_option("Y56")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("navigation", name="Pagination").get_by_role("link", name="Page 2").click()
    assert "region=Y56" in page.url and "page=2" in page.url
    assert "103 match the filters." in page.inner_text("main")
    assert "Showing 26 to 50, oldest first." in page.inner_text("main")
    assert page.locator("table").first.locator("tbody tr").count() == 25
    assert axe_violations(page) == []
    screenshot(page, "evid2-review-queue-london-page-2")


def test_long_trust_evidence_history_is_paged(page, live_server, people, screenshot, sign_in):
    start = timezone.now() - datetime.timedelta(days=60)
    for number in range(40):
        EvidenceSubmissionFactory(
            trust=people.trust_a,
            requirement=people.requirement,
            submitted_by=people.cio_a,
            submitted_at=start + datetime.timedelta(days=number),
            state=ReviewState.SUBMITTED if number % 4 else ReviewState.REJECTED,
            original_name=f"board-paper-{number:02d}.pdf",
        )
    sign_in(people.cio_a)

    page.goto(f"{live_server.url}{reverse('milestones:evidence_list', args=[people.trust_a.ods_code])}")
    assert (
        page.get_by_role("table", name="Files uploaded for this trust, newest first").locator("tbody tr").count() == 25
    )
    assert "40 files. Showing 1 to 25." in page.inner_text("main")
    assert axe_violations(page) == []
    screenshot(page, "evid2-trust-evidence")

    page.get_by_role("link", name="Next page").click()
    page.wait_for_url(lambda url: url.endswith("page=2"))  # the click returns before page 2 is drawn
    assert (
        page.get_by_role("table", name="Files uploaded for this trust, newest first").locator("tbody tr").count() == 15
    )
    assert axe_violations(page) == []
    screenshot(page, "evid2-trust-evidence-page-2")


def test_over_size_upload_comes_back_with_the_message_and_the_summary(
    page, live_server, people, settings, screenshot, sign_in
):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024 * 1024
    sign_in(people.cio_a)

    page.goto(f"{live_server.url}{reverse('milestones:evidence_upload', args=[people.trust_a.ods_code])}")
    page.get_by_label("Requirement").select_option(str(people.requirement.pk))
    page.locator('input[type="file"][name="file"]').set_input_files(
        files={"name": "scan.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF + b"%" * (3 * 1024 * 1024)}
    )
    page.get_by_label("Summary").fill("Signed scan of the board minutes.")
    page.get_by_role("button", name="Upload evidence").click()

    summary = page.locator(".nhsuk-error-summary")
    assert "The selected file must be smaller than 1.0\xa0MB" in summary.inner_text()
    assert page.get_by_label("Summary").input_value() == "Signed scan of the board minutes."
    assert axe_violations(page) == []
    screenshot(page, "evid2-upload-over-size")
    assert EvidenceSubmission.objects.count() == 0
