"""Checks on an uploaded evidence file: its name, its size, and what its content really is.

The type is decided by the bytes, never by the name or the browser's content type, and the
name's extension must agree with it: an executable or a web page renamed .pdf is refused.
"""

import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat


@dataclass(frozen=True)
class EvidenceType:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = EvidenceType("PDF", "application/pdf", (".pdf",))
DOCX = EvidenceType(
    "Word document (DOCX)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = EvidenceType(
    "Excel spreadsheet (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
)
CSV = EvidenceType("CSV file", "text/csv", (".csv",))
PNG = EvidenceType("PNG image", "image/png", (".png",))
JPEG = EvidenceType("JPEG image", "image/jpeg", (".jpg", ".jpeg"))
EVIDENCE_TYPES = (PDF, DOCX, XLSX, CSV, PNG, JPEG)
ACCEPTED_LIST = "PDF, DOCX, XLSX, CSV, PNG or JPEG"

# The main part an Office file's [Content_Types].xml declares; macro-enabled files declare another.
_OFFICE_MAIN_PARTS = {
    DOCX: ("word/document.xml", "wordprocessingml.document.main+xml"),
    XLSX: ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
}
_CONTENT_TYPES_MAX_BYTES = 1_000_000
_MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|object|embed|meta|link|style|form|img|a\s)|<\?xml",
    re.IGNORECASE,
)
_SNIFF_BYTES = 8192


def validate_evidence_name(name: str) -> None:
    """Refuse names with folder parts or control characters; a bare file name only."""
    if "/" in name or "\\" in name or name in {"", ".", ".."}:
        raise ValidationError(
            "The file name must not include folders (such as ../ or \\). Rename the file and choose it again",
            code="path_in_name",
        )
    if any(not character.isprintable() for character in name):
        raise ValidationError(
            "The file name must not include control characters. Rename the file and choose it again",
            code="control_character_in_name",
        )


def validate_evidence_size(size: int) -> None:
    if size == 0:
        raise ValidationError("The selected file is empty", code="empty")
    limit = settings.EVIDENCE_MAX_UPLOAD_BYTES
    if size > limit:
        raise ValidationError(f"The selected file must be smaller than {filesizeformat(limit)}", code="too_large")


def type_for_name(name: str) -> EvidenceType:
    extension = PurePosixPath(name).suffix.lower()
    for evidence_type in EVIDENCE_TYPES:
        if extension in evidence_type.extensions:
            return evidence_type
    raise ValidationError(f"The selected file must be a {ACCEPTED_LIST}", code="unaccepted_extension")


def evidence_file_type(upload: UploadedFile) -> EvidenceType:
    """Check an upload's name, size and content; return its type or raise ValidationError."""
    validate_evidence_name(upload.name)
    validate_evidence_size(upload.size)
    named_type = type_for_name(upload.name)
    found_type, description = _sniff(upload)
    if found_type != named_type:
        raise ValidationError(
            f"The selected file is named as a {named_type.label} but its content is {description}. "
            f"Choose a {ACCEPTED_LIST} file",
            code="content_mismatch",
        )
    return named_type


def _sniff(upload: UploadedFile) -> tuple[EvidenceType | None, str]:
    """The accepted type the bytes are, or None with a description of what they are instead."""
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return _office_type(upload)
    guessed = filetype.guess(head)
    if guessed is not None:
        for evidence_type in (PDF, PNG, JPEG):
            if guessed.mime == evidence_type.content_type:
                return evidence_type, evidence_type.label
        return None, f"a file of type {guessed.extension.upper()}"
    return _text_type(upload)


def _office_type(upload: UploadedFile) -> tuple[EvidenceType | None, str]:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            info = archive.getinfo("[Content_Types].xml") if "[Content_Types].xml" in names else None
            # Read only the small manifest, never the rest: a zip can expand enormously.
            if info is None or info.file_size > _CONTENT_TYPES_MAX_BYTES:
                return None, "a ZIP archive that is not a Word or Excel file"
            manifest = archive.read(info).decode("utf-8", errors="replace")
    except zipfile.BadZipFile:
        return None, "a damaged ZIP archive"
    finally:
        upload.seek(0)
    for evidence_type, (part, main_type) in _OFFICE_MAIN_PARTS.items():
        if part in names and main_type in manifest:
            return evidence_type, evidence_type.label
    return None, "a ZIP archive that is not a Word or Excel file (macro-enabled files are refused)"


def _text_type(upload: UploadedFile) -> tuple[EvidenceType | None, str]:
    content = b"".join(upload.chunks())
    upload.seek(0)
    if b"\x00" in content:
        return None, "binary data of an unknown kind"
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "text that is not UTF-8"
    if _MARKUP.search(content):
        return None, "a web page or markup (HTML, SVG or XML)"
    return CSV, CSV.label
