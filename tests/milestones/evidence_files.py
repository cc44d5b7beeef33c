"""Small real files of each accepted type, and impostors, built in memory for the evidence tests."""

import io
import zipfile

from tests.factories import MINIMAL_PDF

PDF = MINIMAL_PDF
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb004300") + b"\x08" * 64 + b"\xff\xd9"
CSV = b"trust,requirement,done\nTEST,EPR live,yes\n"
# A Windows executable: the MZ header and the PE signature, as a renamed .exe starts.
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 44
    + b"\x40\x00\x00\x00"
    + b"PE\x00\x00"
    + b"\x00" * 64
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/{part}" ContentType="{content_type}"/></Types>'
)
_OFFICE = "application/vnd.openxmlformats-officedocument"


def zip_file(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def office_file(part: str, content_type: str) -> bytes:
    manifest = _CONTENT_TYPES.format(part=part, content_type=content_type)
    return zip_file({"[Content_Types].xml": manifest, part: "<document/>"})


DOCX = office_file("word/document.xml", f"{_OFFICE}.wordprocessingml.document.main+xml")
XLSX = office_file("xl/workbook.xml", f"{_OFFICE}.spreadsheetml.sheet.main+xml")
DOCM = office_file("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml")
PLAIN_ZIP = zip_file({"notes.txt": "not an office file"})
