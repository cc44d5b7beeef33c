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
