"""Small real files of each accepted type, and impostors, built in memory for the evidence tests."""

import io
import struct
import zipfile
import zlib

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


def _docx_manifest() -> bytes:
    return _CONTENT_TYPES.format(
        part="word/document.xml", content_type=f"{_OFFICE}.wordprocessingml.document.main+xml"
    ).encode()


def _zip_of(entries: list[tuple[str, int, int, bytes, int]]) -> bytes:
    """A ZIP written header by header from (name, method, CRC-32, stored bytes, size unpacked):
    local headers, the central directory, then ZIP64 end records, which hold any entry count."""
    local, central = bytearray(), bytearray()
    for name, method, crc, stored, size in entries:
        encoded = name.encode()
        header = (20, 0, method, 0, 0, crc, len(stored), size, len(encoded))
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, *header, 0, 0, 0, 0, 0, len(local)) + encoded
        local += struct.pack("<4s5H3L2H", b"PK\x03\x04", *header, 0) + encoded + stored
    count, directory_at, zip64_end_at = len(entries), len(local), len(local) + len(central)
    zip64_end = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, len(central), directory_at)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, zip64_end_at, 1)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return bytes(local + central + zip64_end + locator + end)


def _stored(name: str, data: bytes) -> tuple[str, int, int, bytes, int]:
    return name, zipfile.ZIP_STORED, zlib.crc32(data), data, len(data)


def docx_expanding_to(mebibytes: int) -> bytes:
    """A DOCX whose word/document.xml really inflates to `mebibytes` MiB of zeros. Deflate resets
    at each full flush, so every MiB compresses to the same bytes: one is compressed, then repeated
    (seconds faster than compressing them all)."""
    zeros = b"\0" * (1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    stream = block * mebibytes + compressor.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(zeros, crc)
    document = ("word/document.xml", zipfile.ZIP_DEFLATED, crc, stream, mebibytes << 20)
    return _zip_of([_stored("[Content_Types].xml", _docx_manifest()), document])


def docx_with_entries(count: int) -> bytes:
    """A DOCX with its two real parts and empty entries up to `count` in all."""
    entries = [_stored("[Content_Types].xml", _docx_manifest()), _stored("word/document.xml", b"<document/>")]
    return _zip_of(entries + [_stored(f"{index:x}", b"") for index in range(count - len(entries))])
