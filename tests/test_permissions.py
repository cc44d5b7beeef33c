"""Every evidence page and action as every role: anonymous, CIO of trust A, CIO of trust B,
programme staff and admin. Anything of another trust answers 404, so codes and ids cannot be probed."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from milestones.models import EvidenceSubmission, ReviewState
from tests.factories import MINIMAL_PDF, EvidenceSubmissionFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ROLES = ["anonymous", "cio_a", "cio_b", "staff", "admin"]


@pytest.fixture
def submission(people):
    return EvidenceSubmissionFactory(trust=people.trust_a, requirement=people.requirement, submitted_by=people.cio_a)


def fetch(client, people, role, method, url, data=None):
    if role != "anonymous":
        client.force_login(getattr(people, role))
    return getattr(client, method)(url, data or {})


def expect(response, outcome):
    if outcome == "login":
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    else:
        assert response.status_code == outcome


# (page, method, expected per role in ROLES order)
MATRIX = [
    ("evidence_list", "get", ["login", 200, 404, 200, 200]),
    ("evidence_upload", "get", ["login", 200, 404, 403, 403]),
    ("evidence_upload", "post", ["login", 302, 404, 403, 403]),
    ("evidence_detail", "get", ["login", 200, 404, 200, 200]),
    ("evidence_download", "get", ["login", 200, 404, 200, 200]),
    ("evidence_withdraw", "post", ["login", 302, 404, 403, 403]),
    ("review_queue", "get", ["login", 403, 403, 200, 200]),
    ("review", "get", ["login", 403, 403, 200, 200]),
    ("review", "post", ["login", 403, 403, 302, 302]),
    # Each person's own settings: nothing in the URL names anyone, so any signed-in person may.
    ("reminder_settings", "get", ["login", 200, 200, 200, 200]),
    ("reminder_settings", "post", ["login", 302, 302, 302, 302]),
]


def upload_form(people) -> dict:
    # Not the bytes of the `submission` fixture's file, which would be refused as a duplicate.
    content = MINIMAL_PDF.replace(b"%PDF-1.4\n", b"%PDF-1.4\n% another board paper\n")
    return {
        "requirement": people.requirement.pk,
        "file": SimpleUploadedFile("board-paper.pdf", content, content_type="application/pdf"),
        "summary": "Board paper",
    }


def url_for(page, people, submission):
    if page in {"evidence_list", "evidence_upload"}:
        return reverse(f"milestones:{page}", args=[people.trust_a.ods_code])
    if page in {"review_queue", "reminder_settings"}:
        return reverse(f"milestones:{page}")
    return reverse(f"milestones:{page}", args=[submission.pk])


@pytest.mark.parametrize(("page", "method", "outcomes"), MATRIX, ids=[f"{m} {p}" for p, m, _ in MATRIX])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_permission_matrix(client, people, submission, page, method, outcomes, role_index):
    data = {"review": {"decision": "approve"}, "evidence_upload": upload_form(people)}.get(page)
    response = fetch(client, people, ROLES[role_index], method, url_for(page, people, submission), data)
    expect(response, outcomes[role_index])


@pytest.mark.parametrize("role", ["anonymous", "cio_b", "staff", "admin"])
def test_refused_upload_stores_nothing(client, people, role):
    """Trust B's CIO posting to trust A, and roles that may not submit: no row and no file."""
    fetch(
        client,
        people,
        role,
        "post",
        reverse("milestones:evidence_upload", args=[people.trust_a.ods_code]),
        upload_form(people),
    )

    assert not EvidenceSubmission.objects.exists()
    assert not (settings.MEDIA_ROOT.exists() and any(settings.MEDIA_ROOT.rglob("*")))


def test_refused_actions_change_nothing(client, people, submission):
    client.force_login(people.cio_b)
    client.post(reverse("milestones:evidence_withdraw", args=[submission.pk]))
    client.post(reverse("milestones:review", args=[submission.pk]), {"decision": "approve"})
    client.force_login(people.staff)
    client.post(reverse("milestones:evidence_withdraw", args=[submission.pk]))

    assert EvidenceSubmission.objects.get(pk=submission.pk).state == ReviewState.SUBMITTED


def test_cio_reaching_for_another_trusts_file_by_url_gets_404_not_the_file(client, people):
    other = EvidenceSubmissionFactory(trust=people.trust_b)
    client.force_login(people.cio_a)

    response = client.get(reverse("milestones:evidence_download", args=[other.pk]))

    assert response.status_code == 404
    assert b"%PDF" not in response.content


def test_missing_and_foreign_ids_answer_alike(client, people, submission):
    client.force_login(people.cio_b)

    foreign = client.get(reverse("milestones:evidence_detail", args=[submission.pk]))
    missing = client.get(reverse("milestones:evidence_detail", args=[submission.pk + 1000]))

    assert foreign.status_code == missing.status_code == 404


def test_download_is_an_attachment_that_is_never_sniffed(client, people, submission):
    client.force_login(people.cio_a)

    response = client.get(reverse("milestones:evidence_download", args=[submission.pk]))

    assert response["Content-Disposition"] == 'attachment; filename="evidence.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_header_shows_review_queue_only_to_reviewers(client, people):
    queue = reverse("milestones:review_queue")
    evidence = reverse("milestones:evidence_list", args=[people.trust_a.ods_code])
    client.force_login(people.cio_a)
    assert f'href="{queue}"' not in client.get(evidence).content.decode()
    client.force_login(people.staff)
    assert f'href="{queue}"' in client.get(evidence).content.decode()


def test_header_links_admins_to_the_admin_and_programme_staff_to_the_trust_list(client, people):
    client.force_login(people.admin)
    page = client.get(reverse("milestones:review_queue")).content.decode()
    assert 'href="/admin/"' in page and ">Admin<" in page
    for user in (people.staff, people.cio_a):
        client.force_login(user)
        page = client.get(reverse("milestones:evidence_list", args=[people.trust_a.ods_code])).content.decode()
        assert 'href="/admin/"' not in page
        assert ('href="/trusts/"' in page) == (user == people.staff)


def test_withdraw_asks_to_confirm_first_and_a_get_changes_nothing(client, people, submission):
    client.force_login(people.cio_a)
    url = reverse("milestones:evidence_withdraw", args=[submission.pk])
    page = client.get(url).content.decode()
    assert f"Withdraw {submission.original_name}?" in page and f'action="{url}"' in page and "Yes, withdraw it" in page
    submission.refresh_from_db()
    assert submission.state == "submitted"
    assert client.put(url).status_code == 405
