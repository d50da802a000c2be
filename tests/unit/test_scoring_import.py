"""The province's official scoring table read as it comes (``tests/scoring_corpus.py``): three
shapes imported exactly, a table whose sums disagree reported with its rows, kinds read from
words only where explicit, the JSON form, the model a cluster-year holds, the worker job."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from docx import Document

from bot.cluster_files import load_cluster_year
from bot.config import BUNDLED_CLUSTER, Settings
from bot.domain.file_types import UnsafeFile
from bot.domain.plan_documents import UnreadableDocument
from bot.domain.scoring_import import (
    TableNotConvertible,
    UnreadableScoringTable,
    read_scoring_table,
    to_scoring_table,
)
from bot.domain.scoring_rules_text import criterion_reading, points_cell
from bot.domain.scoring_table import CriterionKind, ScoringTable
from bot.i18n import translator
from bot.services.file_checks import read_scoring_table_file
from tests.crafted_files import docx_bomb
from tests.scoring_corpus import (
    CASES,
    COMMUNES_2026,
    DEPARTMENTS_2025,
    DISTRICTS_2024,
    WRONG_SUMS,
    TableCase,
    sixty_criteria,
)

BASE = load_cluster_year(BUNDLED_CLUSTER).scoring
assert BASE is not None


def _tree(criteria: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(c["code"], c["max"], c["kind"], _tree(c["children"])) for c in criteria]


def _names(criteria: list[dict[str, Any]]) -> list[str]:
    return [n for c in criteria for n in (c["name"], *_names(c["children"]))]


@pytest.mark.parametrize(("case", "expected"), CASES, ids=[c.name for c, _ in CASES])
def test_each_official_table_is_imported_exactly(case: TableCase, expected: dict[str, Any]) -> None:
    found = read_scoring_table(case.data()).as_json()
    assert found["total"] == expected["total"]
    groups = [(g["code"], g["max"], _tree(g["criteria"])) for g in found["groups"]]
    assert groups == expected["groups"]
    written = {code: name for code, name, _points, _rule in case.rows}
    for group in found["groups"]:
        assert group["name"] == written[group["code"]]
    scored = [n for g in found["groups"] for n in _names(g["criteria"])]
    criteria = [name for code, name, _, _ in case.rows if code and not code.isalpha()]
    assert scored == criteria[: len(scored)]
    bonus = [(b["code"], b["min"], b["max"]) for b in found["bonus_penalty"]]
    assert bonus == expected["bonus_penalty"]
    assert [(f["problem"], f["code"]) for f in found["flagged"]] == expected["flagged"]


def test_the_json_form_has_exactly_the_documented_keys() -> None:
    found = json.loads(json.dumps(read_scoring_table(DISTRICTS_2024.data()).as_json()))
    assert set(found) == {"total", "groups", "bonus_penalty", "flagged"}
    group = found["groups"][0]
    assert set(group) == {"code", "name", "max", "criteria"}
    assert set(group["criteria"][0]) == {"code", "name", "max", "kind", "children"}
    assert set(found["bonus_penalty"][0]) == {"code", "name", "min", "max"}
    assert found["groups"][0]["criteria"][2]["children"][0]["code"] == "3.1"  # as written
    flag = found["flagged"][0]
    assert flag["message"] == "3 (row 17): its kind is not written in words; taken as met/not met."


def test_a_table_whose_sums_disagree_is_reported_with_its_rows() -> None:
    table = read_scoring_table(WRONG_SUMS.data())
    sums = [(f.code, f.row, f.rows) for f in table.mismatches()]
    assert sums == [("1", 3, (4, 5)), ("II", 7, (8, 9))]
    vi = [f.text(translator("vi"), "vi") for f in table.mismatches()]
    assert vi == [
        "1 (dòng 3): điểm tối đa ghi 25 nhưng tổng các dòng 4, 5 là 20.",
        "II (dòng 7): điểm tối đa ghi 60 nhưng tổng các dòng 8, 9 là 50.",
    ]


def test_a_total_that_is_not_the_sum_of_the_groups_is_reported() -> None:
    rows = [
        r if r[1] != "Tổng cộng" else ("", "Tổng cộng", "90", "") for r in DEPARTMENTS_2025.rows
    ]
    case = TableCase("total", "Bảng điểm", WRONG_SUMS.header, rows, "docx")
    (flag,) = read_scoring_table(case.data()).mismatches()
    assert (flag.problem, flag.row, flag.rows) == ("total", 10, (2, 7))
    assert flag.text(translator("en"), "en") == (
        "The total 90 (row 10) is not the sum 100 of the groups (rows 2, 7)."
    )


def test_sixty_criteria_with_sub_criteria_add_up_and_convert() -> None:
    imported = read_scoring_table(sixty_criteria().data())
    assert imported.flagged == []
    assert imported.total == 900 and [g.max for g in imported.groups] == [150] * 6
    leaves = [leaf for g in imported.groups for c in g.criteria for leaf in c.leaves()]
    assert len(leaves) == 60
    assert {leaf.kind for leaf in leaves} == {
        CriterionKind.QUALITATIVE,
        CriterionKind.PER_OCCURRENCE,
        CriterionKind.QUANTITATIVE,
    }
    table = to_scoring_table(imported, BASE)
    assert len([c for c in table.criteria() if c.kind is not CriterionKind.BONUS_PENALTY]) == 60
    assert table.criterion_codes[4:7] == ("I.5.1", "I.5.2", "I.6")
    assert [(b.code, b.points) for b in table.bonuses] == [("VII.1", 20), ("VII.3", -20)]
    assert table.max_total == 900 + 30 + 20


def test_the_district_table_becomes_the_model_with_its_figures() -> None:
    table = to_scoring_table(read_scoring_table(DISTRICTS_2024.data()), BASE)
    assert table.title == DISTRICTS_2024.title and not table.example
    assert [g.code for g in table.groups] == ["I", "II", "III", "IV"]
    found = {c.code: c for c in table.criteria()}
    assert list(found) == ["I.1", "I.2", "I.3.1", "I.3.2", "II.1", "II.2", "II.3", "III.1", "IV.2"]
    assert (found["I.1"].target, found["I.1"].unit, found["I.1"].formula) == (
        100,
        "%",
        "proportional",
    )
    assert found["I.2"].formula == "full_at_target"
    assert (found["I.3.1"].points_each, found["II.2"].points_each) == (4, 2.5)
    assert (found["IV.2"].kind, found["IV.2"].min, found["IV.2"].max) == ("bonus_penalty", 0, 5)
    assert [(b.code, b.points) for b in table.bonuses] == [("IV.1", 3), ("IV.3", -5)]
    assert table.group_of("I.3.2").code == "I"
    assert table.classifications == BASE.classifications and table.tie_break == ("I", "II", "III")
    assert ScoringTable.model_validate(table.model_dump()) == table


def test_letter_sub_criteria_take_their_parents_code() -> None:
    table = to_scoring_table(read_scoring_table(COMMUNES_2026.data()), BASE)
    assert table.criterion_codes == ("1", "2.a", "2.b", "3", "4", "5", "6", "8")
    assert table.tie_break == ("A", "B", "C")
    assert [(b.code, b.points) for b in table.bonuses] == [("7", 2)]


def test_a_deduction_range_becomes_a_criterion_from_below_zero_to_zero() -> None:
    table = to_scoring_table(read_scoring_table(DEPARTMENTS_2025.data()), BASE)
    deduction = table.criterion("III.2")
    assert deduction is not None and (deduction.min, deduction.max) == (-3, 0)
    assert [(b.code, b.points) for b in table.bonuses] == [("III.1", -5)]


def test_classifications_keep_their_share_of_a_larger_total() -> None:
    table = to_scoring_table(read_scoring_table(sixty_criteria().data()), BASE)
    assert [c.min_total for c in table.classifications] == [810, 630, 450, 0]


def test_a_criterion_without_a_maximum_is_named() -> None:
    rows = [*COMMUNES_2026.rows[:3], ("3", "Giải quyết đơn thư đúng hạn", "", "")]
    case = TableCase("no-max", "Bảng điểm", COMMUNES_2026.header, rows, "xlsx")
    with pytest.raises(TableNotConvertible) as raised:
        to_scoring_table(read_scoring_table(case.data()), BASE)
    assert raised.value.reasons == ["3 (row 7): max None, kind qualitative"]


@pytest.mark.parametrize(
    ("words", "kind", "sure", "figures"),
    [
        ("Mỗi mô hình được 0,5 điểm, tối đa 4 điểm", "per_occurrence", True, (4, 0.5, None)),
        (
            "Đạt 100% kế hoạch được 20 điểm; mỗi 1% giảm trừ 1 điểm",
            "quantitative",
            False,
            (20, None, 100),
        ),
        (
            "Đạt 100% kế hoạch được 20 điểm; mỗi 1% giảm trừ 0,2 điểm",
            "quantitative",
            True,
            (20, None, 100),
        ),
        ("Hoàn thành được 5 điểm, không hoàn thành 0 điểm", "qualitative", True, (5, None, None)),
        ("Tuyên truyền trong cộng đồng dân cư", "qualitative", False, (None, None, None)),
        ("Phòng trừ sâu bệnh trên cây trồng", "qualitative", False, (None, None, None)),
    ],
)
def test_kinds_come_from_explicit_words_only(
    words: str, kind: str, sure: bool, figures: tuple[float | None, ...]
) -> None:
    reading = criterion_reading(words, points_cell("20"))
    assert (reading.kind, reading.sure) == (kind, sure)
    assert (reading.max, reading.points_each, reading.target) == figures


def test_signed_points_cells() -> None:
    assert points_cell("+3") == (3, 1) and points_cell("trừ 5 điểm") == (5, -1)
    assert points_cell("2,5 điểm") == (2.5, 0) and points_cell("mười") is None


def test_a_document_without_a_scoring_table_is_unreadable() -> None:
    document = Document()
    document.add_paragraph("Kế hoạch hoạt động năm 2026")
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(UnreadableScoringTable):
        read_scoring_table(buffer.getvalue())
    with pytest.raises(UnreadableScoringTable):
        read_scoring_table("TT\tNội dung\tĐiểm chuẩn\n".encode())


def _settings(tmp_path: Any) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path / "data")


async def test_the_worker_reads_a_table_and_refuses_a_bomb(tmp_path: Any) -> None:
    settings = _settings(tmp_path)
    found = await read_scoring_table_file(settings, COMMUNES_2026.data())
    assert found == read_scoring_table(COMMUNES_2026.data())
    with pytest.raises(UnsafeFile):
        await read_scoring_table_file(settings, docx_bomb())
    with pytest.raises(UnreadableDocument):
        await read_scoring_table_file(settings, b"not a table at all")
