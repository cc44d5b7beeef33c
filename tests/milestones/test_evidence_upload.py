"""Uploading evidence through the page: accepted files are stored safely, refused ones leave nothing."""

import datetime
import hashlib
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.db import DatabaseError, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from milestones.models import EvidenceSubmission, ReviewState
from milestones.services.evidence import evidence_submit
from tests.factories import EvidenceSubmissionFactory, RequirementFactory

from . import evidence_files as files


def stored_files() -> list:
    media = settings.MEDIA_ROOT
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def upload(client, trust, requirement, name: str, content: bytes, **extra):
    data = {
        "requirement": requirement.pk,
        "file": SimpleUploadedFile(name, content, content_type="application/pdf"),
        "summary": "Board paper approving the EPR go-live",
        **extra,
    }
    return client.post(reverse("milestones:evidence_upload", args=[trust.ods_code]), data)


def raw_multipart_upload(client, trust, requirement, filename: str, content: bytes):
    """Post the file name exactly as given: the test client would strip folder parts itself."""
    boundary = "digitrack-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in {"requirement": requirement.pk, "summary": "Evidence"}.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return client.generic(
        "POST",
        reverse("milestones:evidence_upload", args=[trust.ods_code]),
        b"".join(parts),
        content_type=f"multipart/form-data; boundary={boundary}",
    )


@pytest.fixture
def cio_client(client, people):
    client.force_login(people.cio_a)
    return client


def test_real_pdf_is_stored_under_a_generated_name_with_its_facts(cio_client, people):
    response = upload(cio_client, people.trust_a, people.requirement, "Board paper.pdf", files.PDF)

    assert response.status_code == 302
    assert response["Location"] == reverse("milestones:evidence_list", args=[people.trust_a.ods_code])
    submission = EvidenceSubmission.objects.get()
    assert submission.state == ReviewState.SUBMITTED
    assert submission.original_name == "Board paper.pdf"
    assert submission.size_bytes == len(files.PDF)
    assert submission.sha256 == hashlib.sha256(files.PDF).hexdigest()
    assert submission.content_type == "application/pdf"
    assert submission.submitted_by == people.cio_a
    assert "Board" not in submission.file.name and submission.file.name.endswith(".pdf")
    assert len(submission.file.name.rsplit("/", 1)[1]) >= 32
    [stored] = stored_files()
    assert stored.read_bytes() == files.PDF


def _date_fields(day: datetime.date) -> dict:
    return {"valid_until-day": str(day.day), "valid_until-month": str(day.month), "valid_until-year": str(day.year)}


def test_valid_until_is_kept(cio_client, people):
    next_year = timezone.localdate().replace(month=6, day=30) + datetime.timedelta(days=366)
    upload(cio_client, people.trust_a, people.requirement, "dspt.pdf", files.PDF, **_date_fields(next_year))
    assert EvidenceSubmission.objects.get().valid_until == next_year


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (-1, "Valid until must be today or later"),
        (5 * 366, "Valid until must be no more than 5 years from today"),
    ],
)
def test_valid_until_before_the_upload_or_over_five_years_ahead_is_refused(cio_client, people, days, message):
    day = timezone.localdate() + datetime.timedelta(days=days)

    response = upload(cio_client, people.trust_a, people.requirement, "dspt.pdf", files.PDF, **_date_fields(day))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'href="#id_valid_until-day"' in response.content.decode()
    assert not EvidenceSubmission.objects.exists()


@pytest.mark.parametrize("years", [0, 5])
def test_valid_until_today_or_exactly_five_years_ahead_is_accepted(cio_client, people, years):
    today = timezone.localdate()
    day = today.replace(year=today.year + years) if (today.month, today.day) != (2, 29) else today

    response = upload(cio_client, people.trust_a, people.requirement, "dspt.pdf", files.PDF, **_date_fields(day))

    assert response.status_code == 302
    assert EvidenceSubmission.objects.get().valid_until == day


def test_the_service_refuses_a_past_valid_until_too(people):
    with pytest.raises(ValidationError) as caught:
        evidence_submit(
            trust=people.trust_a,
            requirement=people.requirement,
            upload=SimpleUploadedFile("dspt.pdf", files.PDF),
            summary="DSPT",
            valid_until=timezone.localdate() - datetime.timedelta(days=1),
            submitted_by=people.cio_a,
        )
    assert "valid_until" in caught.value.message_dict


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("evidence.pdf", files.EXE, "is named as a PDF but its content is a file of type EXE"),
        ("evidence.pdf", files.HTML, "is named as a PDF but its content is a web page"),
        ("evidence.pdf", b"", "The selected file is empty"),
        ("evidence.exe", files.EXE, "The selected file must be a PDF, DOCX, XLSX, CSV, PNG or JPEG"),
    ],
)
def test_refused_upload_shows_its_message_and_stores_nothing(cio_client, people, name, content, message):
    response = upload(cio_client, people.trust_a, people.requirement, name, content)

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "There is a problem" in page and 'href="#id_file"' in page
    assert EvidenceSubmission.objects.count() == 0
    assert stored_files() == []


def test_over_size_file_is_refused_and_nothing_stored(cio_client, people, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024
    response = upload(cio_client, people.trust_a, people.requirement, "big.pdf", files.PDF + b"%" * 2048)

    assert "The selected file must be smaller than 1.0\xa0KB" in response.content.decode()
    assert EvidenceSubmission.objects.count() == 0
    assert stored_files() == []


def test_over_size_file_is_never_held_beyond_the_limit_and_the_other_fields_are_kept(
    cio_client, people, settings, tmp_path, monkeypatch
):
    # Larger than FILE_UPLOAD_MAX_MEMORY_SIZE, so Django's own handlers would write it all to disk.
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024 * 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    big = files.PDF + b"%" * (3 * 1024 * 1024)
    written = []
    monkeypatch.setattr(
        TemporaryUploadedFile, "write", lambda self, data: written.append(len(data)) or self.file.write(data)
    )

    response = upload(cio_client, people.trust_a, people.requirement, "big.pdf", big, summary="Kept summary")

    page = response.content.decode()
    assert "The selected file must be smaller than 1.0\xa0MB" in page and 'href="#id_file"' in page
    assert "Kept summary" in page
    assert 0 < sum(written) <= settings.EVIDENCE_MAX_UPLOAD_BYTES < len(big)
    assert list((tmp_path / "uploads").iterdir()) == []
    assert EvidenceSubmission.objects.count() == 0
    assert stored_files() == []


def test_upload_still_checks_the_csrf_token(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.cio_a)

    response = upload(client, people.trust_a, people.requirement, "a.pdf", files.PDF)

    assert response.status_code == 403
    assert EvidenceSubmission.objects.count() == 0


def test_path_in_file_name_is_refused_and_nothing_is_written_outside_media(cio_client, people, tmp_path):
    # Django keeps only the last part of a posted file name, so "../../etc/passwd" arrives as
    # "passwd": refused for having no accepted extension, and never used as a path.
    response = raw_multipart_upload(cio_client, people.trust_a, people.requirement, "../../etc/passwd", files.CSV)

    assert response.status_code == 200
    assert "The selected file must be a PDF, DOCX, XLSX, CSV, PNG or JPEG" in response.content.decode()
    assert EvidenceSubmission.objects.count() == 0
    assert stored_files() == []
    assert not (tmp_path / "etc").exists()


def test_missing_fields_are_each_linked_from_the_error_summary(cio_client, people):
    response = cio_client.post(
        reverse("milestones:evidence_upload", args=[people.trust_a.ods_code]),
        {"valid_until-day": "31", "valid_until-month": "2", "valid_until-year": "2026"},
    )

    page = response.content.decode()
    assert "<title>Error: " in page
    for anchor, message in [
        ("#id_requirement", "Choose the requirement this evidence is for"),
        ("#id_file", "Select the file to upload"),
        ("#id_summary", "Enter a summary of the evidence"),
        ("#id_valid_until-day", "Enter a real date, such as 31 3 2026"),
    ]:
        assert f'href="{anchor}"' in page and message in page


def test_same_file_twice_for_one_requirement_is_refused_naming_the_earlier_upload(cio_client, people):
    upload(cio_client, people.trust_a, people.requirement, "first.pdf", files.PDF)
    earlier = EvidenceSubmission.objects.get()

    response = upload(cio_client, people.trust_a, people.requirement, "again.pdf", files.PDF)

    page = response.content.decode()
    assert "This file was already submitted for this requirement" in page
    assert f"as first.pdf (evidence {earlier.pk}, pending review)" in page
    assert EvidenceSubmission.objects.count() == 1
    assert len(stored_files()) == 1


def test_same_file_may_be_uploaded_again_after_withdrawal_or_for_another_requirement(cio_client, people):
    EvidenceSubmissionFactory(
        trust=people.trust_a, requirement=people.requirement, state=ReviewState.WITHDRAWN, submitted_by=people.cio_a
    )
    other = RequirementFactory()

    assert upload(cio_client, people.trust_a, people.requirement, "a.pdf", files.PDF).status_code == 302
    assert upload(cio_client, people.trust_a, other, "a.pdf", files.PDF).status_code == 302


def test_requirement_of_a_target_for_another_sector_cannot_be_chosen(cio_client, people):
    community_only = RequirementFactory(target__sectors=["community"])

    response = upload(cio_client, people.trust_a, community_only, "a.pdf", files.PDF)

    assert "Select a valid choice" in response.content.decode()
    assert EvidenceSubmission.objects.count() == 0


def test_database_failure_leaves_no_orphan_file(cio_client, people):
    def insert_fails(execute, sql, params, many, context):
        if sql.startswith(f'INSERT INTO "{EvidenceSubmission._meta.db_table}" '):
            raise DatabaseError("connection lost")
        return execute(sql, params, many, context)

    # The file is stored before the row is inserted: the failed insert must take it away again.
    with pytest.raises(DatabaseError), connection.execute_wrapper(insert_fails):
        upload(cio_client, people.trust_a, people.requirement, "a.pdf", files.PDF)

    assert stored_files() == []


def test_upload_form_preselects_the_requirement_from_the_link(cio_client, people):
    url = reverse("milestones:evidence_upload", args=[people.trust_a.ods_code])
    response = cio_client.get(f"{url}?requirement={people.requirement.pk}")

    assert re.search(rf'<option value="{people.requirement.pk}" selected\s*>', response.content.decode())


def test_a_good_file_is_asked_for_again_by_name_when_another_field_has_a_problem(cio_client, people):
    response = upload(cio_client, people.trust_a, people.requirement, "board-paper.pdf", files.PDF, summary="")

    page = response.content.decode()
    assert "Enter a summary of the evidence" in page
    assert "Select board-paper.pdf again: a chosen file is not kept when the form has a problem" in page
    assert 'href="#id_file"' in page
    assert EvidenceSubmission.objects.count() == 0


def test_a_refused_file_is_named_in_its_message(cio_client, people):
    response = upload(cio_client, people.trust_a, people.requirement, "setup.exe", files.EXE)

    assert "setup.exe: The selected file must be a PDF, DOCX, XLSX, CSV, PNG or JPEG" in response.content.decode()


def test_an_archive_bomb_is_refused_on_the_page_with_its_reason(cio_client, people):
    response = upload(cio_client, people.trust_a, people.requirement, "plan.docx", files.docx_expanding_to(1024))

    assert response.status_code == 200
    assert "would unpack to 1.0\xa0GB, more than the 250.0\xa0MB allowed" in response.content.decode()
    assert not EvidenceSubmission.objects.exists()
    assert stored_files() == []


def test_an_upload_asks_for_its_trust_to_be_recomputed_so_the_reason_says_pending_review(
    cio_client, people, django_capture_on_commit_callbacks
):
    from milestones.models import RecomputeRequest

    with django_capture_on_commit_callbacks():
        upload(cio_client, people.trust_a, people.requirement, "plan.pdf", files.PDF)

    submission = EvidenceSubmission.objects.get()
    assert RecomputeRequest.objects.filter(trust=people.trust_a, reason=f"evidence {submission.pk} submitted").exists()
