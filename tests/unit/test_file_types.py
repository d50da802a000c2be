"""The content check looks deeper than the first bytes and every look inside is bounded: a ZIP's
central directory is judged before any member is inflated."""

from __future__ import annotations

import pytest

from bot.domain.file_types import (
    DOCX,
    PDF,
    PLAN_ZIP_LIMITS,
    UPLOAD_ZIP_LIMITS,
    XLSX,
    UnsafeFile,
    check,
    check_zip,
    has_accepted_magic,
)
from tests.crafted_files import (
    docx_bomb,
    many_entries_zip,
    pdf_document,
    xlsx_bomb,
    zip_archive,
    zip_bomb,
)
from tests.documents import docx_bytes, pdf_bytes

HTA = b"<html><head><hta:application id='x'/><script>new ActiveXObject('WScript.Shell')</script>"


def test_real_documents_pass_with_their_page_counts() -> None:
    found = check(pdf_bytes(pages=3))
    assert found is not None and found.kind is PDF and found.pages == 3
    found = check(docx_bytes())
    assert found is not None and found.kind is DOCX
    check_zip(docx_bytes(), PLAN_ZIP_LIMITS)  # well within even the plan bounds


def test_junk_is_told_apart_by_its_first_bytes_alone() -> None:
    assert not has_accepted_magic(b"MZ\x90\x00" * 100) and not has_accepted_magic(HTA)
    assert all(has_accepted_magic(d) for d in (pdf_bytes(), docx_bytes(), zip_bomb()))


def test_a_file_that_only_starts_like_a_pdf_is_not_one() -> None:
    assert check(b"%PDF-1.7\n" + HTA) is None  # no %%EOF, no trailer
    assert check(b"%PDF-1.7\n" + HTA + b"\n%%EOF\n") is None  # a marker, but no trailer
    whole = pdf_document(b"BT ET\n")
    found = check(whole)
    assert found is not None and found.kind is PDF and found.pages == 1
    assert check(whole + HTA * 40) is None  # the marker must be near the end


def test_an_office_file_needs_the_parts_of_its_type() -> None:
    rels = b"<Relationships/>"
    only_name = zip_archive({"word/document.xml": b"<w:document/>"})
    assert check(only_name) is None  # no [Content_Types].xml, no relationships
    macro = zip_archive(
        {
            "[Content_Types].xml": b'<Types><Override PartName="/word/document.xml" ContentType='
            b'"application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
            "_rels/.rels": rels,
            "word/document.xml": b"<w:document/>",
            "word/vbaProject.bin": b"\x00" * 64,
        }
    )
    assert check(macro) is None  # a macro-enabled document renamed .docx
    workbook = zip_archive(
        {
            "[Content_Types].xml": b"application/vnd.openxmlformats-officedocument."
            b"spreadsheetml.sheet.main+xml",
            "_rels/.rels": rels,
            "xl/workbook.xml": b"<workbook/>",
        }
    )
    found = check(workbook)
    assert found is not None and found.kind is XLSX
    odt = zip_archive({"mimetype": b"application/vnd.oasis.opendocument.text"})
    assert check(odt) is None  # no content.xml nor manifest


@pytest.mark.parametrize(
    ("bomb", "reason"),
    [
        (zip_bomb, "declared sizes"),
        (docx_bomb, "declared sizes"),
        (xlsx_bomb, "declared sizes"),
        (many_entries_zip, "entries"),
    ],
)
def test_archive_bombs_are_refused_from_their_directory(bomb, reason: str) -> None:
    data = bomb()
    assert len(data) < 6 << 20
    with pytest.raises(UnsafeFile, match=reason):
        check(data)
    with pytest.raises(UnsafeFile):
        check_zip(data, PLAN_ZIP_LIMITS)


def test_a_lying_directory_and_a_high_ratio_member_are_refused() -> None:
    honest = zip_archive({"a.bin": 4 << 20})  # 4 MiB of zeros: ratio about 1000
    with pytest.raises(UnsafeFile, match="ratio"):
        check_zip(honest, UPLOAD_ZIP_LIMITS)
    archive = bytearray(zip_archive({f"x{i}": b"" for i in range(10)}))
    archive[-12:-8] = (50 << 20).to_bytes(4, "little")  # claims a 50 MB central directory
    with pytest.raises(UnsafeFile, match="central directory"):
        check_zip(bytes(archive), UPLOAD_ZIP_LIMITS)
    with pytest.raises(UnsafeFile, match="end of central directory"):
        check_zip(b"PK\x03\x04 not really", UPLOAD_ZIP_LIMITS)
