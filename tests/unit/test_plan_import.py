"""Reading the plan document: the seed text, a DOCX with a merged cell and a broken row, and a
PDF made from it all give the same nine tasks, chair and members."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.domain.plan_documents import UnreadableDocument, read_plan_document
from bot.domain.plan_import import extract_plan
from tests.documents import SEED, plan_docx, plan_pdf, seed_rows
from tests.unit.test_cli_plan import SEED_WINDOWS


def _summary(data: bytes) -> tuple[object, ...]:
    plan = extract_plan(read_plan_document(data))
    windows = [(t.number, t.start, t.end, t.recurring) for t in plan.tasks]
    return (
        plan.year,
        plan.cluster_name,
        plan.chair,
        plan.members,
        windows,
        plan.flagged,
        [t.title for t in plan.tasks],
    )


def test_the_seed_text_gives_the_nine_tasks() -> None:
    year, name, chair, members, windows, flagged, titles = _summary(SEED.read_bytes())
    assert (year, name, chair) == (2022, "Cụm thi đua vùng thấp", ("huyện", "Tuần Giáo"))
    assert members == [
        ("huyện", "Mường Ảng"),
        ("huyện", "Điện Biên"),
        ("thị xã", "Mường Lay"),
        ("thành phố", "Điện Biên Phủ"),
    ]
    assert windows == SEED_WINDOWS and flagged == []
    assert titles[6].startswith("Tổ chức hội nghị bình xét các danh hiệu thi đua, suy tôn,")
    assert titles[6].endswith("đề nghị khen thưởng Cụm thi đua 2022.")


def test_docx_and_pdf_give_the_same_plan() -> None:
    rows = seed_rows()
    assert len(rows) == 10  # row 7 is broken over two rows, as in the seed
    from_text = _summary(SEED.read_bytes())
    assert _summary(plan_docx(rows)) == from_text
    assert _summary(plan_pdf(rows)) == from_text


def test_a_document_without_a_task_table_is_refused() -> None:
    with pytest.raises(UnreadableDocument):
        read_plan_document("Một công văn không có bảng nhiệm vụ.".encode())


def test_damaged_files_are_refused_not_crashed_on() -> None:
    broken_docx = io.BytesIO()
    with zipfile.ZipFile(broken_docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><not xml")
    for data in (plan_pdf(seed_rows())[:400], broken_docx.getvalue()):
        with pytest.raises(UnreadableDocument, match="cannot be read"):
            read_plan_document(data)


def test_cli_import_dry_run_prints_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CUMTHIDUA_DATA_DIR", str(tmp_path / "data"))
    assert main(["plan", "import", str(SEED), "--json", "--dry-run"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [
        (t["number"], t["start"], t["end"], t["recurring"]) for t in out["tasks"]
    ] == SEED_WINDOWS
    assert out["flagged"] == []
    assert out["chair"] == {"kind": "huyện", "name": "Tuần Giáo", "unit": "TG"}
    assert [m["unit"] for m in out["members"]] == ["MA", "DB", "ML", "DBP"]


def test_cli_import_refuses_flagged_rows_and_confirms_good_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CUMTHIDUA_DATA_DIR", str(tmp_path / "data"))
    broken = tmp_path / "ke-hoach.txt"
    broken.write_text(
        SEED.read_text(encoding="utf-8").replace("Tháng 11-12/2022", "Sớm nhất có thể"),
        encoding="utf-8",
    )
    assert main(["plan", "import", str(broken)]) == 2
    assert "Các dòng cần sửa: 5" in capsys.readouterr().out
    assert main(["plan", "import", str(SEED)]) == 0
    assert "Đã xác nhận kế hoạch (phiên bản 1)" in capsys.readouterr().out
    assert main(["audit"]) == 0
    assert "plan.confirmed" in capsys.readouterr().out
