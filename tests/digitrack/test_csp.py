"""Every page carries a strict Content-Security-Policy: scripts and styles from the site only, no
inline code but the NHS.UK template's one script, which carries the request's nonce."""

import re

import pytest
from django.urls import reverse

from tests.factories import EvidenceSubmissionFactory

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?P<attributes>[^>]*)>(?P<body>[^<]+)</script>")


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def assert_strict(response) -> None:
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    found = directives(response)
    assert found["default-src"] == ["'none'"]
    assert found["style-src"] == ["'self'"]
    assert found["script-src"][0] == "'self'" and len(found["script-src"]) == 2
    assert found["frame-ancestors"] == ["'none'"] and found["object-src"] == ["'none'"]


def assert_only_nonced_inline_scripts(response) -> None:
    """Each inline script that runs carries this response's nonce (JSON data blocks do not run)."""
    nonce = directives(response)["script-src"][1].removeprefix("'nonce-").removesuffix("'")
    page = response.content.decode()
    running = [m for m in INLINE_SCRIPT.finditer(page) if 'type="application/json"' not in m["attributes"]]
    assert running, "the NHS.UK template's inline script is missing"
    for script in running:
        assert f'nonce="{nonce}"' in script["attributes"], script.group(0)[:120]
    assert " style=" not in page


@pytest.mark.parametrize("path", ["/", "/regions/Y56/", "/review/", "/no-such-page/"])
def test_staff_pages_carry_a_strict_policy_and_a_nonce(client, people, path):
    client.force_login(people.staff)

    response = client.get(path)

    assert_strict(response)
    assert_only_nonced_inline_scripts(response)


def test_trust_and_evidence_pages_carry_the_policy(client, people):
    client.force_login(people.cio_a)
    for path in (
        reverse("dashboards:trust", args=[people.trust_a.ods_code]),
        reverse("milestones:evidence_list", args=[people.trust_a.ods_code]),
        reverse("milestones:evidence_upload", args=[people.trust_a.ods_code]),
    ):
        response = client.get(path)
        assert_strict(response)
        assert_only_nonced_inline_scripts(response)


def test_the_sign_in_page_carries_the_policy(client):
    response = client.get("/accounts/login/")

    assert_strict(response)
    assert_only_nonced_inline_scripts(response)


def test_each_response_has_its_own_nonce(client, people):
    client.force_login(people.staff)

    first, second = client.get("/"), client.get("/")

    assert directives(first)["script-src"][1] != directives(second)["script-src"][1]


def test_csv_and_api_answers_carry_the_policy_too(client, people):
    client.force_login(people.staff)

    for path in ("/exports/national/headlines.csv", "/api/statuses.json"):
        assert directives(client.get(path))["default-src"] == ["'none'"]


def test_downloads_keep_their_own_sandbox_policy(client, people):
    submission = EvidenceSubmissionFactory(trust=people.trust_a, requirement=people.requirement)
    client.force_login(people.cio_a)

    response = client.get(reverse("milestones:evidence_download", args=[submission.pk]))

    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
