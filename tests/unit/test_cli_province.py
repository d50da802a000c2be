"""`cumthidua province import|template` end to end on a fresh installation (no cluster folder):
the three decision shapes imported exactly, --json, --dry-run, the guards, the officers listed,
and the chair to be chosen."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.cli.main import main
from bot.domain.cluster import Cluster
from tests.province_corpus import (
    DIEN_BIEN,
    LAO_CAI,
    cut_off_docx,
    dien_bien_lines,
    headed_docx,
    headed_lines,
    table_docx,
    text_pdf,
)


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh installation: its data folder, no cluster folder, answers in Vietnamese."""
    monkeypatch.setenv("CUMTHIDUA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CUMTHIDUA_CLUSTER_DIR", raising=False)
    monkeypatch.setenv("CUMTHIDUA_DEFAULT_LANGUAGE", "vi")
    return tmp_path / "data"


def _file(tmp_path: Path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def _installed(data: Path) -> list[dict[str, Any]]:
    """Every cluster-year in the database as the decision shape: names, kind, chair, deputy
    and members by name."""
    with sqlite3.connect(data / "cumthidua.sqlite3") as db:
        rows = db.execute("SELECT data FROM cluster_years ORDER BY id").fetchall()
    found = []
    for (text,) in rows:
        cluster = Cluster.model_validate(json.loads(text)["cluster"])

        def name(code: str | None, cluster: Cluster = cluster) -> str | None:
            unit = cluster.unit(code) if code else None
            return unit.name if unit else None

        found.append(
            {
                "name": cluster.name,
                "kind": cluster.kind.value,
                "chair": name(cluster.chair),
                "deputy": name(cluster.deputy),
                "members": [u.name for u in cluster.units],
                "province": cluster.province,
                "year": cluster.year,
            }
        )
    return found


def _shape(clusters: list[dict[str, Any]], province: str, year: int) -> list[dict[str, Any]]:
    return [c | {"province": province, "year": year} for c in clusters]


@pytest.mark.parametrize(
    ("name", "content", "expected", "province"),
    [
        ("headed.docx", headed_docx, LAO_CAI, "Lào Cai"),
        ("table.docx", table_docx, LAO_CAI, "Lào Cai"),
        ("dien-bien.pdf", lambda: text_pdf(dien_bien_lines()), DIEN_BIEN, "Điện Biên"),
    ],
)
def test_three_decision_shapes_are_imported_exactly(
    data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: Any,
    expected: list[dict[str, Any]],
    province: str,
) -> None:
    path = _file(tmp_path, name, content())
    argv = ["province", "import", path, "--year", "2026", "--province", province]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"{expected[0]['name']} năm 2026" in out
    assert "Đã lưu và ghi nhật ký" in out
    assert _installed(data) == _shape(expected, province, 2026)
    assert main(["cluster", "list"]) == 0
    listing = capsys.readouterr().out
    assert listing.count("2026:") == len(expected)
    assert main(argv) == 0  # the same decision again changes nothing
    assert "Không có gì thay đổi" in capsys.readouterr().out


def test_json_prints_the_reading_and_writes_nothing(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, "qd.docx", headed_docx())
    assert main(["province", "import", path, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"clusters": LAO_CAI, "flagged": []}
    assert not (data / "cumthidua.sqlite3").exists()


def test_a_cut_off_decision_is_flagged_and_not_imported(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, "cut.docx", cut_off_docx())
    assert main(["province", "import", path, "--year", "2026", "--province", "Lào Cai"]) == 2
    out = capsys.readouterr().out
    assert "Xã Y Tý" in out and "Chưa nhập gì" in out
    assert _installed(data) == []


def test_dry_run_lists_what_would_change_and_writes_nothing(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, "qd.docx", headed_docx())
    argv = ["province", "import", path, "--year", "2026", "--province", "Lào Cai"]
    assert main([*argv, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Cụm mới Cụm 1 năm 2026: 4 đơn vị, Trưởng Cụm Phường Cam Đường (CD)" in out
    assert "Khối mới Khối thi đua Nội chính năm 2026" in out
    assert "Đơn vị mới VHTTDL: Sở Văn hóa, Thể thao và Du lịch" in out
    assert "Chạy thử: chưa ghi gì." in out
    assert _installed(data) == []


def _moved_decision() -> list[dict[str, Any]]:
    """Lào Cai's decision of a later date: Xã Mường Hum moves to Cụm 2, whose chair changes."""
    moved = json.loads(json.dumps(LAO_CAI))
    moved[0]["members"].remove("Xã Mường Hum")
    moved[1]["members"].append("Xã Mường Hum")
    moved[1]["chair"] = "Xã Y Tý"
    return moved


def test_changes_to_installed_clusters_are_shown_and_need_apply(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--year", "2026", "--province", "Lào Cai"]
    assert main(["province", "import", _file(tmp_path, "a.docx", headed_docx()), *argv]) == 0
    capsys.readouterr()
    later = _file(tmp_path, "b.docx", headed_docx(headed_lines(_moved_decision())))
    assert main(["province", "import", later, *argv, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Đơn vị Xã Mường Hum (MH) chuyển từ Cụm 1 sang Cụm 2" in out
    assert "Đơn vị trưởng: SP → YT" in out
    assert main(["province", "import", later, *argv]) == 2
    assert "chạy lại đúng lệnh đó với --apply" in capsys.readouterr().out
    assert _installed(data)[1]["chair"] == "Phường Sa Pa"  # refused: nothing changed
    assert main(["province", "import", later, *argv, "--apply"]) == 0
    assert _installed(data)[:2] == _shape(_moved_decision()[:2], "Lào Cai", 2026)
    with sqlite3.connect(data / "cumthidua.sqlite3") as db:
        actions = [r[0] for r in db.execute("SELECT action FROM audit_log ORDER BY id")]
    assert actions.count("cluster_year.imported") == 4
    assert actions.count("cluster_year.updated") == 2


def test_a_unit_of_another_cluster_of_the_year_is_refused_naming_both(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--year", "2026", "--province", "Lào Cai"]
    assert main(["province", "import", _file(tmp_path, "a.docx", headed_docx()), *argv]) == 0
    capsys.readouterr()
    other = [{"name": "Cụm 9", "kind": "cụm", "chair": "Xã Bát Xát", "deputy": None,
              "members": ["Xã Bát Xát", "Xã Tả Van"]}]  # fmt: skip
    path = _file(tmp_path, "c.docx", table_docx(other))
    assert main(["province", "import", path, *argv, "--apply"]) == 2
    out = capsys.readouterr().out
    assert "Xã Bát Xát (BX) sẽ ở cả Cụm 9 và Cụm 1 năm 2026" in out
    assert len(_installed(data)) == 4


def test_a_cluster_without_a_chair_has_its_chair_chosen_on_the_command_line(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chairless = [{"name": "Cụm 3", "kind": "cụm", "chair": None, "deputy": None,
                  "members": ["Xã Si Ma Cai", "Xã Mường Khương"]}]  # fmt: skip
    path = _file(tmp_path, "d.docx", table_docx(chairless))
    assert main(["province", "import", path, "--year", "2026", "--province", "Lào Cai"]) == 0
    assert "Trưởng Cụm chưa chọn" in capsys.readouterr().out
    assert _installed(data)[0]["chair"] is None
    assert main(["cluster", "list"]) == 0
    assert "2026: Trưởng Cụm chưa chọn, 2 đơn vị" in capsys.readouterr().out
    key = "lao-cai-cum-3"
    assert main(["cluster", "chair", key, "--year", "2026", "--unit", "ZZ"]) == 2
    assert "SMC, MK" in capsys.readouterr().out
    assert main(["cluster", "chair", key, "--year", "2026", "--unit", "MK"]) == 0
    assert "Trưởng Cụm nay là MK" in capsys.readouterr().out
    assert _installed(data)[0]["chair"] == "Xã Mường Khương"


def test_the_template_is_read_back_with_its_officers_listed(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tinh.xlsx"
    assert main(["province", "template", "--out", str(out)]) == 0
    workbook = load_workbook(out)
    workbook["Cụm, khối"].append(["Cụm 1", "cụm", "Phường Cam Đường", None, None, None])
    units = workbook["Đơn vị"]
    units.append(["Phường Cam Đường", "CAMD", "Cụm 1"])
    units.append(["Xã Bát Xát", None, "Cụm 1"])
    workbook["Cán bộ"].append(
        ["Nguyễn Văn An", "Chánh Văn phòng", "Phường Cam Đường", "0912 345 678",
         "an@laocai.gov.vn", "@nguyen_an"]
    )  # fmt: skip
    workbook.save(out)
    assert main(["province", "import", str(out), "--year", "2026", "--province", "Lào Cai"]) == 0
    assert "1 cán bộ" in capsys.readouterr().out
    with sqlite3.connect(data / "cumthidua.sqlite3") as db:
        listed = db.execute("SELECT unit_code, name, phone, telegram FROM listed_officers")
        assert listed.fetchall() == [("CAMD", "Nguyễn Văn An", "0912 345 678", "nguyen_an")]
        assert db.execute("SELECT count(*) FROM officers").fetchone() == (0,)
