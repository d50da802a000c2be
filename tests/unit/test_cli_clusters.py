"""`cumthidua cluster import/list`, and the year argument of the exports."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import open_services
from bot.cli.export import export_ranking, export_submissions
from bot.cli.main import main
from bot.clock import FixedClock
from bot.config import BUNDLED_CLUSTER, Settings
from bot.domain.submissions import SubmissionFile
from bot.i18n import translator

_ = translator("vi")


def _env(monkeypatch: pytest.MonkeyPatch, data: Path) -> None:
    monkeypatch.setenv("CUMTHIDUA_DATA_DIR", str(data))


def test_cluster_list_shows_the_bundled_year_after_first_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _env(monkeypatch, tmp_path / "data")
    assert main(["cluster", "list"]) == 0
    out = capsys.readouterr().out
    assert "Cụm thi đua vùng thấp (Điện Biên) — dien-bien-cum-thi-dua-vung-thap" in out
    assert "2022: Trưởng Cụm TG, 5 đơn vị, đang mở" in out


def test_cluster_import_adds_and_updates_a_year_and_names_the_line_of_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _env(monkeypatch, tmp_path / "data")
    folder = tmp_path / "vung-thap-2023"
    shutil.copytree(BUNDLED_CLUSTER, folder)
    cluster = folder / "cluster.yaml"
    cluster.write_text(
        cluster.read_text(encoding="utf-8")
        .replace("year: 2022", "year: 2023")
        .replace("chair: TG", "chair: MA"),
        encoding="utf-8",
    )
    assert main(["cluster", "import", str(folder)]) == 0
    assert "Đã nhập Cụm thi đua vùng thấp năm 2023: 5 đơn vị, Trưởng Cụm MA" in (
        capsys.readouterr().out
    )
    assert main(["cluster", "import", str(folder)]) == 0
    assert "Không có gì thay đổi" in capsys.readouterr().out
    cluster.write_text(
        cluster.read_text(encoding="utf-8").replace("kind: thị xã", "kind: làng"),
        encoding="utf-8",
    )
    assert main(["cluster", "import", str(folder)]) == 2
    error = capsys.readouterr().err
    assert f"{cluster}, line 12: units.3.kind" in error
    assert main(["cluster", "list"]) == 0
    listing = capsys.readouterr().out
    assert "2022: Trưởng Cụm TG" in listing and "2023: Trưởng Cụm MA" in listing


async def test_the_exports_take_a_year(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data")
    clock = FixedClock(datetime(2022, 7, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    services = await open_services(settings, clock)
    try:
        old = services.year
        new_data = old.data.model_copy(
            update={"cluster": old.data.cluster.model_copy(update={"year": 2023})}
        )
        await services.years.hand_over(old, new_data, (), "test", clock.now())
        officer = await services.db.execute(
            "INSERT INTO officers (name, unit_code, role, created_at) VALUES ('A', 'MA',"
            " 'member', '2022-01-01T00:00:00+00:00')"
        )
        sha = await services.files.put(b"%PDF-1.4 bc", "application/pdf", clock.now())
        await services.submissions.create(
            "k1",
            "bc-6-thang",
            "MA",
            officer,
            "telegram",
            clock.now(),
            old.data.plan.deliverables[0].due,
            1,
            "",
            [SubmissionFile(sha, "bc.pdf", 11, "pdf")],
        )
    finally:
        await services.db.close()
    assert await export_submissions(settings, tmp_path / "y2022", _, None, 2022) == 0
    with (tmp_path / "y2022" / "manifest.csv").open(encoding="utf-8-sig") as handle:
        assert [r["unit"] for r in csv.DictReader(handle)] == ["MA"]
    assert await export_submissions(settings, tmp_path / "y2023", _) == 0  # the current year
    with (tmp_path / "y2023" / "manifest.csv").open(encoding="utf-8-sig") as handle:
        assert list(csv.DictReader(handle)) == []
    assert await export_submissions(settings, tmp_path / "y2019", _, None, 2019) == 2
    assert "không có năm 2019" in capsys.readouterr().out
    assert await export_ranking(settings, tmp_path / "r.xlsx", _, None, 2022) == 0


def test_cluster_import_refuses_to_overwrite_or_rename_without_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _env(monkeypatch, tmp_path / "data")
    folder = tmp_path / "vung-thap"
    shutil.copytree(BUNDLED_CLUSTER, folder)
    cluster = folder / "cluster.yaml"
    text = cluster.read_text(encoding="utf-8")
    cluster.write_text(text.replace("chair: TG", "chair: MA"), encoding="utf-8")
    assert main(["cluster", "import", str(folder)]) == 2  # the installed cluster's name
    out = capsys.readouterr().out
    assert "Cụm thi đua vùng thấp năm 2022 thay đổi:\n  Đơn vị trưởng: TG → MA" in out
    assert "chạy lại đúng lệnh đó với --apply" in out
    assert main(["cluster", "list"]) == 0
    assert "2022: Trưởng Cụm TG" in capsys.readouterr().out
    other = tmp_path / "vung-cao"
    shutil.copytree(BUNDLED_CLUSTER, other)
    renamed = text.replace("name: Cụm thi đua vùng thấp", "name: Cụm thi đua vùng cao")
    (other / "cluster.yaml").write_text(
        renamed.replace("year: 2022", "year: 2023").replace("name: Tuần Giáo", "name: Bát Xát"),
        encoding="utf-8",
    )
    assert main(["cluster", "import", str(other), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Đơn vị TG đổi tên: Tuần Giáo → Bát Xát" in out and "Chạy thử: chưa ghi gì." in out
    assert main(["cluster", "import", str(other)]) == 2
    assert "--apply" in capsys.readouterr().out
    assert main(["cluster", "import", str(other), "--apply"]) == 0
    assert "Đã nhập Cụm thi đua vùng cao năm 2023" in capsys.readouterr().out


def test_cluster_close_and_remove_say_what_they_did_or_why_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _env(monkeypatch, tmp_path / "data")
    key = "dien-bien-cum-thi-dua-vung-thap"
    assert main(["cluster", "list"]) == 0
    with sqlite3.connect(tmp_path / "data" / "cumthidua.sqlite3") as db:
        db.execute(
            "INSERT INTO task_marks (cluster_year_id, task, status, at)"
            " VALUES (1, 7, 'done', '2022-12-01T00:00:00+00:00')"
        )
    capsys.readouterr()
    assert main(["cluster", "remove", key, "--year", "2022"]) == 2
    out = capsys.readouterr().out
    assert "Chưa xóa Cụm thi đua vùng thấp năm 2022: đã có dữ liệu công việc (task_marks)" in out
    assert f"cumthidua cluster close {key} --year 2022" in out
    assert main(["cluster", "close", key, "--year", "2022"]) == 0
    assert "Đã đóng Cụm thi đua vùng thấp năm 2022" in capsys.readouterr().out
    assert main(["cluster", "close", "khong-co", "--year", "2022"]) == 2
    assert "Không có cụm “khong-co”" in capsys.readouterr().out
