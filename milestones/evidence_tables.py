"""The evidence pages' tables (what a trust can upload, its history, the review queue, the other
submissions for a requirement) as digitrack.tables.Table values, drawn like every other table."""

from collections.abc import Iterable

from django.urls import reverse

from digitrack.dates import short_date
from digitrack.tables import Hidden, Link, Table, Tag

from .labels import submission_tag
from .models import EvidenceSubmission, Requirement, ReviewState


def _state(submission: EvidenceSubmission) -> Tag:
    return Tag(**submission_tag(submission.state))


def _detail(submission: EvidenceSubmission) -> Link:
    return Link(submission.original_name, reverse("milestones:evidence_detail", args=[submission.pk]))


def upload_table(ods_code: str, requirements: Iterable[Requirement]) -> Table:
    """The requirements a trust meets by uploading evidence, each with its upload link."""
    upload = reverse("milestones:evidence_upload", args=[ods_code])
    rows = [
        [
            requirement.target.title,
            requirement.title,
            Link("Upload", f"{upload}?requirement={requirement.pk}", f"evidence for {requirement.title}"),
        ]
        for requirement in requirements
    ]
    return Table("upload", "Requirements met by uploading evidence", ["Target", "Requirement", Hidden("Action")], rows)


def history_table(submissions: Iterable[EvidenceSubmission], *, may_submit: bool, may_review: bool) -> Table:
    """A trust's uploads, newest first: each file's page, state, download and, while it is pending,
    withdrawal (for its CIOs) or review (for programme staff)."""
    rows = []
    for submission in submissions:
        actions = [
            Link("Download", reverse("milestones:evidence_download", args=[submission.pk]), submission.original_name)
        ]
        if submission.state == ReviewState.SUBMITTED:
            if may_submit:
                withdraw = reverse("milestones:evidence_withdraw", args=[submission.pk])
                actions.append(Link("Withdraw", withdraw, submission.original_name))
            if may_review:
                review = reverse("milestones:review", args=[submission.pk])
                actions.append(Link("Review", review, submission.original_name))
        rows.append(
            [
                short_date(submission.submitted_at),
                submission.requirement.title,
                _detail(submission),
                _state(submission),
                actions,
            ]
        )
    return Table(
        "evidence",
        "Files uploaded for this trust, newest first",
        ["Submitted", "Requirement", "File", "State", Hidden("Actions")],
        rows,
    )


def others_table(submission: EvidenceSubmission, others: Iterable[EvidenceSubmission]) -> Table:
    """The trust's other submissions for the requirement under review, newest first."""
    rows = [[short_date(other.submitted_at), _detail(other), _state(other), other.review_comment] for other in others]
    return Table(
        "others",
        f"Other submissions from {submission.trust.display_name} for this requirement, newest first",
        ["Submitted", "File", "State", "Reviewer's comment"],
        rows,
    )


def queue_table(submissions: Iterable[EvidenceSubmission], query: str) -> Table:
    """The review queue's page of pending evidence, each linking to its review with the queue's filters."""
    rows = []
    for submission in submissions:
        trust, requirement = submission.trust, submission.requirement
        review = Link(
            "Review",
            reverse("milestones:review", args=[submission.pk]) + query,
            f"{submission.original_name}, {requirement.title}, from {trust.display_name}",
        )
        rows.append(
            [
                short_date(submission.submitted_at),
                f"{trust.display_name} ({trust.ods_code})",
                trust.region.name,
                f"{requirement.target.title}: {requirement.title}",
                submission.original_name,
                review,
            ]
        )
    return Table(
        "queue",
        "Pending evidence",
        ["Submitted", "Trust", "Region", "Requirement", "File", Hidden("Action")],
        rows,
    )


def pending_counts_tables(regions: Iterable, targets: Iterable) -> dict[str, Table]:
    """Submissions pending review by region and by target (annotated `pending`), those with any:
    two columns each, kept tables on a phone."""
    by_region = [[region.name, region.pending] for region in regions if region.pending]
    by_target = [[target.title, target.pending] for target in targets if target.pending]
    return {
        name: Table(name, caption, [heading, "Pending"], rows, numeric=frozenset({1}), responsive=False)
        for name, caption, heading, rows in (
            ("by-region", "By region", "Region", by_region),
            ("by-target", "By target", "Target", by_target),
        )
    }
