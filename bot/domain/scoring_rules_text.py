"""What a scoring table's words say about a criterion: its kind (per occurrence, quantitative,
met or not met, bonus/penalty) with the figures the model needs, read only where the wording is
explicit ("mỗi mô hình được 0,5 điểm, tối đa 4 điểm"; "đạt 100% kế hoạch được 20 điểm; mỗi 1%
giảm trừ 1 điểm"; "hoàn thành được 5 điểm, không hoàn thành 0 điểm"; "+3", "trừ 5 điểm").
Everything else is given as unsure, for the chair to confirm."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.scoring_table import CriterionKind
from bot.domain.strings import fold

__all__ = ["Reading", "Sign", "bonus_reading", "criterion_reading", "points_cell"]

_NUM = r"(\d+(?:[.,]\d+)?)"
_POINTS_CELL = re.compile(rf"^(?:(tối đa|cộng|thưởng|trừ|\+|-|–)\s*)?{_NUM}\s*(?:điểm|đ)?\.?$")
_EACH = re.compile(
    rf"mỗi\s+(?!{_NUM}\s*%)[^;.]*?(?:được|cộng|tính|chấm|thưởng)\s*(?:thêm\s*)?{_NUM}\s*điểm"
)
_EACH_SLASH = re.compile(rf"{_NUM}\s*điểm\s*/\s*(?!%)[^\d\W]")
_CAP = re.compile(rf"tối đa\s*(?:không quá\s*|là\s*)?(?:cộng\s*|trừ\s*)?{_NUM}\s*điểm")
_TARGET = re.compile(rf"(?:đạt|hoàn thành|thực hiện)\s*(?:từ\s*|trên\s*)?{_NUM}\s*%")
_TARGET_POINTS = re.compile(rf"%[^;]*?(?:được|đạt|chấm)\s*{_NUM}\s*điểm")
_STEP = re.compile(rf"mỗi\s*{_NUM}\s*%\s*[^;.]*?(?:trừ|giảm)\s*{_NUM}\s*điểm")
_PROPORTIONAL = re.compile(r"tỷ lệ thuận|tỉ lệ thuận|theo tỷ lệ|theo tỉ lệ|tương ứng")
_ALL_OR_NOTHING = re.compile(r"(?:không đạt|dưới|chưa đạt)[^;.]*?(?:0 điểm|không (?:được|chấm))")
_MET = re.compile(rf"(?:hoàn thành|đạt|có|thực hiện)[^;]*?(?:được|:)\s*{_NUM}\s*điểm")
_NOT_MET = re.compile(r"không (?:hoàn thành|đạt|có|thực hiện)|chưa (?:hoàn thành|đạt)")
_PLUS = re.compile(r"(?:^|\W)(?:cộng|thưởng)(?!\s*(?:đồng|tác|hòa|sản))|\+\s*\d")
_MINUS = re.compile(r"(?:^|\s)(?:-|–)\s*\d")
_MINUS_WORD = re.compile(r"(?:^|\W)(?:bị\s+)?trừ(?:\W|$)")
_AMOUNT = re.compile(rf"(?:cộng|trừ|thưởng|\+|-)\s*(?:thêm\s*)?{_NUM}\s*điểm")


def _float(text: str) -> float:
    return float(text.replace(",", "."))


class Sign:
    PLUS, MINUS, NONE = 1, -1, 0


def points_cell(text: str) -> tuple[float, int] | None:
    """The points a maximum cell writes ("10", "2,5 điểm", "+3", "trừ 5", "tối đa 4") and
    their sign (Sign.PLUS, MINUS, or NONE when unsigned); None when it is not a number."""
    match = _POINTS_CELL.match(fold(text))
    if match is None:
        return None
    word, value = match.groups()
    sign = {"+": Sign.PLUS, "cộng": Sign.PLUS, "thưởng": Sign.PLUS}.get(word or "", Sign.NONE)
    if word in ("-", "–", "trừ"):
        sign = Sign.MINUS
    return _float(value), sign


@dataclass(frozen=True)
class Reading:
    """A criterion's kind as its words give it, and the figures the model needs."""

    kind: CriterionKind
    sure: bool
    max: float | None = None
    """The maximum the words write ("tối đa 4 điểm", "được 20 điểm"), if they do."""
    points_each: float | None = None
    target: float | None = None
    unit: str = ""
    formula: str = "proportional"
    min: float = 0
    doubt: str = ""
    """Why the reading is unsure: ``no_rule``, ``rate``, ``partial``."""


def _signs(words: str) -> tuple[bool, bool]:
    """Whether the words add points ("cộng", "thưởng", "+3") and take them ("trừ", "-5")."""
    return bool(_PLUS.search(words)), bool(_MINUS.search(words) or _MINUS_WORD.search(words))


def criterion_reading(text: str, written_max: tuple[float, int] | None) -> Reading:
    """The kind of a criterion of a scored group from its name and rule in words and its
    maximum cell."""
    words = fold(text)
    plus, minus = _signs(words)
    cap = _CAP.search(words)
    if written_max is not None and written_max[1] != Sign.NONE:
        amount, sign = written_max
        low, high = (-amount, 0.0) if sign == Sign.MINUS else (0.0, amount)
        if plus and minus:
            low, high = -amount, amount
        return Reading(CriterionKind.BONUS_PENALTY, True, high, min=low)
    if cap and plus and minus:
        amount = _float(cap.group(1))
        return Reading(CriterionKind.BONUS_PENALTY, True, amount, min=-amount)
    each = _EACH.search(words) or _EACH_SLASH.search(words)
    if each:
        points = _float(each.groups()[-1])
        return Reading(
            CriterionKind.PER_OCCURRENCE, True, _float(cap.group(1)) if cap else None, points
        )
    target = _TARGET.search(words)
    if target:
        full = _TARGET_POINTS.search(words, target.end() - 1)
        high = _float(full.group(1)) if full else None
        goal = _float(target.group(1))
        step = _STEP.search(words)
        if _ALL_OR_NOTHING.search(words) and not step:
            return Reading(
                CriterionKind.QUANTITATIVE,
                True,
                high,
                target=goal,
                unit="%",
                formula="full_at_target",
            )
        if _PROPORTIONAL.search(words):
            return Reading(CriterionKind.QUANTITATIVE, True, high, target=goal, unit="%")
        if step:
            top = high if high is not None else (written_max or (0.0, 0))[0]
            rate = _float(step.group(2)) / _float(step.group(1))
            sure = abs(rate - top / goal) < 1e-9
            return Reading(
                CriterionKind.QUANTITATIVE,
                sure,
                high,
                target=goal,
                unit="%",
                doubt="" if sure else "rate",
            )
        return Reading(
            CriterionKind.QUANTITATIVE, False, high, target=goal, unit="%", doubt="partial"
        )
    met = _MET.search(words)
    if met and _NOT_MET.search(words):
        return Reading(CriterionKind.QUALITATIVE, True, _float(met.group(1)))
    return Reading(CriterionKind.QUALITATIVE, False, doubt="no_rule")


def bonus_reading(
    text: str, written_max: tuple[float, int] | None, group_sign: int
) -> tuple[float, float, bool, bool] | None:
    """A bonus/penalty item's (min, max, fixed, sure): "+3" or "cộng 3 điểm" gives (0, 3),
    "trừ 5 điểm" (-5, 0); a fixed amount (no "tối đa", no "mỗi") is all or nothing. The group's
    own name ("Điểm thưởng", "Điểm trừ") gives the sign an item does not write. None when no
    amount is written."""
    words = fold(text)
    cap = _CAP.search(words)
    if written_max is not None:
        amount, sign = written_max
    else:
        found = cap or _AMOUNT.search(words)
        if found is None:
            return None
        amount, sign = _float(found.group(1)), Sign.NONE
    if sign == Sign.NONE:
        plus, minus = _signs(words)
        sign = Sign.PLUS if plus and not minus else Sign.MINUS if minus and not plus else group_sign
    fixed = cap is None and "mỗi" not in words
    if sign == Sign.MINUS:
        return -amount, 0.0, fixed, True
    return 0.0, amount, fixed, sign == Sign.PLUS
