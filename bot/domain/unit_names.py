"""Units as plans name them: "UBND huyện Tuần Giáo", "Ủy ban nhân dân phường Hồng Gai", "SỞ TÀI
CHÍNH", "UBND các phường: A, B; UBND các xã: C" — found in running text and in lists, and matched
to the cluster's units whatever the prefix, the case, the Unicode form or the tone placement
("Hòa" and "Hoà")."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain.cluster import Unit, UnitKind
from bot.domain.strings import fold, nfc

__all__ = [
    "KINDS",
    "Mention",
    "bare_name",
    "family",
    "find_unit",
    "kind_of",
    "mentions",
    "unit_key",
    "unit_list",
]

KINDS = ("thành phố", "thị xã", "huyện", "quận", "phường", "xã", "đặc khu", "sở")
_DEPARTMENTS = ("sở", "ban", "ngành", "cơ quan")
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_PREFIX = r"(?:(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+)?"
_KIND = "|".join(KINDS)
_MENTION = re.compile(_PREFIX + rf"(?<!\w)(?!xã hội)({_KIND})\s+(?=\w)", re.IGNORECASE)
_LIST_ITEM = re.compile(_PREFIX + rf"(các\s+)?({_KIND})(?:\s*:\s*|\s+)(.*)$", re.IGNORECASE)
_NAME_END = re.compile(r"\s[-–]\s|[,;:()\n.]|\s+(?:và|với)\s+(?:UBND|Ủy|Uỷ|các)\b", re.IGNORECASE)
_CONTINUED_WORDS = 10
_AFTER_DEPARTMENT = {
    "xây", "ban", "là", "thường", "trưởng", "cụm", "khối", "năm", "về", "tổ", "chủ", "phối",
    "thực", "có", "gửi", "được", "đã", "cùng", "tỉnh", "làm", "triển", "tham", "để", "theo",
    "trong", "tại", "đề", "kính", "phó",
}  # fmt: skip


@dataclass(frozen=True)
class Mention:
    kind: str
    name: str
    at: int
    """Where the mention begins in the text."""


def _tone_last(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tones = "".join(c for c in decomposed if c in _TONES)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES) + tones)


def _split_prefix(name: str) -> tuple[str | None, list[str]]:
    """The kind a name begins with ("UBND xã …", "Sở …"), if any, and the words after it, as
    written."""
    words = nfc(name).split()
    folded = [fold(w) for w in words]
    if folded[:3] in (["ủy", "ban", "nhân"], ["uỷ", "ban", "nhân"]) and folded[3:4] == ["dân"]:
        words, folded = words[4:], folded[4:]
    if folded[:1] == ["ubnd"]:
        words, folded = words[1:], folded[1:]
    for kind in (*KINDS, *_DEPARTMENTS):
        size = len(kind.split())
        if " ".join(folded[:size]) == kind and len(words) > size:
            return kind, words[size:]
    return None, words


def unit_key(name: str) -> str:
    """A matching key: folded, the tone mark of each word moved to its end, the prefix gone."""
    return " ".join(_tone_last(fold(w)) for w in _split_prefix(name)[1])


def kind_of(name: str) -> UnitKind:
    """The kind a unit's name begins with: "Phường Cam Đường" a ward, "UBND xã Mường Ảng" a
    commune, "Sở Nội vụ" a department; a name without one ("Công an tỉnh") a body."""
    kind = _split_prefix(name)[0]
    return UnitKind.CO_QUAN if kind is None else UnitKind(kind)


def bare_name(name: str) -> str:
    """The name without the kind it begins with: "Cam Đường" for "Phường Cam Đường"."""
    return " ".join(_split_prefix(name)[1])


def family(kind: str) -> str:
    """ "department" for sở, ban, ngành; "locality" for the rest."""
    return "department" if fold(kind) in _DEPARTMENTS else "locality"


def _display(kind: str, name: str) -> str:
    """A name as written, or in title case when the document wrote it in capitals."""
    if name != name.upper():
        return name
    words = name.lower().split()
    if family(kind) == "department":
        return " ".join([words[0].capitalize(), *words[1:]])
    return " ".join(w.capitalize() for w in words)


def _continues(segment: str) -> bool:
    """Whether the text after a comma in a department's name goes on with it: "Sở Văn hóa,
    Thể thao và Du lịch", "Sở Lao động, Thương binh và Xã hội" — a few capitalised words joined
    by "và", no kind of its own ("Sở Tài chính, Sở Nội vụ" are two)."""
    segment = segment.strip()
    words = fold(segment).split()
    return (
        bool(segment)
        and segment[0].isupper()
        and "và" in words
        and len(words) <= _CONTINUED_WORDS
        and "tỉnh" not in words  # "Sở Nội vụ, Công an tỉnh và Thanh tra tỉnh": three bodies
        and _LIST_ITEM.match(segment) is None
    )


def _name(kind: str, text: str) -> str:
    """The name at the start of ``text``: up to punctuation (a department's comma followed by
    "…, Thể thao và Du lịch" goes on), then, unless in capitals, while the words are
    capitalised (a department's lower-case words are kept until a verb)."""
    head, *rest = _NAME_END.split(text, maxsplit=1)
    if family(kind) == "department" and rest and text[len(head) :].startswith(","):
        after = _NAME_END.split(text[len(head) + 1 :], maxsplit=1)[0]
        if _continues(after):
            head = f"{head.rstrip()}, {after.strip()}"
    text = head.strip()
    if not text or text == text.upper():
        return _display(kind, text)
    words = text.split()
    if not (words[0][0].isupper() or words[0][0].isdigit()):
        return ""
    kept = [words[0]]
    for word in words[1:]:
        if family(kind) == "department":
            if fold(word) in _AFTER_DEPARTMENT:
                break
        elif not (word[0].isupper() or word[0].isdigit()):
            break
        kept.append(word)
    return " ".join(kept)


def mentions(text: str) -> list[Mention]:
    """Every unit a sentence names ("UBND phường Hồng Gai (Trưởng Cụm)", "GIÁM ĐỐC SỞ NỘI VỤ")."""
    text = nfc(text)
    found = []
    for match in _MENTION.finditer(text):
        kind = fold(match.group(1))
        name = _name(kind, text[match.end() :])
        if name:
            found.append(Mention(kind, name, match.start()))
    return found


def unit_list(text: str) -> list[tuple[str, str]]:
    """The units of a list: "UBND các huyện: Mường Ảng, Điện Biên, UBND thị xã Mường Lay",
    "UBND các phường: A, B; UBND các xã: C, D", "Các Sở: Tài chính, Nội vụ". A bare name takes
    the kind of the plural ("các …") before it in the same group."""
    found: list[tuple[str, str]] = []
    for group in nfc(text).split(";"):
        current: str | None = None
        for item in group.split(","):
            item = re.split(r"[(]", item, maxsplit=1)[0].strip(" .-+*:")
            match = _LIST_ITEM.match(item)
            if match:
                kind, name = fold(match.group(2)), match.group(3).strip(" .:")
                current = kind if match.group(1) else None
            elif current:
                kind, name = current, item
            elif found and family(found[-1][0]) == "department" and _continues(item):
                found[-1] = (found[-1][0], f"{found[-1][1]}, {_display(found[-1][0], item)}")
                continue
            else:
                continue
            if name and (name[0].isupper() or name[0].isdigit()):
                found.append((kind, _display(kind, name)))
    return found


def find_unit(kind: str, name: str, units: Iterable[Unit]) -> Unit | None:
    """The cluster unit a document's unit is, whatever the prefix and the spelling."""
    key = unit_key(name)
    for unit in units:
        if unit_key(unit.name) == key and family(unit.kind.value) == family(kind):
            return unit
    return None
