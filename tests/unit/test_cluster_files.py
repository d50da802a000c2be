"""Cluster data written the natural way: a comma inside a name, dates as offices write them."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.cluster_files import ClusterDataError, load_cluster_year
from bot.config import BUNDLED_CLUSTER


def _folder(
    tmp_path: Path, cluster: dict[str, str] | None = None, plan: dict[str, str] | None = None
) -> Path:
    folder = tmp_path / "cluster"
    shutil.copytree(BUNDLED_CLUSTER, folder)
    for name, changes in (("cluster.yaml", cluster or {}), ("plan.yaml", plan or {})):
        text = (folder / name).read_text(encoding="utf-8")
        for old, new in changes.items():
            assert old in text
            text = text.replace(old, new, 1)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_an_unquoted_comma_stays_inside_the_name(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        cluster={
            "{code: DBP, name: Điện Biên Phủ, kind: thành phố}": (
                "{code: VHTTDL, name: Sở Văn hóa, Thể thao và Du lịch, kind: sở}\n"
                "  - {code: KHCN, name: Sở Khoa học,  Công nghệ, kind: sở}"
            )
        },
    )
    units = load_cluster_year(folder).cluster.units
    assert [(u.code, u.name, u.full_name) for u in units[-2:]] == [
        ("VHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
        ("KHCN", "Sở Khoa học,  Công nghệ", "Sở Khoa học,  Công nghệ"),
    ]


def test_an_unknown_key_is_still_refused(tmp_path: Path) -> None:
    folder = _folder(tmp_path, cluster={"kind: thành phố}": "kind: thành phố, colour: red}"})
    with pytest.raises(ClusterDataError, match="colour"):
        load_cluster_year(folder)


def test_dates_as_day_month_year(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        plan={"end: 2022-03-31": "end: 31/03/2022", "start: 2022-03-01": "start: 1/3/2022"},
    )
    window = load_cluster_year(folder).plan.tasks[0].window
    assert (window.start, window.end) == (date(2022, 3, 1), date(2022, 3, 31))


@pytest.mark.parametrize("written", ["30/02/2022", "2022/03/31", "31-3-22"])
def test_a_wrong_date_says_how_to_write_one(tmp_path: Path, written: str) -> None:
    folder = _folder(tmp_path, plan={"end: 2022-03-31": f"end: {written}"})
    with pytest.raises(ClusterDataError) as caught:
        load_cluster_year(folder)
    message = str(caught.value)
    assert "plan.yaml, line" in message and "tasks.0.window.end" in message
    assert f"'{written}' is not a date: write it as 30/06/2027 or 2027-06-30" in message
    assert "invalid character" not in message
