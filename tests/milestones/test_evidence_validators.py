"""The upload checks: the type comes from the bytes, and the name must agree with it."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from milestones import validators

from . import evidence_files as files


def check(name: str, content: bytes) -> validators.EvidenceType:
    return validators.evidence_file_type(SimpleUploadedFile(name, content))


def refusal(name: str, content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check(name, content)
    return caught.value


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("board-paper.pdf", files.PDF, validators.PDF),
        ("Board Paper.PDF", files.PDF, validators.PDF),
        ("plan.docx", files.DOCX, validators.DOCX),
        ("tracker.xlsx", files.XLSX, validators.XLSX),
        ("tracker.csv", files.CSV, validators.CSV),
        ("screen.png", files.PNG, validators.PNG),
        ("photo.jpg", files.JPEG, validators.JPEG),
        ("photo.jpeg", files.JPEG, validators.JPEG),
    ],
)
def test_each_accepted_type_is_recognised_by_its_content(name, content, expected):
    assert check(name, content) == expected


def test_executable_renamed_pdf_is_refused_naming_what_it_is():
    error = refusal("evidence.pdf", files.EXE)
    assert error.code == "content_mismatch"
    assert "named as a PDF but its content is a file of type EXE" in error.messages[0]


def test_html_renamed_pdf_is_refused_as_a_web_page():
    error = refusal("evidence.pdf", files.HTML)
    assert "its content is a web page" in error.messages[0]


def test_html_renamed_csv_is_refused():
    assert refusal("data.csv", files.HTML).code == "content_mismatch"


def test_text_with_nul_bytes_is_not_csv():
    assert refusal("data.csv", b"a,b\n\x00\x01").code == "content_mismatch"


def test_csv_must_be_utf8():
    assert "not UTF-8" in refusal("data.csv", "naïve,café\n".encode("latin-1")).messages[0]


def test_macro_enabled_word_file_renamed_docx_is_refused():
    assert "macro-enabled" in refusal("plan.docx", files.DOCM).messages[0]


def test_plain_zip_renamed_xlsx_is_refused():
    assert refusal("tracker.xlsx", files.PLAIN_ZIP).code == "content_mismatch"


def test_pdf_named_as_png_is_refused():
    assert "named as a PNG image but its content is PDF" in refusal("scan.png", files.PDF).messages[0]


def test_unaccepted_extension_is_refused():
    assert refusal("tool.exe", files.EXE).code == "unaccepted_extension"
    assert refusal("passwd", files.CSV).code == "unaccepted_extension"


def test_empty_file_is_refused():
    error = refusal("evidence.pdf", b"")
    assert error.messages == ["The selected file is empty"]


def test_file_over_the_configured_size_is_refused(settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 100
    error = refusal("evidence.pdf", files.PDF + b"%" * 100)
    assert error.messages == ["The selected file must be smaller than 100\xa0bytes"]


@pytest.mark.parametrize("name", ["../../etc/passwd", "..\\..\\evidence.pdf", "reports/evidence.pdf", ".."])
def test_name_with_folder_parts_is_refused(name):
    with pytest.raises(ValidationError) as caught:
        validators.validate_evidence_name(name)
    assert caught.value.code == "path_in_name"


def test_name_with_control_characters_is_refused():
    with pytest.raises(ValidationError) as caught:
        validators.validate_evidence_name("evidence\r\n.pdf")
    assert caught.value.code == "control_character_in_name"


@pytest.fixture(scope="module")
def gibibyte_docx() -> bytes:
    return files.docx_expanding_to(1024)


def test_a_docx_that_unpacks_to_a_gibibyte_is_refused_unopened(gibibyte_docx, monkeypatch):
    assert len(gibibyte_docx) < 1_100_000  # about 1 MB on the wire
    # Nothing may be inflated to decide: the limits are read from the central directory.
    monkeypatch.setattr("zipfile.ZipExtFile.read", lambda *args: pytest.fail("an entry was unpacked"))

    error = refusal("plan.docx", gibibyte_docx)

    assert error.code == "archive_too_large"
    assert "would unpack to 1.0\xa0GB" in error.messages[0]


def test_a_docx_with_215002_entries_is_refused_by_its_count(settings):
    error = refusal("plan.docx", files.docx_with_entries(215_002))

    assert error.code == "archive_too_many_entries"
    assert "215,002 parts" in error.messages[0]


def test_a_highly_compressed_docx_under_the_size_limit_is_refused_by_its_ratio(settings):
    settings.EVIDENCE_ARCHIVE_MAX_UNCOMPRESSED_BYTES = 10 * 1024 * 1024 * 1024

    error = refusal("plan.docx", files.docx_expanding_to(50))

    assert error.code == "archive_too_compressed"


def test_archive_limits_are_settings(settings):
    settings.EVIDENCE_ARCHIVE_MAX_ENTRIES = 1
    assert refusal("plan.docx", files.DOCX).code == "archive_too_many_entries"


def test_ordinary_office_files_pass_the_archive_limits():
    assert check("plan.docx", files.DOCX) == validators.DOCX
    assert check("plan.docx", files.docx_with_entries(500)) == validators.DOCX


@pytest.mark.parametrize(
    "content",
    [
        b"name,note\nA,<marquee>hello</marquee>\n",
        b"name,note\nA,<details open ontoggle=alert(1)>\n",
        b"name,note\nA,<p>\n",
        b"name,note\nA,</td>\n",
        b"name,note\nA,<!-- hidden -->\n",
        b"name,note\nA,<img/src=x onerror=alert(1)>\n",
    ],
)
def test_csv_with_any_html_tag_is_refused(content):
    assert "markup" in refusal("data.csv", content).messages[0]


def test_csv_with_comparisons_is_not_markup():
    assert check("data.csv", b"measure,value\nwait < 18 weeks,yes\nscore > 3 and < 5,no\n") == validators.CSV
