"""The reviewer's flow: the queue keeps its filters and place, a decision moves to the next item,
and the review page has what a reviewer needs."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from milestones.models import ReviewState
from tests.factories import EvidenceSubmissionFactory, RegionFactory, TrustFactory

from . import evidence_files as files

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(people):
    """Three London items, oldest first, and one from the South West in between."""
    start = timezone.now() - datetime.timedelta(days=10)
    far = TrustFactory(region=RegionFactory(code="Y58", name="South West"))
    made = []
    for day, trust in enumerate([people.trust_a, far, people.trust_a, people.trust_a]):
        made.append(
            EvidenceSubmissionFactory(
                trust=trust,
                requirement=people.requirement,
                submitted_at=start + datetime.timedelta(days=day),
                original_name=f"file-{day}.pdf",
            )
        )
    return made


def decide(client, submission, query, decision="approve", comment=""):
    url = reverse("milestones:review", args=[submission.pk]) + query
    return client.post(url, {"decision": decision, "comment": comment})


def test_a_decision_moves_to_the_next_item_of_the_filtered_queue_and_says_what_was_decided(client, people, queue):
    client.force_login(people.staff)
    region = people.trust_a.region.code
    query = f"?region={region}"
    listed = client.get(reverse("milestones:review_queue") + query).content.decode()
    assert f'href="{reverse("milestones:review", args=[queue[0].pk])}{query}"' in listed

    response = decide(client, queue[0], query)
    # Not the South West item that came next in the whole queue: the next London one.
    assert response["Location"] == reverse("milestones:review", args=[queue[2].pk]) + query
    page = client.get(response["Location"]).content.decode()
    assert f"Approved: file-0.pdf from {people.trust_a.display_name}" in page
    assert "2 items waiting in this queue with its filters" in page

    response = decide(client, queue[2], query, "reject", "Unsigned.")
    assert response["Location"] == reverse("milestones:review", args=[queue[3].pk]) + query
    assert "Rejected: file-2.pdf" in client.get(response["Location"]).content.decode()

    response = decide(client, queue[3], query)
    assert response["Location"] == reverse("milestones:review_queue") + query
    page = client.get(response["Location"]).content.decode()
    assert "Nothing is waiting for review with these filters" in page
    queue[1].refresh_from_db()
    assert queue[1].state == ReviewState.SUBMITTED


def test_a_queue_filtered_on_a_trust_with_nothing_left_says_nothing_is_waiting(client, people, queue):
    client.force_login(people.staff)
    for submission in (queue[0], queue[2], queue[3]):
        decide(client, submission, "")
    page = client.get(f"{reverse('milestones:review_queue')}?trust={people.trust_a.ods_code}").content.decode()
    assert "Select a valid choice" not in page
    assert "Nothing is waiting for review with these filters" in page


def test_review_page_shows_criteria_earlier_submissions_and_a_sandboxed_preview(client, people, queue):
    people.requirement.description = "A cyber security plan approved by the trust board."
    people.requirement.save()
    EvidenceSubmissionFactory(
        trust=people.trust_a,
        requirement=people.requirement,
        state=ReviewState.REJECTED,
        reviewed_at=timezone.now(),
        review_comment="Not signed by the board.",
        original_name="older-plan.pdf",
    )
    client.force_login(people.staff)

    page = client.get(reverse("milestones:review", args=[queue[2].pk])).content.decode()

    assert "<h1>Review file-2.pdf</h1>" in page
    assert "A cyber security plan approved by the trust board." in page
    assert "older-plan.pdf" in page and "Not signed by the board." in page
    assert "file-0.pdf" in page  # pending too: an earlier submission for the same requirement
    assert "file-1.pdf" not in page  # another trust's
    preview = reverse("milestones:evidence_preview", args=[queue[2].pk])
    assert f'<iframe class="digitrack-preview" src="{preview}" title=' in page


def test_preview_is_inline_sandboxed_and_only_for_pdfs_and_images(client, people):
    pdf = EvidenceSubmissionFactory(trust=people.trust_a, requirement=people.requirement)
    csv = EvidenceSubmissionFactory(
        trust=people.trust_a, requirement=people.requirement, content_type="text/csv", original_name="list.csv"
    )
    client.force_login(people.staff)
    response = client.get(reverse("milestones:evidence_preview", args=[pdf.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "inline"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        "sandbox" in response["Content-Security-Policy"] and "default-src 'none'" in response["Content-Security-Policy"]
    )
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(response.streaming_content) == files.PDF
    assert client.get(reverse("milestones:evidence_preview", args=[csv.pk])).status_code == 404
    # Still an attachment when downloaded.
    assert client.get(reverse("milestones:evidence_download", args=[pdf.pk]))["Content-Disposition"].startswith(
        "attachment"
    )
    # A CIO of another trust cannot reach it.
    client.force_login(people.cio_b)
    assert client.get(reverse("milestones:evidence_preview", args=[pdf.pk])).status_code == 404


def test_review_actions_wherever_a_pending_item_is_shown(client, people, queue):
    client.force_login(people.staff)
    review = reverse("milestones:review", args=[queue[0].pk])
    for page in (
        reverse("milestones:evidence_detail", args=[queue[0].pk]),
        reverse("milestones:evidence_list", args=[people.trust_a.ods_code]),
        reverse("dashboards:trust", args=[people.trust_a.ods_code]),
    ):
        assert f'href="{review}"' in client.get(page).content.decode(), page
    client.force_login(people.cio_a)
    assert (
        f'href="{review}"' not in client.get(reverse("milestones:evidence_detail", args=[queue[0].pk])).content.decode()
    )
