"""The province's workbook imported into an installation that has a cluster already: its units
are matched by name (codes kept), new ones get codes unique in the installation, its officers
are listed for invitations (not registered)."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from bot.domain.cluster import ClusterKind
from bot.domain.province_decision import Decision, DecisionCluster
from bot.domain.province_workbook import read_province_workbook
from bot.services.container import Services
from bot.usecases import province_import
from bot.usecases.cluster_years import Verdict


def _workbook() -> bytes:
    workbook = load_workbook(io.BytesIO(province_import.template()))
    workbook["Cụm, khối"].append(["Cụm thi đua vùng cao", "cụm", "Huyện Mường Nhé", None])
    units = workbook["Đơn vị"]
    for name in ("Huyện Mường Nhé", "Huyện Tủa Chùa", "Huyện Tuần Giáo 2"):
        units.append([name, None, "Cụm thi đua vùng cao"])
    officers = workbook["Cán bộ"]
    officers.append(["Lò Văn Páo", "Chánh Văn phòng", "Huyện Mường Nhé", "0215 3838 123"])
    officers.append(["Quàng Thị Mai", "Chuyên viên", "Huyện Tủa Chùa", None, "mai@db.gov.vn"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def test_a_workbook_adds_a_cluster_and_lists_its_officers(services: Services) -> None:
    read = read_province_workbook(_workbook())
    assert read.flagged == ()
    done = await province_import.import_province(
        services.db, read, 2022, None, services.clock.now(), False, False, "tinh.xlsx"
    )
    assert isinstance(done, province_import.ProvinceImport)
    assert done.outcome.verdict is Verdict.APPLIED and done.officers == 2
    new_codes = {u.code for u in done.outcome.changes.new_units}
    assert new_codes == {"MN", "TC", "TG2"}  # TG is Tuần Giáo's in the installation
    await services.years.load()
    key = "dien-bien-cum-thi-dua-vung-cao"
    listed = await province_import.listed_officers(services, key)
    assert [(o.name, o.unit_code, o.cluster_key, o.year) for o in listed] == [
        ("Lò Văn Páo", "MN", key, 2022),
        ("Quàng Thị Mai", "TC", key, 2022),
    ]
    assert listed[1].email == "mai@db.gov.vn" and listed[0].unit_name == "Huyện Mường Nhé"
    assert await province_import.listed_officers(services, services.year.cluster_key) == []
    assert len(await province_import.listed_officers(services, None)) == 2
    assert await services.officers.managers() == []  # listed is not registered


async def test_a_ward_and_a_commune_of_one_name_are_two_units(services: Services) -> None:
    decision = Decision(
        (
            DecisionCluster(
                "Cụm 5", ClusterKind.CUM, "Phường Sa Pa", None, ("Phường Sa Pa", "Xã Sa Pa")
            ),
        )
    )
    done = await province_import.import_province(
        services.db, decision, 2022, None, services.clock.now(), True, False, "qd.txt"
    )
    assert isinstance(done, province_import.ProvinceImport)
    assert done.outcome.verdict is Verdict.DRY_RUN
    assert [(u.code, u.name) for u in done.outcome.changes.new_units] == [
        ("SP", "Phường Sa Pa"),
        ("SP2", "Xã Sa Pa"),
    ]
    assert len(await services.years.repo.years()) == 1  # a dry run writes nothing
