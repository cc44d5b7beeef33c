"""Reviewing evidence end to end: the queue, one review, the audit trail, the email, the recompute."""

import datetime
import re

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from milestones.models import EvidenceSubmission, RecomputeRequest, ReviewState
from milestones.services.evidence import evidence_review
from tests.factories import EvidenceSubmissionFactory, RegionFactory, RequirementFactory, TrustFactory
from tests.milestones.breadcrumbs import breadcrumbs

from . import evidence_files as files


def entries_for(submission) -> list[LogEntry]:
    return list(LogEntry.objects.get_for_object(submission).order_by("timestamp", "id"))


def test_upload_then_rejection_then_new_upload_and_approval(
    client, people, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the review email's task runs when the review commits
    people.cio_a.email = "cio-a@example.nhs.uk"
    people.cio_a.save()
    client.force_login(people.cio_a)
    upload_url = reverse("milestones:evidence_upload", args=[people.trust_a.ods_code])
    client.post(upload_url, {"requirement": people.requirement.pk, "file": _file("plan.pdf"), "summary": "Plan"})
    first = EvidenceSubmission.objects.get()

    client.force_login(people.staff)
    review_url = reverse("milestones:review", args=[first.pk])
    refused = client.post(review_url, {"decision": "reject", "comment": " "})
    assert "Enter why the evidence is rejected" in refused.content.decode()
    assert 'href="#id_comment"' in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_url, {"decision": "reject", "comment": "Not signed by the board."})

    assert response.status_code == 302 and response["Location"] == reverse("milestones:review_queue")
    first.refresh_from_db()
    assert (first.state, first.reviewed_by, first.review_comment) == (
        ReviewState.REJECTED,
        people.staff,
        "Not signed by the board.",
    )
    assert first.reviewed_at is not None
    [email] = mailoutbox
    assert email.to == ["cio-a@example.nhs.uk"]
    assert "rejected" in email.subject and "Not signed by the board." in email.body
    assert RecomputeRequest.objects.filter(trust=people.trust_a, reason=f"evidence {first.pk} rejected").exists()

    [created, reviewed] = entries_for(first)
    assert created.action == LogEntry.Action.CREATE
    assert created.actor == people.cio_a and created.remote_addr == "127.0.0.1"
    assert reviewed.action == LogEntry.Action.UPDATE
    assert reviewed.actor == people.staff and reviewed.remote_addr == "127.0.0.1"
    assert reviewed.changes["state"] == ["submitted", "rejected"]

    client.force_login(people.cio_a)
    client.post(
        upload_url, {"requirement": people.requirement.pk, "file": _file("signed.pdf", b"%signed"), "summary": "Signed"}
    )
    second = EvidenceSubmission.objects.get(original_name="signed.pdf")
    client.force_login(people.staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("milestones:review", args=[second.pk]), {"decision": "approve", "comment": ""})

    second.refresh_from_db()
    assert second.state == ReviewState.APPROVED
    assert "approved" in mailoutbox[1].subject


def test_reviewed_evidence_cannot_be_reviewed_again(client, people):
    submission = EvidenceSubmissionFactory(trust=people.trust_a, state=ReviewState.APPROVED, reviewed_by=people.staff)
    client.force_login(people.staff)

    response = client.post(reverse("milestones:review", args=[submission.pk]), {"decision": "reject", "comment": "No"})

    assert "already approved" in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == ReviewState.APPROVED


def test_service_refuses_a_second_review_of_a_stale_copy(people):
    submission = EvidenceSubmissionFactory(trust=people.trust_a)
    stale = EvidenceSubmission.objects.get(pk=submission.pk)
    evidence_review(submission=submission, reviewer=people.staff, approve=True, comment="")

    with pytest.raises(ValidationError, match="already approved"):
        evidence_review(submission=stale, reviewer=people.admin, approve=False, comment="Late")
    assert EvidenceSubmission.objects.get(pk=submission.pk).reviewed_by == people.staff


def test_no_email_before_the_review_commits(people, mailoutbox, django_capture_on_commit_callbacks):
    submission = EvidenceSubmissionFactory(trust=people.trust_a)

    with django_capture_on_commit_callbacks(execute=False):
        evidence_review(submission=submission, reviewer=people.staff, approve=True, comment="")

    assert mailoutbox == []


def test_cio_withdraws_pending_evidence_which_is_kept_and_logged(client, people):
    submission = EvidenceSubmissionFactory(trust=people.trust_a, submitted_by=people.cio_a)
    client.force_login(people.cio_a)

    response = client.post(reverse("milestones:evidence_withdraw", args=[submission.pk]))

    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == ReviewState.WITHDRAWN and submission.withdrawn_at is not None
    assert submission.file.storage.exists(submission.file.name)
    update = LogEntry.objects.get_for_object(submission).get(action=LogEntry.Action.UPDATE)
    assert update.actor == people.cio_a and update.changes["state"] == ["submitted", "withdrawn"]
    assert RecomputeRequest.objects.filter(trust=people.trust_a).exists()


def test_reviewed_evidence_cannot_be_withdrawn(client, people):
    submission = EvidenceSubmissionFactory(trust=people.trust_a, state=ReviewState.REJECTED)
    client.force_login(people.cio_a)

    response = client.post(reverse("milestones:evidence_withdraw", args=[submission.pk]), follow=True)

    assert "Only evidence pending review can be withdrawn; this is rejected" in response.content.decode()
    assert EvidenceSubmission.objects.get(pk=submission.pk).state == ReviewState.REJECTED


def test_queue_lists_pending_oldest_first_with_filters_and_counts(client, people):
    north_east = RegionFactory(code="Y63", name="North East and Yorkshire")
    far_trust = TrustFactory(region=north_east)
    newer = EvidenceSubmissionFactory(trust=people.trust_a, original_name="newer.pdf")
    older = EvidenceSubmissionFactory(trust=far_trust, original_name="older.pdf")
    older.submitted_at = newer.submitted_at.replace(year=newer.submitted_at.year - 1)
    older.save()
    EvidenceSubmissionFactory(trust=people.trust_a, state=ReviewState.APPROVED, original_name="done.pdf")
    client.force_login(people.staff)
    url = reverse("milestones:review_queue")

    page = client.get(url).content.decode()
    assert page.index("older.pdf") < page.index("newer.pdf")
    assert "done.pdf" not in page
    assert "2 submissions pending review in all." in page

    filtered = client.get(url, {"region": "Y63"}).content.decode()
    assert "older.pdf" in filtered and "newer.pdf" not in filtered
    assert "1 match the filters." in filtered

    by_trust = client.get(url, {"trust": people.trust_a.ods_code}).content.decode()
    assert "newer.pdf" in by_trust and "older.pdf" not in by_trust

    by_target = client.get(url, {"target": newer.requirement.target.code}).content.decode()
    assert "newer.pdf" in by_target and "older.pdf" not in by_target


def pending_across_regions(people, count: int) -> list[EvidenceSubmission]:
    """`count` pending submissions, spread over trusts in two regions and two targets, oldest first."""
    south_west = RegionFactory(code="Y58", name="South West")
    far_trust = TrustFactory(region=south_west)
    other_requirement = RequirementFactory()
    start = timezone.now() - datetime.timedelta(days=count)
    return [
        EvidenceSubmissionFactory(
            trust=far_trust if number % 3 == 0 else people.trust_a,
            requirement=other_requirement if number % 2 else people.requirement,
            submitted_by=people.cio_a,
            submitted_at=start + datetime.timedelta(days=number),
            original_name=f"evidence-{number:03d}.pdf",
        )
        for number in range(count)
    ]


def review_rows(page: str) -> list[str]:
    """The file names in the table's cells (each name also appears, hidden, in its row's link)."""
    return re.findall(r"(evidence-\d{3}\.pdf)\s*</td>", page)


def test_queue_shows_25_a_page_with_links_that_keep_the_filters(client, people):
    pending_across_regions(people, 60)
    client.force_login(people.staff)
    url = reverse("milestones:review_queue")

    first = client.get(url).content.decode()
    assert review_rows(first) == [f"evidence-{number:03d}.pdf" for number in range(25)]
    assert "Showing 1 to 25, oldest first." in first
    assert 'class="nhsuk-pagination' in first and 'href="?page=2"' in first

    third = client.get(url, {"page": "3"}).content.decode()
    assert review_rows(third) == [f"evidence-{number:03d}.pdf" for number in range(50, 60)]
    assert "Showing 51 to 60, oldest first." in third

    london = client.get(url, {"region": "Y56", "page": "2"}).content.decode()
    # 40 of the 60 are London's (not every third): page 2 holds the last 15 of them.
    assert len(review_rows(london)) == 15 and "40 match the filters." in london
    assert 'href="?region=Y56&amp;target=&amp;trust="' not in london
    assert 'href="?region=Y56"' in london and 'href="?region=Y56&amp;page=2"' in london


def test_queue_page_number_out_of_range_or_unreadable_shows_a_page_not_an_error(client, people):
    pending_across_regions(people, 30)
    client.force_login(people.staff)
    url = reverse("milestones:review_queue")

    assert len(review_rows(client.get(url, {"page": "99"}).content.decode())) == 5
    assert len(review_rows(client.get(url, {"page": "x"}).content.decode())) == 25


def test_queue_filter_options_and_summary_count_pending_by_region_target_and_trust(client, people):
    pending_across_regions(people, 12)
    EvidenceSubmissionFactory(trust=people.trust_b, state=ReviewState.APPROVED)
    client.force_login(people.staff)

    page = client.get(reverse("milestones:review_queue")).content.decode()

    # Four of the twelve are the South West trust's (every third); trust B's only one is approved.
    options = dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', page))
    assert options["Y56"] == "London (8)"
    assert options["Y58"] == "South West (4)"
    assert options["Y61"] == "East of England (0)"
    assert options[people.trust_a.ods_code] == f"{people.trust_a.display_name}, {people.trust_a.ods_code} (8)"
    assert people.trust_b.ods_code not in options
    assert options[people.requirement.target.code] == f"{people.requirement.target.title} (6)"
    summary = page[page.index("Pending by region and target") :]
    assert re.search(r"London\s*</td>\s*<td[^>]*>\s*(<span[^>]*>[^<]*</span>)?\s*8\s*</td>", summary)
    assert "East of England" not in summary


@pytest.mark.parametrize("count", [3, 60])
def test_queue_reads_a_fixed_number_of_queries_however_long(client, people, count, django_assert_max_num_queries):
    pending_across_regions(people, count)
    client.force_login(people.staff)
    client.get(reverse("milestones:review_queue"))  # sessions and permissions cached as on any later page

    # Session, user, two permission reads, the chosen region, two counts, one page, three filter
    # lists and two summary tables: none of them repeated per row.
    with django_assert_max_num_queries(13):
        response = client.get(reverse("milestones:review_queue"), {"region": "Y56", "page": "2"})
    assert response.status_code == 200


def test_queue_breadcrumb_and_review_links_name_what_they_lead_to(client, people):
    submission = EvidenceSubmissionFactory(trust=people.trust_a, requirement=people.requirement)
    client.force_login(people.staff)

    page = client.get(reverse("milestones:review_queue")).content.decode()

    assert breadcrumbs(page) == [("/", "National overview")]
    assert (
        f'Review<span class="nhsuk-u-visually-hidden"> {submission.original_name}, {people.requirement.title}, '
        f"from {people.trust_a.display_name}</span>"
    ) in page


def _file(name: str, extra: bytes = b""):
    return SimpleUploadedFile(name, files.PDF + extra)
