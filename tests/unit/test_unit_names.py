"""Units as plans name them, matched to the cluster's whatever the prefix and the spelling."""

from __future__ import annotations

import unicodedata

import pytest

from bot.domain.cluster import Unit, UnitKind
from bot.domain.unit_names import find_unit, mentions, unit_list

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
