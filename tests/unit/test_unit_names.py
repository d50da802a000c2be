"""Units as plans name them, matched to the cluster's whatever the prefix and the spelling."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.cluster import Unit, UnitKind
from bot.domain.unit_codes import MAX_CODE, new_unit, new_units, unit_code
from bot.domain.unit_names import find_unit, mentions, unit_key, unit_list

UNITS = [
    Unit(code="HB", name="Hòa Bình", kind=UnitKind.THANH_PHO),
    Unit(code="TC", name="Sở Tài chính", kind=UnitKind.SO),
    Unit(code="P1", name="Phường 1", kind=UnitKind.PHUONG),
    Unit(code="TU", name="Thủy Nguyên", kind=UnitKind.XA),
]


@pytest.mark.parametrize(
    ("kind", "name", "code"),
    [
        ("thành phố", "Hoà Bình", "HB"),  # the tone mark on the other vowel
        ("thành phố", "HÒA BÌNH", "HB"),
        ("thành phố", unicodedata.normalize("NFD", "Hòa Bình"), "HB"),
        ("sở", "Tài chính", "TC"),
        ("sở", "TÀI CHÍNH", "TC"),
        ("phường", "1", "P1"),  # "UBND phường 1"
        ("phường", "Phường 1", "P1"),
        ("xã", "Thuỷ Nguyên", "TU"),
        ("huyện", "Hòa Bình", "HB"),  # another locality kind, same name: the same unit
        ("sở", "Hòa Bình", None),  # a department is never a locality
        ("xã", "Mường Lay", None),
    ],
)
def test_find_unit(kind: str, name: str, code: str | None) -> None:
    unit = find_unit(kind, name, UNITS)
    assert (unit.code if unit else None) == code


def test_mentions_in_running_text_stop_where_the_name_ends() -> None:
    found = mentions("Uỷ ban nhân dân xã Tân Uyên (Trưởng Cụm) và UBND phường Hồng Gai xây dựng")
    assert [(m.kind, m.name) for m in found] == [("xã", "Tân Uyên"), ("phường", "Hồng Gai")]
    assert mentions("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == []
    assert mentions("các huyện, thị xã, thành phố vùng thấp") == []
    assert [(m.kind, m.name) for m in mentions("GIÁM ĐỐC SỞ KẾ HOẠCH VÀ ĐẦU TƯ")] == [
        ("sở", "Kế hoạch và đầu tư")
    ]


def test_lists_grouped_by_kind() -> None:
    assert unit_list("UBND các phường: Hạ Long, Bãi Cháy; UBND các xã: Quảng La; Như trên") == [
        ("phường", "Hạ Long"),
        ("phường", "Bãi Cháy"),
        ("xã", "Quảng La"),
    ]
    assert unit_list("Các Sở: Tài chính, Nội vụ (để thực hiện)") == [
        ("sở", "Tài chính"),
        ("sở", "Nội vụ"),
    ]


@pytest.mark.parametrize(
    ("written", "kind", "full"),
    [
        ("Sở Văn hóa, Thể thao và Du lịch", UnitKind.SO, "Sở Văn hóa, Thể thao và Du lịch"),
        ("Phường Cam Đường", UnitKind.PHUONG, "Phường Cam Đường"),
        ("UBND xã Mường Ảng", UnitKind.XA, "UBND xã Mường Ảng"),
        ("Ủy ban nhân dân thị xã Mường Lay", UnitKind.THI_XA, "Ủy ban nhân dân thị xã Mường Lay"),
        ("Đặc khu Côn Đảo", UnitKind.DAC_KHU, "Đặc khu Côn Đảo"),
        ("Quận Ba Đình", UnitKind.QUAN, "Quận Ba Đình"),
        ("Ban Dân tộc", UnitKind.BAN, "Ban Dân tộc"),
        ("Công an tỉnh", UnitKind.CO_QUAN, "Công an tỉnh"),
        ("Hội Liên hiệp Phụ nữ tỉnh", UnitKind.CO_QUAN, "Hội Liên hiệp Phụ nữ tỉnh"),
    ],
)
def test_a_name_keeps_its_writing_and_its_kind_is_read_from_it(
    written: str, kind: UnitKind, full: str
) -> None:
    unit = new_unit(written)
    assert (unit.name, unit.kind, unit.full_name) == (written, kind, full)


def test_a_kind_is_never_doubled_and_a_bare_name_still_gets_it() -> None:
    assert Unit(code="VH", name="Sở Văn hóa", kind=UnitKind.SO).full_name == "Sở Văn hóa"
    assert Unit(code="CD", name="phường Cam Đường", kind=UnitKind.PHUONG).full_name == (
        "phường Cam Đường"
    )
    assert Unit(code="CD", name="Cam Đường", kind=UnitKind.PHUONG).full_name == "Phường Cam Đường"
    assert Unit(code="TC", name="Tài chính", kind=UnitKind.SO).full_name == "Sở Tài chính"


def test_the_same_unit_whatever_its_prefix() -> None:
    assert (
        unit_key("UBND phường Cam Đường") == unit_key("Phường Cam Đường") == unit_key("Cam Đường")
    )
    assert find_unit("phường", "UBND phường Cam Đường", [new_unit("Phường Cam Đường")]) is not None


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Sở Văn hóa, Thể thao và Du lịch", "VHTTDL"),
        ("Phường Cam Đường", "CD"),
        ("UBND xã Mường Ảng", "MA"),
        ("Phường 1", "P1"),
        ("Xã Mường", "MU"),
        ("Văn phòng UBND tỉnh", "VPUBND"),
        ("Thành phố Điện Biên Phủ", "DBP"),
        ("Sở Nông nghiệp và Môi trường", "NNMT"),
    ],
)
def test_codes_are_short_initials(name: str, code: str) -> None:
    assert unit_code(name) == code
    assert Unit(code=code, name=name, kind=UnitKind.CO_QUAN)  # a valid code


def test_codes_are_stable_and_unique_among_those_taken() -> None:
    assert unit_code("Xã Tả Phìn", {"AB"}) == unit_code("Xã Tả Phìn", {"AB"}) == "TP"
    assert unit_code("Xã Tả Phìn", {"tp"}) == "TP2"  # taken, in any case
    assert unit_code("Xã Tả Phìn", {"TP", "TP2"}) == "TP3"
    taken: set[str] = set()
    for name in ["Xã Tả Phìn", "Phường Tân Phong", "Xã Tả Phời", "Sở Tư pháp"]:
        taken.add(unit_code(name, taken))
    assert taken == {"TP", "TP2", "TP3", "TP4"}
    assert len(unit_code("Xã Tả Phìn", {"TP", *(f"TP{n}" for n in range(2, 200))})) <= MAX_CODE


@given(st.lists(st.text(max_size=40), max_size=30))
def test_any_names_get_valid_distinct_codes(names: list[str]) -> None:
    taken: set[str] = set()
    for name in names:
        code = unit_code(name, taken)
        assert re.fullmatch(r"[A-Z][A-Z0-9_]{0,15}", code) and code not in taken
        taken.add(code)


def test_the_units_of_a_decision() -> None:
    names = ["Xã Tả Phìn", "Phường Tân Phong", "UBND xã Tả Phìn", "Sở Tư pháp"]
    units = new_units(names, taken={"TP"}, codes={"Sở Tư pháp": "STP"})
    assert [(u.name, u.code, u.kind) for u in units.values()] == [
        ("Xã Tả Phìn", "TP2", UnitKind.XA),
        ("Phường Tân Phong", "TP3", UnitKind.PHUONG),
        ("Sở Tư pháp", "STP", UnitKind.SO),
    ]


def test_a_comma_inside_a_departments_name_does_not_end_it() -> None:
    assert unit_list("- Sở Văn hóa, Thể thao và Du lịch; Sở Y tế.") == [
        ("sở", "Văn hóa, Thể thao và Du lịch"),
        ("sở", "Y tế"),
    ]
    found = mentions("Sở Lao động, Thương binh và Xã hội chủ trì, Sở Tài chính, Sở Nội vụ phối hợp")
    assert [(m.kind, m.name) for m in found] == [
        ("sở", "Lao động, Thương binh và Xã hội"),
        ("sở", "Tài chính"),
        ("sở", "Nội vụ"),
    ]
    three = mentions("Sở Nội vụ, Công an tỉnh và Thanh tra tỉnh phối hợp")
    assert [(m.kind, m.name) for m in three] == [("sở", "Nội vụ")]
    assert unit_list("UBND các xã: Na Sang, Mường Phăng và Nà Tấu") == [
        ("xã", "Na Sang"),
        ("xã", "Mường Phăng và Nà Tấu"),  # as before: a locality's list is split at commas only
    ]
