"""Names people give their files: the detected type's extension, no bidi tricks, bounded in
UTF-8 bytes, unique within a submission."""

from __future__ import annotations

import unicodedata

from bot.domain.file_names import MAX_NAME_BYTES, display_name, safe_file_name, unique_names
from bot.domain.spreadsheet_text import csv_text, starts_like_formula

LONG = "Báo cáo kết quả thực hiện phong trào thi đua yêu nước của Ủy ban nhân dân huyện " * 4


def test_the_stored_name_carries_the_detected_extension() -> None:
    assert safe_file_name("bao-cao.hta", "pdf") == "bao-cao.pdf"
    assert safe_file_name("bao-cao.pdf", "pdf") == "bao-cao.pdf"
    assert safe_file_name("bao-cao.PDF.exe", "pdf") == "bao-cao.pdf"
    assert safe_file_name("bao-cao", "docx") == "bao-cao.docx"
    assert safe_file_name("ảnh chụp.jpeg", "jpg") == "ảnh chụp.jpg"
    assert safe_file_name("v1.2 báo cáo", "pdf") == "v1.2 báo cáo.pdf"
    assert safe_file_name("../../etc/passwd", "pdf") == "_.._etc_passwd.pdf"
    assert safe_file_name(".hta", "pdf") == "hta.pdf"
    assert safe_file_name("\u202e. ", "pdf") == "tep.pdf"


def test_bidi_and_control_characters_are_removed() -> None:
    # "invoice‮fdp.hta" shows as "invoiceath.pdf" in a right-to-left override
    assert safe_file_name("invoice\u202efdp.hta", "pdf") == "invoicefdp.pdf"
    assert safe_file_name("a\u2066b\u2069c\u200f\u200bd\x00e\n.docx", "docx") == "abcd e.docx"
    assert display_name("tệp\u202egpj.exe") == "tệpgpj.exe"


def test_long_vietnamese_names_fit_in_whole_characters() -> None:
    decomposed = unicodedata.normalize("NFD", LONG) + ".docx"
    assert len(decomposed.encode()) > 255
    name = safe_file_name(decomposed, "docx")
    assert len(name.encode()) <= MAX_NAME_BYTES and name.endswith(".docx")
    assert name == unicodedata.normalize("NFC", name)
    assert LONG.startswith(name.removesuffix(".docx"))
    assert len(display_name(LONG).encode()) <= MAX_NAME_BYTES


def test_repeated_names_in_one_submission_are_numbered() -> None:
    names = ["bc.pdf", "BC.pdf", "bc.pdf", "bc (2).pdf", "phu-luc"]
    assert unique_names(names) == [
        "bc.pdf",
        "BC (2).pdf",
        "bc (3).pdf",
        "bc (2) (2).pdf",
        "phu-luc",
    ]


def test_text_that_could_start_a_formula_is_quoted_in_csv() -> None:
    for text in ("=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"):
        assert starts_like_formula(text) and csv_text(text) == "'" + text
    assert csv_text("Báo cáo") == "Báo cáo" and csv_text(3) == 3 and csv_text("a=b") == "a=b"
