"""Checks on an uploaded evidence file: its name, its size, and what its content really is.

The type is decided by the bytes, never by the name or the browser's content type, and the
name's extension must agree with it: an executable or a web page renamed .pdf is refused.
"""

import datetime
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
# Any tag, closing tag, comment, doctype or XML declaration: "<" then a letter, "/", "!" or "?".
# A comparison such as "< 18 weeks" is not markup.
_MARKUP = re.compile(rb"<\s*(?:[/?]?[a-z]|!)", re.IGNORECASE)
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


VALID_UNTIL_MAX_YEARS = 5


def validate_valid_until(valid_until: datetime.date | None, *, uploaded_on: datetime.date) -> None:
    """Evidence may be valid from the day it is uploaded up to 5 years on: a date before the upload
    could never count, and one further ahead is almost surely a typing slip (2205 for 2025)."""
    if valid_until is None:
        return
    if valid_until < uploaded_on:
        raise ValidationError("Valid until must be today or later", code="valid_until_past")
    try:
        latest = uploaded_on.replace(year=uploaded_on.year + VALID_UNTIL_MAX_YEARS)
    except ValueError:  # 29 February, in a year five on that has none
        latest = uploaded_on.replace(year=uploaded_on.year + VALID_UNTIL_MAX_YEARS, day=28)
    if valid_until > latest:
        raise ValidationError(
            f"Valid until must be no more than {VALID_UNTIL_MAX_YEARS} years from today", code="valid_until_too_far"
        )


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


def _entry_count(upload: UploadedFile) -> int | None:
    """The entry count the archive's end record declares, before its central directory is read
    (reading 200,000 entries costs seconds); None when there is no end record."""
    end = zipfile._EndRecData(upload)  # the reader zipfile.ZipFile itself starts from
    upload.seek(0)
    return end[zipfile._ECD_ENTRIES_TOTAL] if end else None


def validate_archive_bounds(upload: UploadedFile) -> None:
    """Refuse an Office file whose entry count, total unpacked size or compression ratio passes the
    EVIDENCE_ARCHIVE_* limits. Only the sizes the central directory declares are read, nothing is
    unpacked; an entry that inflates past its declared size fails its CRC check wherever it is read."""
    count = _entry_count(upload)
    if count is not None and count > settings.EVIDENCE_ARCHIVE_MAX_ENTRIES:
        raise ValidationError(
            f"The selected file has {count:,} parts inside it, more than the "
            f"{settings.EVIDENCE_ARCHIVE_MAX_ENTRIES:,} a Word or Excel file needs. Save it again from Word or Excel",
            code="archive_too_many_entries",
        )
    with zipfile.ZipFile(upload) as archive:
        entries = archive.infolist()
    upload.seek(0)
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > settings.EVIDENCE_ARCHIVE_MAX_UNCOMPRESSED_BYTES:
        raise ValidationError(
            f"The selected file would unpack to {filesizeformat(unpacked)}, more than the "
            f"{filesizeformat(settings.EVIDENCE_ARCHIVE_MAX_UNCOMPRESSED_BYTES)} allowed. Split it or save it as a PDF",
            code="archive_too_large",
        )
    packed = sum(entry.compress_size for entry in entries)
    if unpacked > settings.EVIDENCE_ARCHIVE_MAX_RATIO * max(packed, 1):
        raise ValidationError(
            f"The selected file unpacks to over {settings.EVIDENCE_ARCHIVE_MAX_RATIO} times its size, which no "
            "ordinary Word or Excel file does. Save it again from Word or Excel, or as a PDF",
            code="archive_too_compressed",
        )


def _office_type(upload: UploadedFile) -> tuple[EvidenceType | None, str]:
    try:
        validate_archive_bounds(upload)
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
