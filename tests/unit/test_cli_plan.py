"""``cumthidua plan show`` and ``check-config`` on the bundled data and on broken data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.config import BUNDLED_CLUSTER

SEED_WINDOWS = [
    (1, "2022-03-01", "2022-03-31", False),
    (2, "2022-01-01", "2022-12-31", True),
    (3, None, "2022-06-30", False),
    (4, None, "2022-07-14", False),
    (5, "2022-11-01", "2022-12-31", False),
    (6, "2022-12-01", "2023-01-31", False),
    (7, "2023-01-01", "2023-01-31", False),
    (8, "2023-01-01", "2023-01-31", False),
    (9, "2023-03-01", "2023-04-30", False),
]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CUMTHIDUA_DATA_DIR", str(tmp_path / "data"))


def test_plan_show_json_gives_the_nine_seed_windows(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "show", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    windows = [(t["number"], t["start"], t["end"], t["recurring"]) for t in plan["tasks"]]
    assert windows == SEED_WINDOWS
    assert plan["cluster"]["chair"] == "TG"
    assert [u["code"] for u in plan["units"]] == ["TG", "MA", "DB", "ML", "DBP"]
    assert plan["units"][1]["name"] == "Mường Ảng"
    assert plan["tasks"][4]["notes"] == "Có kế hoạch riêng"
    owed = {d["code"]: (d["task"], d["due"], d["owed_by"]) for d in plan["deliverables"]}
    assert owed == {
        "bc-6-thang": (3, "2022-06-30", ["MA", "DB", "ML", "DBP"]),
        "bc-nam": (6, "2022-12-31", ["MA", "DB", "ML", "DBP"]),
    }


def test_plan_show_prints_a_vietnamese_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "show"]) == 0
    out = capsys.readouterr().out
    assert "Trưởng Cụm: Huyện Tuần Giáo (TG)" in out
    assert "hạn chót 30/6/2022" in out
    assert "2   thường xuyên" in out
    assert "từ 1/11 đến 31/12/2022" in out
    assert "từ 1/12/2022 đến 31/1/2023" in out


def test_check_config_accepts_the_bundled_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-config"]) == 0
    out = capsys.readouterr().out
    assert "Cấu hình hợp lệ" in out
    assert "scoring.yaml là bảng điểm ví dụ" in out  # the bundled table says it is an example


def test_check_config_names_the_bad_field_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "cluster"
    shutil.copytree(BUNDLED_CLUSTER, broken)
    plan = broken / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("end: 2022-07-14", "end: 2022-13-45"), encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "2022-07-14" in row)
    monkeypatch.setenv("CUMTHIDUA_CLUSTER_DIR", str(broken))
    assert main(["check-config"]) == 2
    err = capsys.readouterr().err
    assert f"plan.yaml, line {line}: tasks.3.window.end:" in err


def test_check_config_names_a_bad_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CUMTHIDUA_DEFAULT_LANGUAGE", "fr")
    with pytest.raises(SystemExit) as exit_info:
        main(["check-config"])
    assert exit_info.value.code == 2
    assert "CUMTHIDUA_DEFAULT_LANGUAGE" in capsys.readouterr().err
