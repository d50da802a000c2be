"""What a file really is, judged by its bytes (never by its name), and its page count if cheap.

Office formats are containers: DOCX/XLSX/ODT/ODS are ZIP archives and DOC/XLS are OLE2 compound
files, so the leading magic bytes alone cannot tell them apart (general sniffers mislabel them);
the archive's member names and the OLE stream names can.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass

__all__ = ["ACCEPTED", "FileKind", "page_count", "sniff"]

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

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes) -> FileKind | None:
    """The accepted kind these bytes are, or None."""
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
        return _zip_kind(data)
    return None


def _zip_kind(data: bytes) -> FileKind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return {ODT.mime: ODT, ODS.mime: ODS}.get(mimetype)
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return None


def page_count(data: bytes, kind: FileKind) -> int | None:
    """Pages of a PDF, or the count Word saved in a DOCX; None when not cheap to know."""
    from pypdf import PdfReader  # loaded on first use: it weighs ~25 MB
    from pypdf.errors import PyPdfError

    try:
        if kind is PDF:
            return len(PdfReader(io.BytesIO(data)).pages)
        if kind is DOCX:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                app = archive.read("docProps/app.xml").decode("utf-8", "replace")
            match = re.search(r"<Pages>(\d+)</Pages>", app)
            return int(match.group(1)) if match else None
    except (PyPdfError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        log.info("page count unavailable: %s", type(exc).__name__)
    return None
