"""Nothing a signed-in user is shown may be kept by a browser's or a proxy's cache."""

import pytest
from django.urls import reverse

from tests.factories import EvidenceSubmissionFactory

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/api/statuses.json",
        "/exports/national/headlines.csv",
        "/review/",
        "/no-such-page/",
        "/admin/",
    ],
)
def test_every_signed_in_response_is_private_and_not_stored(staff_client, path):
    assert _no_store(staff_client.get(path))


def test_signed_in_trust_pages_and_downloads_are_not_stored(client, people):
    submission = EvidenceSubmissionFactory(trust=people.trust_a, requirement=people.requirement)
    client.force_login(people.cio_a)

    for path in (
        reverse("dashboards:trust", args=[people.trust_a.ods_code]),
        reverse("milestones:evidence_list", args=[people.trust_a.ods_code]),
        reverse("milestones:evidence_download", args=[submission.pk]),
        f"/exports/trusts/{people.trust_a.ods_code}/statuses.csv",
    ):
        assert _no_store(client.get(path)), path
