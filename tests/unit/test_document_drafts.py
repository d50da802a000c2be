"""The documents' data drafted from a year-end, and rendering through the templates: the
cluster's own templates, escaping, the sandbox and a broken template."""

from __future__ import annotations

import importlib.util
import io
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from bot.outputs.document_drafts import (
    award_proposal,
    cluster_report,
    official_day,
    review_minutes,
)
from bot.outputs.docx_render import BUNDLED_TEMPLATES, DocumentError, render_document
from tests.year_end import year_end


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_dates_are_written_as_decree_30_wants() -> None:
    assert official_day(date(2023, 1, 5)) == "ngày 05 tháng 01 năm 2023"
    assert official_day(date(2022, 3, 9)) == "ngày 09 tháng 3 năm 2022"
    assert official_day(date(2022, 12, 20)) == "ngày 20 tháng 12 năm 2022"


def test_the_report_counts_what_came_and_what_is_late_or_missing() -> None:
    end = year_end()
    report = cluster_report(
        end.year, date(2022, 12, 25), False, end.status, end.received, end.ranking, end.inspections
    )
    assert (report.sent, report.owed, report.completion) == (7, 8, "87,5")
    assert report.late_units == ("Thị xã Mường Lay",)
    assert report.missing_units == ("Thành phố Điện Biên Phủ",)
    late = next(line for line in report.reports if line.status == "late")
    assert (late.unit, late.received, late.days_late) == ("Thị xã Mường Lay", "4/7/2022", 4)
    assert report.head.governing_body == "UBND TỈNH ĐIỆN BIÊN"
    assert report.head.issuing_body == "CỤM THI ĐUA VÙNG THẤP"
    assert report.head.place == "Tuần Giáo" and report.head.recipients[-1] == "Lưu: VT."
    assert [r.proposal for r in report.ranking[:3]] == ["Bằng khen", "Cờ thi đua", "Bằng khen"]
    assert len(report.inspections) == 5
    mid = cluster_report(end.year, date(2022, 7, 10), True, end.status, end.received, None)
    assert (mid.sent, mid.owed, mid.period, mid.ranking) == (4, 4, "6 tháng đầu năm 2022", ())


def test_minutes_and_proposal_carry_the_votes() -> None:
    end = year_end()
    minutes = review_minutes(end.year, date(2022, 12, 20), end.ranking, end.ballots)
    assert minutes.attendance[0].unit == "Huyện Tuần Giáo"
    flag, merit = minutes.ballots
    assert flag.rule == "từ 80 % trở lên tổng số đơn vị trong Cụm"
    assert merit.rule == "trên 50 % tổng số đơn vị trong Cụm"
    assert [(c.unit, c.votes, c.share, c.elected) for c in flag.counts] == [
        ("Huyện Tuần Giáo", 1, "20", False),
        ("Huyện Mường Ảng", 4, "80", True),
    ]
    assert merit.elected == ("Huyện Điện Biên", "Huyện Tuần Giáo")
    assert minutes.conclusions[0].endswith("Cờ thi đua của UBND tỉnh cho: Huyện Mường Ảng.")
    proposal = award_proposal(end.year, date(2022, 12, 26), end.ranking, end.ballots)
    assert proposal.by_vote
    assert [(f.unit, f.votes) for f in proposal.flags] == [("Huyện Mường Ảng", "4/5 đơn vị (80 %)")]
    assert [c.unit for c in proposal.certificates] == ["Huyện Tuần Giáo", "Huyện Điện Biên"]
    by_score = award_proposal(end.year, date(2022, 12, 26), end.ranking)
    assert not by_score.by_vote and by_score.flags[0].votes == ""


def test_the_bundled_report_template_lays_out_the_data() -> None:
    end = year_end()
    report = cluster_report(
        end.year, date(2022, 12, 25), False, end.status, end.received, end.ranking, end.inspections
    )
    text = docx_text(render_document(report))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "Tuần Giáo, ngày 25 tháng 12 năm 2022" in text
    assert "Thị xã Mường Lay | Báo cáo kết quả thi đua, khen thưởng 6 tháng đầu năm 2022" in text
    assert "Trễ 4 ngày" in text and "Chưa nộp" in text and "{{" not in text and "{%" not in text
    document = Document(io.BytesIO(render_document(report)))
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.sections[0].page_width.cm == pytest.approx(21, abs=0.01)


def _template(folder: Path, body: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    document = Document()
    document.add_paragraph(body)
    document.save(folder / "to-trinh.docx")


def test_a_cluster_year_folder_may_bring_its_own_template(tmp_path: Path) -> None:
    end = year_end()
    proposal = award_proposal(end.year, date(2022, 12, 26), end.ranking)
    _template(tmp_path / "templates", "Mẫu riêng của tỉnh: {{ doc.cluster }} {{ doc.year }}")
    assert "Mẫu riêng của tỉnh: Cụm thi đua vùng thấp 2022" in docx_text(
        render_document(proposal, tmp_path)
    )
    assert "Mẫu riêng" not in docx_text(render_document(proposal, tmp_path / "elsewhere"))
    assert (BUNDLED_TEMPLATES / "to-trinh.docx").is_file()
    odd = replace(proposal, cluster='Cụm <b>"A & B"</b>')
    assert 'Cụm <b>"A & B"</b> 2022' in docx_text(render_document(odd, tmp_path))


@pytest.mark.parametrize(
    "body",
    [
        "{{ doc.cluster ",  # a tag Word split or a typo
        "{{ doc.no_such_field }}",
        "{{ doc.__class__.__mro__ }}",  # the sandbox
    ],
)
def test_a_broken_template_is_named_in_the_error(tmp_path: Path, body: str) -> None:
    end = year_end()
    _template(tmp_path / "templates", body)
    with pytest.raises(DocumentError, match=r"to-trinh\.docx"):
        render_document(award_proposal(end.year, date(2022, 12, 26), end.ranking), tmp_path)
    (tmp_path / "templates" / "to-trinh.docx").write_bytes(b"not a zip")
    with pytest.raises(DocumentError, match="not a usable DOCX template"):
        render_document(award_proposal(end.year, date(2022, 12, 26), end.ranking), tmp_path)


def test_the_bundled_templates_are_what_the_script_writes(tmp_path: Path) -> None:
    """scripts/make_document_templates.py is the source of the committed .docx files."""
    script = Path(__file__).resolve().parents[2] / "scripts" / "make_document_templates.py"
    spec = importlib.util.spec_from_file_location("make_document_templates", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for written in module.write_templates(tmp_path):
        kept = BUNDLED_TEMPLATES / written.name
        with zipfile.ZipFile(written) as fresh, zipfile.ZipFile(kept) as bundled:
            assert fresh.read("word/document.xml") == bundled.read("word/document.xml"), kept
