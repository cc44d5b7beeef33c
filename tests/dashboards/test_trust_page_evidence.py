"""A trust page's latest evidence: each file links to its page, and a pending one to its review for
those who review evidence; every trust page links to the trust's full evidence list."""

import pytest

from milestones.models import Requirement, ReviewState
from tests.dashboards.dashboard_data import cio_user, known_dataset
from tests.factories import EvidenceSubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploads():
    data = known_dataset()
    requirement = Requirement.objects.filter(target=data.core).first()
    pending = EvidenceSubmissionFactory(trust=data.t1, requirement=requirement, original_name="pending.pdf")
    approved = EvidenceSubmissionFactory(
        trust=data.t1, requirement=requirement, original_name="approved.pdf", state=ReviewState.APPROVED
    )
    return data, pending, approved


def test_staff_see_each_file_and_a_review_link_for_the_pending_one(client, uploads):
    data, pending, approved = uploads
    client.force_login(UserFactory(roles=["Programme staff"]))

    page = client.get("/trusts/T01/").content.decode()

    assert f'<a class="nhsuk-link" href="/evidence/{pending.pk}/">pending.pdf</a>' in page
    assert f'<a class="nhsuk-link" href="/evidence/{approved.pk}/">approved.pdf</a>' in page
    assert f'href="/review/{pending.pk}/">Review<span class="nhsuk-u-visually-hidden"> pending.pdf</span>' in page
    assert f'href="/review/{approved.pk}/"' not in page
    assert '<a class="nhsuk-link" href="/trusts/T01/evidence/">See all evidence for this trust</a>' in page


def test_a_cio_sees_their_files_without_review_links(client, uploads):
    data, pending, _ = uploads
    client.force_login(cio_user(data.t1))

    page = client.get("/trusts/T01/").content.decode()

    assert f'<a class="nhsuk-link" href="/evidence/{pending.pk}/">pending.pdf</a>' in page
    assert f'href="/review/{pending.pk}/"' not in page
    # Their upload links are on the targets' requirements instead.
    assert 'href="/trusts/T01/evidence/new/?requirement=' in page
