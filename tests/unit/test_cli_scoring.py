"""``cumthidua scoring import`` on three official tables of different shapes (exactly, as JSON,
then applied), a table whose sums disagree reported with its rows and not applied, and
``scoring form`` / ``scoring read`` for the operator."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.cli.main import main
from bot.domain.scoring_import import read_scoring_table, to_scoring_table
from tests.score_forms import fill_form, rows
from tests.scoring_corpus import CASES, WRONG_SUMS, TableCase, sixty_criteria
from tests.unit.test_scoring_import import BASE


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CUMTHIDUA_DATA_DIR", str(tmp_path / "data"))


def _tree(criteria: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(c["code"], c["max"], c["kind"], _tree(c["children"])) for c in criteria]


def _file(tmp_path: Path, case: TableCase) -> Path:
    path = tmp_path / f"{case.name}.{case.kind}"
    path.write_bytes(case.data())
    return path


@pytest.mark.parametrize(("case", "expected"), CASES, ids=[c.name for c, _ in CASES])
def test_an_official_table_is_imported_exactly(
    case: TableCase, expected: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, case)
    assert main(["scoring", "import", str(path), "--json", "--dry-run"]) == 0
    found = json.loads(capsys.readouterr().out)  # stdout holds the JSON alone
    assert set(found) == {"total", "groups", "bonus_penalty", "flagged"}
    assert found["total"] == expected["total"]
    assert [(g["code"], g["max"], _tree(g["criteria"])) for g in found["groups"]] == expected[
        "groups"
    ]
    bonus = [(b["code"], b["min"], b["max"]) for b in found["bonus_penalty"]]
    assert bonus == expected["bonus_penalty"]
    assert [(f["problem"], f["code"]) for f in found["flagged"]] == expected["flagged"]

    assert main(["scoring", "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{case.title}\n" in out
    assert "Bảng chấm điểm phiên bản 1 được áp dụng" in out
    for _problem, code in expected["flagged"]:
        assert f"   {code} (dòng " in out  # each flagged row shown to be confirmed
    assert main(["scoring", "import", str(path), "--dry-run"]) == 0  # still no self-score
    assert "phiên bản" not in capsys.readouterr().out


def test_a_table_whose_sums_disagree_is_reported_with_its_rows_and_not_applied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, WRONG_SUMS)
    assert main(["scoring", "import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "⚠️ Các tổng điểm không khớp:\n" in out
    assert "   1 (dòng 3): điểm tối đa ghi 25 nhưng tổng các dòng 4, 5 là 20.\n" in out
    assert "   II (dòng 7): điểm tối đa ghi 60 nhưng tổng các dòng 8, 9 là 50." in out
    assert main(["scoring", "import", str(path)]) == 2
    assert "Chưa áp dụng: anh/chị sửa văn bản rồi nhập lại." in capsys.readouterr().out


def test_the_operator_writes_and_reads_a_units_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = sixty_criteria()
    assert main(["scoring", "import", str(_file(tmp_path, case))]) == 0
    capsys.readouterr()
    form = tmp_path / "ma.xlsx"
    assert main(["scoring", "form", "--unit", "ma", "--out", str(form)]) == 0
    assert "ma.xlsx" in capsys.readouterr().out
    sheet = load_workbook(io.BytesIO(form.read_bytes())).active
    assert sheet is not None and sheet.cell(3, 1).value == "Đơn vị: Huyện Mường Ảng"
    table = to_scoring_table(read_scoring_table(case.data()), BASE)
    assert set(table.criterion_codes) <= set(rows(sheet))
    filled, total = fill_form(form.read_bytes(), table, {"I.2": "7,5"}, {"VII.1": 20, "VII.3": 0})
    form.write_bytes(filled)
    assert main(["scoring", "read", str(form), "--json"]) == 0
    read = json.loads(capsys.readouterr().out)
    assert read["total"] == pytest.approx(total - 4.5 + 7.5)
    assert read["problems"] == [] and read["blank"] == []
    assert read["scores"]["I.2"]["points"] == 7.5 and read["bonuses"]["VII.1"] is True
    assert main(["scoring", "read", str(form), "--unit", "MA"]) == 0
    assert capsys.readouterr().out.startswith("Đã đọc phiếu tự chấm điểm: tổng cộng ")
    assert main(["scoring", "form", "--unit", "XX", "--out", str(form)]) == 2
    assert "Không có đơn vị “XX”" in capsys.readouterr().out
    (tmp_path / "not.xlsx").write_bytes(b"%PDF-1.7 not a form")
    assert main(["scoring", "read", str(tmp_path / "not.xlsx")]) == 2
    assert "không phải bảng tính Excel" in capsys.readouterr().out
