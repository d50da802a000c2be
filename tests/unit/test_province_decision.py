"""A province's decision on its clusters and blocs read exactly, whatever its shape; what it
cannot read flagged, never guessed."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from openpyxl import Workbook

from bot.domain.plan_documents import UnreadableDocument
from bot.domain.province_decision import Decision, FlagReason, split_members
from bot.domain.province_documents import MAX_ROWS, read_decision
from tests import province_corpus as corpus


def _reasons(decision: Decision) -> list[tuple[FlagReason, str]]:
    return [(f.reason, f.text) for f in decision.flagged]


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (corpus.headed_docx, corpus.LAO_CAI),
        (corpus.table_docx, corpus.LAO_CAI),
        (corpus.decision_xlsx, corpus.LAO_CAI),
        (corpus.table_pdf, corpus.LAO_CAI),  # long names wrap inside their cells
        (lambda: corpus.text_pdf(corpus.dien_bien_lines()), corpus.DIEN_BIEN),
        (lambda: corpus.PLAIN_TEXT.encode(), corpus.PLAIN_TEXT_CLUSTERS),
    ],
    ids=["headed-docx", "table-docx", "xlsx", "table-pdf", "text-pdf", "plain-text"],
)
def test_every_shape_is_read_exactly(build: Callable[[], bytes], expected: list[dict]) -> None:
    assert read_decision(build()).as_json() == {"clusters": expected, "flagged": []}


def test_a_heading_that_introduces_clusters_is_not_one() -> None:
    names = [c.name for c in read_decision(corpus.headed_docx()).clusters]
    assert names == ["Cụm 1", "Cụm 2", "Khối thi đua Nội chính", "Khối thi đua Văn hóa - Xã hội"]


def test_the_documents_own_words_for_chair_and_deputy_are_kept() -> None:
    clusters = read_decision(corpus.PLAIN_TEXT.encode()).clusters
    assert [(c.chair_word, c.deputy_word) for c in clusters] == [
        ("Cụm trưởng", "Cụm phó"),
        ("Khối trưởng", None),
    ]
    usual = read_decision(corpus.text_pdf(corpus.dien_bien_lines())).clusters
    assert {(c.chair_word, c.deputy_word) for c in usual} == {(None, None)}  # "Trưởng khối"


def test_a_cut_off_document_is_flagged_where_it_ends() -> None:
    decision = read_decision(corpus.cut_off_docx())
    assert decision.clusters[-1].members == ("Phường Sa Pa", "Xã Y Tý")
    assert decision.clusters[-1].chair is None
    cut = [f for f in decision.flagged if f.reason is FlagReason.CUT_OFF]
    assert [(f.cluster, f.text) for f in cut] == [("Cụm 2", "Xã Y Tý;")]
    assert cut[0].line == corpus.headed_lines().index("- Xã Y Tý;") + 1
    assert (FlagReason.COUNT_MISMATCH, "3 ≠ 2") in _reasons(decision)


def test_a_list_that_ends_with_a_full_stop_is_whole() -> None:
    text = "Cụm 1:\n- Xã Bát Xát;\n- Xã Y Tý.\n"
    assert read_decision(text.encode()).flagged == ()
    assert _reasons(read_decision("Cụm 1:\n- Xã Bát Xát;\n- Xã Y Tý;\n".encode())) == [
        (FlagReason.CUT_OFF, "Xã Y Tý;")
    ]
    assert _reasons(read_decision("Điều 1.\nKhối thi đua Nội chính:\n".encode())) == [
        (FlagReason.CUT_OFF, "Khối thi đua Nội chính"),
        (FlagReason.NO_MEMBERS, "Khối thi đua Nội chính"),
    ]


def test_lines_it_cannot_read_are_flagged_not_guessed() -> None:
    text = """Cụm 1:
1. Xã Bát Xát;
Xã Mường Hum và xã Y Tý (bổ sung)
2. Xã Y Tý;
4. Phường Cam Đường;
5. ;
+ Cụm trưởng: Phường Sa Pa
+ Cụm phó: Xã Bát Xát; Xã Y Tý
Điều 2. Hiệu lực thi hành.
"""
    decision = read_decision(text.encode())
    assert decision.clusters[0].members == ("Xã Bát Xát", "Xã Y Tý", "Phường Cam Đường")
    assert decision.clusters[0].chair == "Phường Sa Pa"  # as written, flagged
    assert decision.clusters[0].deputy is None
    assert _reasons(decision) == [
        (FlagReason.UNREADABLE, "Xã Mường Hum và xã Y Tý (bổ sung)"),
        (FlagReason.NUMBERING_GAP, "2 → 4"),
        (FlagReason.UNREADABLE, ";"),
        (FlagReason.UNREADABLE, "Xã Bát Xát; Xã Y Tý"),
        (FlagReason.CHAIR_NOT_MEMBER, "Phường Sa Pa"),
    ]
    assert [f.line for f in decision.flagged[:3]] == [3, 5, 6]


def test_prose_after_a_list_is_not_flagged_and_the_preamble_is_not_a_list() -> None:
    text = """- Căn cứ Luật Thi đua, khen thưởng;
1. Theo đề nghị của Sở Nội vụ.
Khối thi đua Kinh tế:
- Sở Tài chính;
- Sở Công Thương.
Khối có trách nhiệm xây dựng quy chế hoạt động.
"""
    decision = read_decision(text.encode())
    assert decision.as_json()["clusters"] == [
        {
            "name": "Khối thi đua Kinh tế",
            "kind": "khối",
            "chair": None,
            "deputy": None,
            "members": ["Sở Tài chính", "Sở Công Thương"],
        }
    ]
    assert decision.flagged == ()


def test_a_comma_never_splits_a_member_list() -> None:
    cell = "1. Sở Văn hóa, Thể thao và Du lịch;\n2. Sở Khoa học và Công nghệ; Sở Y tế"
    assert split_members(cell) == [
        "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Khoa học và Công nghệ",
        "Sở Y tế",
    ]


def test_a_name_wrapped_in_its_cell_is_one_name() -> None:
    assert split_members("- Sở Văn hóa, Thể thao và\nDu lịch\n- Sở Y tế") == [
        "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Y tế",
    ]
    assert split_members("Sở Nông nghiệp và\nMôi trường\nSở Xây dựng\nSở Công\nthương") == [
        "Sở Nông nghiệp và Môi trường",
        "Sở Xây dựng",
        "Sở Công thương",
    ]
    assert split_members("Phường Cam Đường,\nPhường Lào Cai") == [
        "Phường Cam Đường,",  # the comma is dropped with the rest of the punctuation later
        "Phường Lào Cai",
    ]


def test_a_plural_kind_lists_localities() -> None:
    text = "Cụm 3:\n- UBND các xã: Na Sang, Mường Phăng, Nà Tấu.\n"
    assert read_decision(text.encode()).clusters[0].members == (
        "Xã Na Sang",
        "Xã Mường Phăng",
        "Xã Nà Tấu",
    )


def test_a_table_under_a_heading_and_a_row_without_cụm_or_khối() -> None:
    text = (
        "Khối thi đua Nội chính\n"
        "TT\tTên đơn vị\tGhi chú\n"
        "1\tCông an tỉnh\tKhối trưởng\n"
        "2\tSở Tư pháp\tKhối phó\n"
        "3\tThanh tra tỉnh\t\n"
        "Danh sách\n"
        "TT\tTên\tĐơn vị thành viên\tTrưởng\n"
        "1\tCác cơ quan tổng hợp\tSở Tài chính; Sở Nội vụ\tSở Tài chính\n"
    )
    clusters = read_decision(text.encode()).clusters
    assert [c.as_json() for c in clusters] == [
        {
            "name": "Khối thi đua Nội chính",
            "kind": "khối",
            "chair": "Công an tỉnh",
            "deputy": "Sở Tư pháp",
            "members": ["Công an tỉnh", "Sở Tư pháp", "Thanh tra tỉnh"],
        },
        {
            "name": "Các cơ quan tổng hợp",
            "kind": "khối",  # its members are departments
            "chair": "Sở Tài chính",
            "deputy": None,
            "members": ["Sở Tài chính", "Sở Nội vụ"],
        },
    ]
    assert (clusters[0].chair_word, clusters[0].deputy_word) == ("Khối trưởng", "Khối phó")


def test_a_formula_is_flagged_not_taken() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["TT", "Cụm thi đua", "Đơn vị"])
    sheet.append([1, "Cụm 1", "Xã Bát Xát"])
    sheet.append([2, None, '=HYPERLINK("http://example.org","Xã Y Tý")'])
    sheet.append([3, None, "Xã Mường Hum"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    decision = read_decision(buffer.getvalue())
    assert decision.clusters[0].members == ("Xã Bát Xát", "Xã Mường Hum")
    assert [(f.reason, f.sheet, f.row) for f in decision.flagged] == [
        (FlagReason.FORMULA, "Sheet", 3)
    ]


def test_rows_beyond_the_bound_are_flagged_not_read() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["TT", "Cụm thi đua", "Đơn vị"])
    for number in range(1, MAX_ROWS + 5):
        sheet.append([number, "Cụm 1", f"Xã {number}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    decision = read_decision(buffer.getvalue())
    assert len(decision.clusters[0].members) == MAX_ROWS - 1
    assert [(f.reason, f.row) for f in decision.flagged] == [
        (FlagReason.TOO_MANY_ROWS, MAX_ROWS + 1)
    ]


def test_duplicates_and_too_few_members_are_flagged() -> None:
    text = "Cụm 1:\n- Xã Bát Xát;\n- UBND xã Bát Xát.\nCụm 2:\n- Xã Y Tý.\n"
    assert _reasons(read_decision(text.encode())) == [
        (FlagReason.DUPLICATE_MEMBER, "UBND xã Bát Xát"),
        (FlagReason.TOO_FEW_MEMBERS, "Xã Bát Xát"),
        (FlagReason.TOO_FEW_MEMBERS, "Xã Y Tý"),
    ]


def test_nothing_to_read() -> None:
    assert _reasons(read_decision("Kính gửi: Sở Nội vụ".encode())) == [(FlagReason.NO_CLUSTERS, "")]
    with pytest.raises(UnreadableDocument):
        read_decision(b"PK\x03\x04 not an archive")
    with pytest.raises(UnreadableDocument):
        read_decision(b"\xff\xfe\x00bad")


def test_the_answer_survives_json() -> None:
    decision = read_decision(corpus.cut_off_docx())
    words = read_decision(corpus.PLAIN_TEXT.encode())
    assert Decision.from_json(decision.as_json(words=True)) == decision
    assert Decision.from_json(words.as_json(words=True)) == words
