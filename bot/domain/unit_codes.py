"""Short unit codes made from names: the initials of the name after its kind ("Sở Văn hóa, Thể
thao và Du lịch" → VHTTDL, "Phường Cam Đường" → CD), the same name always giving the same code,
and a number added when the code is already taken ("CD2"). A code is only a proposal: it can be
edited afterwards."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Mapping

from bot.domain.cluster import Unit
from bot.domain.strings import fold, nfc
from bot.domain.unit_names import bare_name, kind_of, unit_key

__all__ = ["MAX_CODE", "new_unit", "new_units", "unit_code"]

MAX_CODE = 16
"""The longest code a unit may have (``Unit.code``)."""
_INITIALS = 8
_SKIPPED = {"và", "các", "tỉnh", "của"}


def _ascii(text: str) -> str:
    text = fold(text).replace("đ", "d")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()


def _initials(words: list[str]) -> str:
    """A word in capitals ("UBND") or in digits ("1") whole, any other word by its first
    letter; a one-word name by its first two letters."""
    kept = [w for w in words if fold(w) not in _SKIPPED] or words
    if len(kept) == 1 and not kept[0].isdigit():
        return "".join(c for c in _ascii(kept[0]) if c.isalnum())[:2]
    parts = []
    for word in kept:
        letters = "".join(c for c in _ascii(word) if c.isalnum())
        whole = word.isdigit() or (len(word) > 1 and word.isupper())
        parts.append(letters if whole else letters[:1])
    return "".join(parts)[:_INITIALS]


def unit_code(name: str, taken: Collection[str] = ()) -> str:
    """A code for the unit called ``name``, not among ``taken`` (compared in capitals)."""
    kind = kind_of(name)
    base = _initials(nfc(bare_name(name)).replace(",", " ").split())
    if not base[:1].isalpha():
        base = ("".join(_ascii(w)[0] for w in kind.value.split()) + base)[:_INITIALS]
    used = {code.upper() for code in taken}
    code, number = base, 1
    while code in used:
        number += 1
        code = base[: MAX_CODE - len(str(number))] + str(number)
    return code


def new_unit(name: str, taken: Collection[str] = ()) -> Unit:
    """The unit a document names, its name as written, its kind read from that name."""
    written = " ".join(nfc(name).split())
    return Unit(code=unit_code(written, taken), name=written, kind=kind_of(written))


def new_units(
    names: Iterable[str], taken: Collection[str] = (), codes: Mapping[str, str] | None = None
) -> dict[str, Unit]:
    """A unit for each name (the same unit written twice, "UBND xã A" and "Xã A", once, under
    its first writing): the code ``codes`` gives it (a workbook's column), else a new one unique
    among ``taken`` and the others."""
    given = dict(codes or {})
    used = {code.upper() for code in (*taken, *given.values())}
    units: dict[str, Unit] = {}
    for name in names:
        written = " ".join(nfc(name).split())
        if any(unit_key(written) == unit_key(other) for other in units):
            continue
        code = given.get(name) or unit_code(written, used)
        used.add(code)
        units[written] = Unit(code=code, name=written, kind=kind_of(written))
    return units
