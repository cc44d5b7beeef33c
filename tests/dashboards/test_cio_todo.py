"""A trust CIO's home page: a to-do per trust, each item with its upload pre-filled."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboards.selectors.todo import evidence_todo
from milestones.models import ReviewState
from tests.factories import EvidenceSubmissionFactory, RequirementFactory, TargetFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 1)


@pytest.fixture
def target():
    return TargetFactory(title="Test target for the to-do")


def requirement(target, title):
    return RequirementFactory(target=target, title=title)


def states(items, target) -> dict[str, str]:
    """requirement title: to-do state, for the test target's requirements."""
    return {item.requirement.title: item.state for item in items if item.requirement.target_id == target.pk}


def test_todo_lists_missing_rejected_expired_expiring_and_pending_but_not_what_is_done(people, target):
    reviewed = timezone.now()
    cases = {
        "missing": [],
        "rejected": [{"state": ReviewState.REJECTED, "reviewed_at": reviewed, "review_comment": "Not signed"}],
        "expired": [
            {"state": ReviewState.APPROVED, "reviewed_at": reviewed, "valid_until": TODAY - datetime.timedelta(1)}
        ],
        "expiring": [
            {"state": ReviewState.APPROVED, "reviewed_at": reviewed, "valid_until": TODAY + datetime.timedelta(60)}
        ],
        "pending": [{"state": ReviewState.REJECTED, "reviewed_at": reviewed}, {"state": ReviewState.SUBMITTED}],
        "approved far ahead": [
            {"state": ReviewState.APPROVED, "reviewed_at": reviewed, "valid_until": TODAY + datetime.timedelta(61)}
        ],
        "approved for good": [{"state": ReviewState.APPROVED, "reviewed_at": reviewed}],
        "withdrawn": [{"state": ReviewState.WITHDRAWN}],
        # A newer approval that lasts longer wins over an older one about to expire.
        "renewed": [
            {"state": ReviewState.APPROVED, "reviewed_at": reviewed, "valid_until": TODAY + datetime.timedelta(10)},
            {"state": ReviewState.APPROVED, "reviewed_at": reviewed, "valid_until": TODAY + datetime.timedelta(400)},
        ],
    }
    for title, submissions in cases.items():
        made = requirement(target, title)
        for fields in submissions:
            EvidenceSubmissionFactory(trust=people.trust_a, requirement=made, **fields)
    # Another trust's evidence counts for nothing here.
    EvidenceSubmissionFactory(
        trust=people.trust_b, requirement=target.requirements.get(title="missing"), state=ReviewState.APPROVED
    )

    todo = states(evidence_todo(people.trust_a.__class__.objects.filter(pk=people.trust_a.pk), today=TODAY), target)

    assert todo == {
        "missing": "missing",
        "rejected": "rejected",
        "expired": "expired",
        "expiring": "expiring",
        "pending": "pending",
        "withdrawn": "missing",
    }


def test_cio_home_lists_each_trusts_todo_with_a_prefilled_upload(client, people, target):
    missing = requirement(target, "Signed board paper")
    EvidenceSubmissionFactory(
        trust=people.trust_a,
        requirement=requirement(target, "Patching report"),
        state=ReviewState.REJECTED,
        reviewed_at=timezone.now(),
        review_comment="The report is for another trust.",
    )
    client.force_login(people.cio_a)

    response = client.get("/")

    page = response.content.decode()
    assert response["Cache-Control"] == "private, no-store"  # never kept by a shared cache
    assert people.trust_a.display_name in page and people.trust_b.display_name not in page
    upload = reverse("milestones:evidence_upload", args=[people.trust_a.ods_code])
    assert f'href="{upload}?requirement={missing.pk}"' in page
    assert 'Upload evidence<span class="nhsuk-u-visually-hidden"> for Signed board paper</span>' in page
    assert "The reviewer said: The report is for another trust." in page
    # The upload form it opens has the requirement chosen.
    form = client.get(f"{upload}?requirement={missing.pk}").content.decode()
    assert re.search(rf'<option value="{missing.pk}" selected', form)


def test_cio_home_is_not_shared_between_cios_of_different_trusts(client, people, target):
    requirement(target, "Signed board paper")
    client.force_login(people.cio_a)
    assert people.trust_a.display_name in client.get("/").content.decode()
    client.force_login(people.cio_b)
    page = client.get("/").content.decode()
    assert people.trust_b.display_name in page and people.trust_a.display_name not in page


def test_an_upload_shows_on_the_cio_home_at_once(client, people, target):
    made = requirement(target, "Signed board paper")
    client.force_login(people.cio_a)
    assert "No evidence has been uploaded." in client.get("/").content.decode()
    EvidenceSubmissionFactory(trust=people.trust_a, requirement=made)
    page = client.get("/").content.decode()
    assert "Waiting for review" in page and "Pending review: uploaded on" in page
