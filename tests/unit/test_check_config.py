"""`cumthidua check-config` checks every cluster-year in the database: time zone names, chair
and deputy among the units, dates inside the plan's year, a unit in one cluster a year; a broken
cluster-year never ends a later command in a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.cli.main import main


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An installation with the bundled cluster-year, started once."""
    monkeypatch.setenv("CUMTHIDUA_DATA_DIR", str(tmp_path / "data"))
    assert main(["cluster", "list"]) == 0
    return tmp_path / "data" / "cumthidua.sqlite3"


def _edit(database: Path, sql: str) -> None:
    with sqlite3.connect(database) as db:
        db.execute(sql)


def test_a_valid_database_passes(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["check-config"]) == 0
    assert "Dữ liệu 1 năm của các cụm, khối trong cơ sở dữ liệu hợp lệ." in capsys.readouterr().out


def test_each_broken_field_is_named_with_cluster_and_year(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(
        database,
        "UPDATE cluster_years SET data = json_set(data, '$.cluster.timezone', 'Asia/Ho_Chi_Mihn',"
        " '$.cluster.chair', 'ZZ', '$.plan.tasks[2].window.end', '2030-01-31')",
    )
    capsys.readouterr()
    assert main(["check-config"]) == 2
    out = capsys.readouterr().out
    where = "dien-bien-cum-thi-dua-vung-thap năm 2022, trường"
    assert f"{where} cluster.timezone: “Asia/Ho_Chi_Mihn” không phải múi giờ" in out
    assert f"{where} cluster.chair: đơn vị trưởng “ZZ” không thuộc" in out
    assert f"{where} plan.tasks.2.window.end: ngày 31/1/2030 nằm ngoài năm của cụm" in out
    assert "thuộc năm 2022 hoặc 2023" in out


def test_a_unit_in_two_clusters_of_a_year_is_named_in_english(
    database: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(
        database,
        "INSERT INTO clusters (key, name, province, created_at)"
        " VALUES ('copy', 'Copy', 'Điện Biên', '2022-01-01T00:00:00+00:00')",
    )
    _edit(
        database,
        "INSERT INTO cluster_years (cluster_id, year, data, created_at) SELECT"
        " (SELECT id FROM clusters WHERE key = 'copy'), year, data, created_at FROM cluster_years",
    )
    monkeypatch.setenv("CUMTHIDUA_DEFAULT_LANGUAGE", "en")
    capsys.readouterr()
    assert main(["check-config"]) == 2
    out = capsys.readouterr().out
    assert (
        "copy 2022, field cluster.units: the unit TG is also in dien-bien-cum-thi-dua-vung-thap"
        " that year; a unit belongs to one cluster a year." in out
    )


def test_a_misspelt_time_zone_ends_document_without_a_traceback(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(
        database,
        "UPDATE cluster_years SET data = json_set(data, '$.cluster.timezone', 'Asia/Hanoi ')",
    )
    capsys.readouterr()
    assert main(["document", "bien-ban", "--out", str(tmp_path / "bb.docx")]) == 2
    err = capsys.readouterr().err
    assert "dien-bien-cum-thi-dua-vung-thap năm 2022" in err and "check-config" in err
    assert "Traceback" not in err and "cluster.timezone" in err
    assert not (tmp_path / "bb.docx").exists()
