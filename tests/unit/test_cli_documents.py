"""``cumthidua document``: a draft from the current data, its PDF, and clear refusals."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document

from bot.cli.main import main
from bot.config import BUNDLED_CLUSTER
from tests.unit.test_document_drafts import docx_text


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CUMTHIDUA_DATA_DIR", str(tmp_path / "data"))


def test_a_report_before_anything_came_lists_every_unit_as_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out" / "bao-cao.docx"
    assert main(["document", "bao-cao-nam", "--out", str(out), "--year", "2022"]) == 0
    text = docx_text(out.read_bytes())
    assert "Trưởng Cụm đã nhận 0/8 báo cáo phải gửi, đạt 0 %." in text
    assert "Đơn vị chưa gửi đủ báo cáo: Huyện Mường Ảng, Huyện Điện Biên" in text
    assert out.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    assert f"Đã ghi văn bản vào {out.with_suffix('.pdf')}" in capsys.readouterr().out
    section_iv = text.split("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")[1].split("Trên đây")[0]
    assert "Xây dựng, ban hành và triển khai Kế hoạch công tác thi đua, khen thưởng năm 2023" in (
        section_iv
    )
    assert "TRƯỞNG CỤM\n\n\n\n\n……………………………" in text  # no officer yet: a line to sign on


def test_minutes_before_any_vote_leave_lines_to_fill_and_claim_no_vote(tmp_path: Path) -> None:
    out = tmp_path / "bien-ban.docx"
    assert main(["document", "bien-ban", "--out", str(out), "--year", "2022"]) == 0
    text = docx_text(out.read_bytes())
    for expected in (
        "Thời gian: ……… giờ ……, ngày …… tháng …… năm …….",
        "Chủ trì: ……………………………………………….",
        "5 | Thành phố Điện Biên Phủ |  | ",  # every unit listed, to fill in
        "Chưa có đơn vị gửi bảng tự chấm điểm.",
        "Không tổ chức bỏ phiếu.",
        "Cuộc họp kết thúc vào hồi ……… giờ ……… cùng ngày.",
    ):
        assert expected in text, expected
    assert "Thống nhất" not in text and "Đã bỏ phiếu" not in text


def test_another_year_or_a_broken_template_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tt.docx"
    assert main(["document", "to-trinh", "--out", str(out), "--year", "2023"]) == 2
    assert "2022" in capsys.readouterr().out and not out.exists()
    folder = tmp_path / "cluster"
    shutil.copytree(BUNDLED_CLUSTER, folder)
    (folder / "templates").mkdir()
    broken = Document()
    broken.add_paragraph("{{ doc.khong_co }}")
    broken.save(folder / "templates" / "to-trinh.docx")
    monkeypatch.setenv("CUMTHIDUA_CLUSTER_DIR", str(folder))
    assert main(["document", "to-trinh", "--out", str(out)]) == 2
    said = capsys.readouterr().out
    assert "to-trinh.docx" in said and "khong_co" in said and not out.exists()
