"""Files made by the tests to attack the bot's file handling: ZIP, DOCX and XLSX bombs whose
members inflate to gigabytes, PDFs whose page content inflates past any memory bound or takes
minutes to interpret, and an honest large PDF (an uncompressed attachment)."""

from __future__ import annotations

import functools
import os
import struct
import zlib

from fpdf import FPDF

GIB = 1 << 30
_CHUNK = 1 << 20


@functools.cache
def _deflated(chunk: bytes, repeat: int, wbits: int) -> tuple[bytes, int]:
    """``chunk`` repeated ``repeat`` times, deflated as a stream (never held inflated), and the
    CRC-32 of the inflated bytes; ``wbits`` -15 is raw deflate (ZIP), 15 zlib (PDF)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    parts, crc = [], 0
    for _ in range(repeat):
        parts.append(packer.compress(chunk))
        crc = zlib.crc32(chunk, crc)
    parts.append(packer.flush())
    return b"".join(parts), crc


def zip_archive(members: dict[str, bytes | int]) -> bytes:
    """A ZIP written by hand: a bytes member is stored deflated; an int member is that many
    zero bytes, deflated once and reused (so gigabytes cost a few hundred kilobytes)."""
    body, directory = bytearray(), bytearray()
    for name, content in members.items():
        if isinstance(content, int):
            packed, crc = _deflated(bytes(_CHUNK), content // _CHUNK, -15)
            size = content // _CHUNK * _CHUNK
        else:
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            packed, crc, size = (
                packer.compress(content) + packer.flush(),
                zlib.crc32(content),
                len(content),
            )
        encoded = name.encode()
        offset = len(body)
        fields = (20, 0, 8, 0, 0x21, crc, len(packed), size, len(encoded))
        body += struct.pack("<4s5HIIIHH", b"PK\x03\x04", *fields, 0) + encoded + packed
        directory += (
            struct.pack("<4s6HIIIHHHHHII", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0, offset)
            + encoded
        )
    count = len(members)
    end = struct.pack("<4s4HIIH", b"PK\x05\x06", 0, 0, count, count, len(directory), len(body), 0)
    return bytes(body + directory + end)


_DOCX_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="'
    b'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_XLSX_TYPES = _DOCX_TYPES.replace(b"/word/document.xml", b"/xl/workbook.xml").replace(
    b"wordprocessingml.document", b"spreadsheetml.sheet"
)
_RELS = b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'


def zip_bomb() -> bytes:
    """About 2 MB that inflates to 2 GiB."""
    return zip_archive({f"data/{i}.bin": GIB // 4 for i in range(8)})


def docx_bomb() -> bytes:
    """A DOCX in every way the type check looks at, whose document part inflates to 2 GiB."""
    return zip_archive(
        {
            "[Content_Types].xml": _DOCX_TYPES,
            "_rels/.rels": _RELS,
            "word/document.xml": GIB // 4,
        }
        | {f"word/media/image{i}.png": GIB // 4 for i in range(7)}
    )


def xlsx_bomb() -> bytes:
    """An XLSX whose sheets inflate to 2 GiB."""
    sheets: dict[str, bytes | int] = {f"xl/worksheets/sheet{i}.xml": GIB // 4 for i in range(8)}
    return zip_archive(
        {"[Content_Types].xml": _XLSX_TYPES, "_rels/.rels": _RELS, "xl/workbook.xml": b"<w/>"}
        | sheets
    )


def many_entries_zip(entries: int = 60_000) -> bytes:
    """A DOCX-looking archive with tens of thousands of (empty) members."""
    members: dict[str, bytes | int] = {"[Content_Types].xml": _DOCX_TYPES, "word/document.xml": b""}
    return zip_archive(members | {f"x/{i}": b"" for i in range(entries)})


def pdf_document(chunk: bytes, repeat: int = 1, pages: int = 1) -> bytes:
    """A PDF written by hand with a correct cross-reference table: ``pages`` pages sharing one
    Flate-compressed content stream, ``chunk`` repeated ``repeat`` times."""
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages))
    stream, _crc = _deflated(chunk, repeat, 15)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        *(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>",) * pages,
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_memory_bomb() -> bytes:
    """One page whose content stream inflates to 512 MiB of spaces (about 0.5 MB sent)."""
    return pdf_document(b" " * _CHUNK, GIB // 2 // _CHUNK)


def pdf_time_bomb() -> bytes:
    """One page whose 30 MB of drawing operators take a PDF interpreter minutes."""
    return pdf_document(b"1 0 0 1 0 0 cm 0 0 m 1 1 l S\n" * 10_000, 100)


def pdf_with_attachment(megabytes: int) -> bytes:
    """An honest, whole PDF of about ``megabytes`` MB: two pages and an uncompressed attachment."""
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for page in (1, 2):
        pdf.add_page()
        pdf.cell(0, 10, f"Bao cao day du - trang {page}")
    pdf.embed_file(bytes=os.urandom(megabytes << 20), basename="phu-luc.bin", compress=False)
    return bytes(pdf.output())
