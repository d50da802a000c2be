"""What a file really is, judged by its bytes (never by its name), and its page count if cheap.

Office formats are containers: DOCX/XLSX/ODT/ODS are ZIP archives and DOC/XLS are OLE2 compound
files, so the leading magic bytes alone cannot tell them apart (general sniffers mislabel them);
the archive's member names and the OLE stream names can. Every look inside is bounded: a ZIP's
structure is checked from its central directory (entries, declared sizes, compression ratio)
before any parser sees it, and members are read only up to a small cap.
"""

from __future__ import annotations

import io
import logging
import struct
import zipfile
from dataclasses import dataclass

__all__ = [
    "ACCEPTED",
    "BY_EXTENSION",
    "PLAN_ZIP_LIMITS",
    "UPLOAD_ZIP_LIMITS",
    "FileCheck",
    "FileKind",
    "UnsafeFile",
    "ZipLimits",
    "check",
    "check_zip",
    "has_accepted_magic",
    "pdf_structure",
    "sniff",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FileKind:
    extension: str
    mime: str


DOCX = FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ODT = FileKind("odt", "application/vnd.oasis.opendocument.text")
ODS = FileKind("ods", "application/vnd.oasis.opendocument.spreadsheet")
DOC = FileKind("doc", "application/msword")
XLS = FileKind("xls", "application/vnd.ms-excel")
PDF = FileKind("pdf", "application/pdf")
JPG = FileKind("jpg", "image/jpeg")
PNG = FileKind("png", "image/png")
ACCEPTED = (DOCX, DOC, PDF, XLSX, XLS, ODT, ODS, JPG, PNG)
BY_EXTENSION = {k.extension: k for k in ACCEPTED}

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_MAX_ZIP_COMMENT = 0xFFFF
_DIRECTORY_BYTES_PER_ENTRY = 1024
_MEMBER_READ_CAP = 1 << 20
"""At most this much of one archive member is read to judge the type (content types, mimetype)."""
_PDF_EOF_WINDOW = 1024
"""A PDF's ``%%EOF`` marker must be within this many bytes of its end."""
MAX_COUNTED_PAGES = 100_000
"""A page count above this is not believed (nor shown)."""

_OOXML_MAIN = {
    DOCX: b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
"""The main part each Office Open XML type must declare (macro-enabled variants declare others)."""


class UnsafeFile(Exception):
    """Looking inside the file would exceed a bound (entries, sizes, ratio, pages, memory, time)."""


@dataclass(frozen=True, slots=True)
class ZipLimits:
    entries: int
    unpacked_bytes: int
    """The sum of the members' declared uncompressed sizes."""
    ratio: int
    """The highest compression ratio allowed for a member larger than ``ratio_floor`` bytes."""
    ratio_floor: int = 1 << 20


UPLOAD_ZIP_LIMITS = ZipLimits(entries=2000, unpacked_bytes=256 << 20, ratio=100)
PLAN_ZIP_LIMITS = ZipLimits(entries=500, unpacked_bytes=32 << 20, ratio=100)
"""A plan's DOCX is parsed whole (python-docx reads every part), so it is held tighter."""


@dataclass(frozen=True, slots=True)
class FileCheck:
    kind: FileKind
    pages: int | None


def check_zip(data: bytes, limits: ZipLimits) -> None:
    """Raise UnsafeFile unless the archive's central directory stays within the limits.

    The entry count comes from the end-of-central-directory record, read by hand, so that an
    archive declaring a million entries is refused before ``zipfile`` builds one object for each;
    the declared sizes then bound what any later reader can inflate (``zipfile`` never yields
    more than a member's declared size)."""
    start = max(0, len(data) - _EOCD_SIZE - _MAX_ZIP_COMMENT)
    at = data.rfind(_EOCD, start)
    if at < 0 or at + _EOCD_SIZE > len(data):
        raise UnsafeFile("no end of central directory")
    entries, directory_size = struct.unpack_from("<HI", data, at + 10)
    if entries == 0xFFFF or entries > limits.entries:  # 0xFFFF: a ZIP64 archive, never needed here
        raise UnsafeFile(f"{entries} entries")
    if directory_size > limits.entries * _DIRECTORY_BYTES_PER_ENTRY:  # zipfile reads it whole
        raise UnsafeFile("central directory above the bound")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnsafeFile(f"unreadable central directory: {type(exc).__name__}") from exc
    if len(members) > limits.entries:
        raise UnsafeFile(f"{len(members)} entries")
    if sum(m.file_size for m in members) > limits.unpacked_bytes:
        raise UnsafeFile("declared sizes above the bound")
    for member in members:
        big = member.file_size > limits.ratio_floor
        if big and member.file_size > limits.ratio * max(member.compress_size, 1):
            raise UnsafeFile("compression ratio above the bound")


_MAGIC = (b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", _OLE, b"PK\x03\x04")


def has_accepted_magic(data: bytes) -> bool:
    """Whether the first bytes are those of an accepted kind (no look inside: a junk file is
    refused without starting a worker)."""
    return data.startswith(_MAGIC)


def sniff(data: bytes) -> FileKind | None:
    """The accepted kind these bytes are, or None (cheap: magic bytes and a ZIP's member names;
    an archive beyond the upload bounds is not recognised)."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPG
    if data.startswith(_OLE):
        if "WordDocument".encode("utf-16-le") in data:
            return DOC
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return XLS
        return None
    if data.startswith(b"PK\x03\x04"):
        try:
            check_zip(data, UPLOAD_ZIP_LIMITS)
        except UnsafeFile:
            return None
        return _zip_kind(data)
    return None


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as member:
        return member.read(_MEMBER_READ_CAP)


def _zip_kind(data: bytes) -> FileKind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
            if "mimetype" in names:
                mimetype = _member(archive, "mimetype").decode("ascii", "replace").strip()
                return {ODT.mime: ODT, ODS.mime: ODS}.get(mimetype)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError):
        return None
    return None


def _has_needed_parts(data: bytes, kind: FileKind) -> bool:
    """An Office file has the parts its type needs: OOXML declares its (macro-free) main part
    in ``[Content_Types].xml``; ODF has its content and manifest."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if kind in _OOXML_MAIN:
                if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
                    return False
                return _OOXML_MAIN[kind] in _member(archive, "[Content_Types].xml")
            return {"content.xml", "META-INF/manifest.xml"} <= names
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError):
        return False


def pdf_structure(data: bytes) -> tuple[bool, int | None]:
    """Whether this is a whole PDF (a ``%%EOF`` near its end, a trailer that parses to a
    document catalogue) and the page count its page tree declares (None for an encrypted one)."""
    from pypdf import PdfReader  # loaded on first use: it weighs ~25 MB
    from pypdf.errors import FileNotDecryptedError, PyPdfError

    if b"%%EOF" not in data[-_PDF_EOF_WINDOW:]:
        return False, None
    try:
        reader = PdfReader(io.BytesIO(data))
        if "/Root" not in reader.trailer:
            return False, None
        if reader.is_encrypted and not reader.decrypt(""):
            return True, None
        count = reader.trailer["/Root"]["/Pages"]["/Count"]
    except FileNotDecryptedError:
        return True, None
    except (PyPdfError, KeyError, TypeError, ValueError, AttributeError, OSError) as exc:
        log.info("PDF trailer does not parse: %s", type(exc).__name__)
        return False, None
    if not isinstance(count, int) or not 0 < count <= MAX_COUNTED_PAGES:
        return True, None
    return True, count


def _docx_pages(data: bytes) -> int | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            app = _member(archive, "docProps/app.xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError):
        return None
    start, end = app.find("<Pages>"), app.find("</Pages>")
    text = app[start + len("<Pages>") : end] if 0 <= start < end else ""
    pages = int(text) if text.isascii() and text.isdigit() else 0
    return pages if 0 < pages <= MAX_COUNTED_PAGES else None


def check(data: bytes) -> FileCheck | None:
    """The accepted kind of these bytes with its page count where cheap (PDF, DOCX), after the
    deeper checks (a PDF ends in ``%%EOF`` and its trailer parses; an Office file has the parts
    its type needs); None when not an accepted kind. Raises UnsafeFile when a bound is hit."""
    if data.startswith(b"PK\x03\x04"):
        check_zip(data, UPLOAD_ZIP_LIMITS)
        kind = _zip_kind(data)
    else:
        kind = sniff(data)
    if kind is None:
        return None
    pages = None
    if kind is PDF:
        whole, pages = pdf_structure(data)
        if not whole:
            return None
    elif kind in (DOCX, XLSX, ODT, ODS):
        if not _has_needed_parts(data, kind):
            return None
        pages = _docx_pages(data) if kind is DOCX else None
    return FileCheck(kind, pages)
