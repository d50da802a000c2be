"""Whole plans of other clusters and years (``tests/plan_corpus.py``): every reader gives each
document's rows, chair and members."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest

from bot.cli.main import main
from bot.cluster_files import load_cluster_year
from bot.config import BUNDLED_CLUSTER
from bot.domain.plan_documents import read_plan_document
from bot.domain.plan_import import extract_plan
from bot.i18n import translator
from bot.texts.plan_preview import preview_text
from tests.plan_corpus import (
    CASES,
    DEPARTMENTS_2026,
    HIGHLAND_2023,
    NORTH_2023,
    WARDS_2026,
    PlanCase,
    Row,
)


def test_the_corpus_covers_the_shapes_of_real_plans() -> None:
    assert len(CASES) >= 8
    assert {c.data()[:4] for c in CASES} >= {b"%PDF", b"PK\x03\x04"}
    assert any(c.year < 2025 for c in CASES) and any(c.year >= 2025 for c in CASES)
    assert any(c.chair[0] == "sở" for c in CASES) and any(not c.rows for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_document_gives_its_rows_chair_and_members(case: PlanCase) -> None:
    plan = extract_plan(read_plan_document(case.data()))
    assert (plan.year, plan.cluster_name) == (case.year, case.cluster)
    rows = [(t.number, t.start, t.end, "flag" if t.flagged else t.recurrence) for t in plan.tasks]
    assert rows == case.expected
    assert plan.chair == case.chair
    assert plan.members == case.members
    assert all(t.title and t.frame for t in plan.tasks)
    written = [r for r in case.rows if not isinstance(r, str)]
    if written:  # a table: each cell where it belongs, joined where it was broken or merged
        cells = [(t.title, t.responsible, t.coordinating, t.frame, t.notes) for t in plan.tasks]
        assert cells == [tuple(" ".join(c.split()) for c in r[1:]) for r in written]


def test_the_preview_reads_each_kind_of_row() -> None:
    plan = extract_plan(read_plan_document(NORTH_2023.data()))
    text = preview_text(plan, load_cluster_year(BUNDLED_CLUSTER), translator("vi"))
    assert "1. hạn chót 15/3/2023 — Xây dựng, ban hành Kế hoạch" in text
    assert "3. hạn chót 19/6/2023 — " in text
    assert "4. từ 1/10 đến 30/11/2023 — " in text
    assert "5. hằng quý — " in text and "2. thường xuyên — " in text
    assert "6. từ 1/12/2023 đến 31/1/2024 — " in text
    assert "8. “Sớm nhất có thể” ⚠️ chưa hiểu được — " in text
    assert "Các dòng cần sửa: 8" in text
    assert "7. tháng 1/2024 — Hội nghị tổng kết" in text
    assert "Năm 2023; Trưởng Cụm: huyện Mường Nhé; thành viên: huyện Mường Chà," in text
    assert "Đơn vị không có trong dữ liệu Cụm: huyện Mường Nhé, huyện Mường Chà" in text
    assert "thị xã Mường Lay" not in text.split("dữ liệu Cụm:")[1]  # the bundled ML
    assert "⚠️ Trưởng Cụm trong văn bản là Mường Nhé" in text


def test_cli_dry_run_reports_rows_recurrences_flags_and_units(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CUMTHIDUA_DATA_DIR", str(tmp_path / "data"))
    document = tmp_path / "ke-hoach-cum-3.docx"
    document.write_bytes(WARDS_2026.data())
    assert main(["plan", "import", str(document), "--json", "--dry-run"]) == 0
    out = json.loads(capsys.readouterr().out)
    rows = [(t["number"], t["start"], t["end"], t["recurrence"], t["flag"]) for t in out["tasks"]]
    assert rows[:3] == [
        (1, "2026-02-01", "2026-02-28", None, None),
        (2, None, "2026-03-30", None, None),
        (3, "2026-01-01", "2026-12-31", "monthly", None),
    ]
    assert out["chair"] == {"kind": "phường", "name": "Hồng Gai", "unit": None}
    assert [m["name"] for m in out["members"]] == ["Hạ Long", "Bãi Cháy", "Quảng La", "Thống Nhất"]
    flagged = tmp_path / "ke-hoach-khoi.pdf"
    flagged.write_bytes(DEPARTMENTS_2026.data())
    assert main(["plan", "import", str(flagged), "--json", "--dry-run"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["flagged"] == [7] and out["tasks"][6]["flag"] == "Theo lịch của tỉnh"
    assert out["tasks"][6]["start"] is None and out["tasks"][6]["end"] is None


@pytest.mark.parametrize("case", [DEPARTMENTS_2026, HIGHLAND_2023], ids=["ruled", "positions"])
def test_a_pdf_table_over_several_pages_repeats_its_header_once_read(case: PlanCase) -> None:
    rows: list[Row] = [
        [str(n), f"Nhiệm vụ thứ {n} của Cụm", "Các đơn vị", "", f"Tháng {n % 9 + 3}", ""]
        for n in range(1, 41)
    ]
    data = replace(case, rows=rows).data()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 2
    plan = extract_plan(read_plan_document(data))
    assert [t.number for t in plan.tasks] == list(range(1, 41))
    assert [t.title for t in plan.tasks][-1] == "Nhiệm vụ thứ 40 của Cụm"
    assert [t.end for t in plan.tasks][:2] == [f"{case.year}-04-30", f"{case.year}-05-31"]
    assert plan.flagged == [] and plan.chair == case.chair
