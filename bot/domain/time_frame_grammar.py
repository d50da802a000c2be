"""The grammar of Vietnamese time frames: a tokenizer and a few composable rules that turn
"Chậm nhất ngày 14/7", "Từ tháng 10 đến hết tháng 11/2026", "QIV" or "Định kỳ hằng quý" into
a small tree (a point, a deadline, a range or a recurrence). Dating the tree is
``bot.domain.time_frames``' job; here nothing is completed or guessed.

Each rule is a generator of every way it can match from a token position, so rules compose by
nesting and ambiguity is visible: the caller sees all complete parses."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from bot.domain.strings import nfc

__all__ = ["Frame", "Period", "Point", "Recurrence", "parses", "tokenize"]

MAX_TOKENS = 40
"""A time frame is a short phrase: longer cells are not read (and so are flagged)."""


class Period(StrEnum):
    DAY = "day"
    PART = "part"  # the first, middle or last ten days of a month (đầu, giữa, cuối tháng)
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


class Recurrence(StrEnum):
    """Ordered from the most to the least frequent: a frame naming two keeps the first."""

    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half-yearly"
    YEARLY = "yearly"
    PERIODIC = "periodic"
    CONTINUOUS = "continuous"


@dataclass(frozen=True)
class Point:
    """A day, part of a month, month, quarter, half-year or year, each field as written."""

    period: Period
    year: int | None = None
    month: int | None = None
    day: int | None = None
    index: int | None = None
    """The quarter (1–4), the half (1–2) or the part of the month (1–3)."""


@dataclass(frozen=True)
class Frame:
    """``first`` alone: that period; ``last`` alone: a deadline (``before``: the day before it
    begins, else its last day); both: a range; ``recurrence``: recurring through ``year``."""

    first: Point | None = None
    last: Point | None = None
    before: bool = False
    recurrence: Recurrence | None = None
    year: int | None = None


@dataclass(frozen=True)
class Token:
    kind: str  # "num", "word" or "sep"
    text: str
    tight: bool
    """No space before it (so "14-7-2023" is a date and "Tháng 3 - 4" a range)."""


_TOKEN = re.compile(r"[0-9]+|[^\W\d_]+|[/\-.]")
_DASHES = str.maketrans({"–": "-", "—": "-", "−": "-", "‐": "-", "‑": "-", "~": "-"})
_SYNONYMS = {"hàng": "hằng", "quí": "quý", "q": "quý", "t": "tháng", "thang": "tháng"}
_QUARTER_WORD = re.compile(r"q(i{1,3}|iv)")
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def tokenize(text: str) -> list[Token]:
    """Lower-cased words, numbers and the separators ``/ - .``; other punctuation is space."""
    text = nfc(text).casefold().translate(_DASHES)
    tokens: list[Token] = []
    end = 0
    for match in _TOKEN.finditer(text):
        word, tight = match.group(), match.start() == end and bool(tokens)
        end = match.end()
        if quarter := _QUARTER_WORD.fullmatch(word):
            tokens += [Token("word", "quý", tight), Token("word", quarter.group(1), True)]
            continue
        kind = "num" if word.isascii() and word.isdigit() else "sep" if word in "/-." else "word"
        tokens.append(Token(kind, _SYNONYMS.get(word, word), tight))
    return tokens


Match = Iterator[tuple[Any, int]]


class _Rules:
    """The rules over one token list. Each ``rule(i)`` yields ``(value, next position)``."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens

    # terminals

    def words(self, i: int, *phrases: str) -> Iterator[int]:
        """After each phrase that is written here ("chậm nhất", "6 tháng một lần")."""
        for phrase in phrases:
            parts = phrase.split()
            found = self.tokens[i : i + len(parts)]
            if [t.text for t in found] == parts and all(t.kind != "sep" for t in found):
                yield i + len(parts)

    def number(self, i: int, low: int, high: int, digits: int | None = None) -> Match:
        if i < len(self.tokens) and self.tokens[i].kind == "num":
            text = self.tokens[i].text
            if (digits is None or len(text) == digits) and low <= int(text) <= high:
                yield int(text), i + 1

    def sep(self, i: int, chars: str, tight: bool) -> Match:
        """A separator; ``tight``: with no space either side, except "/" (never a range)."""
        if i < len(self.tokens) and self.tokens[i].kind == "sep" and self.tokens[i].text in chars:
            after = i + 1 < len(self.tokens) and self.tokens[i + 1].tight
            if not tight or self.tokens[i].text == "/" or (self.tokens[i].tight and after):
                yield self.tokens[i].text, i + 1

    def year(self, i: int) -> Match:
        yield from self.number(i, 2000, 2100, digits=4)

    def optional(self, rule: Callable[[int], Match], i: int) -> Match:
        yield None, i
        yield from rule(i)

    def maybe(self, i: int, *phrases: str) -> list[int]:
        """Where a rule may go on: here, or after one of the optional words."""
        return [i, *self.words(i, *phrases)]

    # the year after a point: "/2023", "-2023", ".2023", "năm 2023"

    def year_tail(self, i: int) -> Match:
        for _, j in self.sep(i, "/-.", tight=True):
            yield from self.year(j)
        for j in self.words(i, "năm"):
            yield from self.year(j)

    # points

    def date(self, i: int) -> Match:
        """14/7/2023, 14-7-2023, 14.7.2023, 14/7, "14 tháng 7 năm 2023"."""
        for day, j in self.number(i, 1, 31):
            for separator, k in self.sep(j, "/-.", tight=True):
                for month, m in self.number(k, 1, 12):
                    yield Point(Period.DAY, None, month, day), m
                    for _, n in self.sep(m, separator, tight=True):
                        for year, o in self.year(n):
                            yield Point(Period.DAY, year, month, day), o
            for k in self.words(j, "tháng"):
                for month, m in self.number(k, 1, 12):
                    for year, n in self.optional(self.year_tail, m):
                        yield Point(Period.DAY, year, month, day), n

    def day(self, i: int) -> Match:
        yield from self.date(i)
        for j in self.words(i, "ngày"):
            yield from self.date(j)
            for day, k in self.number(j, 1, 31):
                yield Point(Period.DAY, day=day), k  # "từ ngày 1 đến ngày 15/3": completed later

    def month(self, i: int) -> Match:
        for j in self.words(i, "tháng"):
            yield from self.month_number(j)

    def month_number(self, i: int) -> Match:
        for month, j in self.number(i, 1, 12):
            for year, k in self.optional(self.year_tail, j):
                yield Point(Period.MONTH, year, month), k

    def part(self, i: int) -> Match:
        for index, phrases in enumerate(
            (("đầu", "thượng tuần"), ("giữa", "trung tuần"), ("cuối", "hạ tuần")), start=1
        ):
            for j in self.words(i, *phrases):
                for point, k in self.month(j):
                    yield replace(point, period=Period.PART, index=index), k

    def quarter(self, i: int) -> Match:
        for j in self.words(i, "quý"):
            yield from self.quarter_number(j)

    def quarter_number(self, i: int) -> Match:
        roman = [(ROMAN[t], i + 1) for t in ROMAN if any(self.words(i, t))]
        for index, j in [*roman, *self.number(i, 1, 4)]:
            for year, k in self.optional(self.year_tail, j):
                yield Point(Period.QUARTER, year, index=index), k

    def half(self, i: int) -> Match:
        for j in [*self.words(i, "sáu tháng", "nửa"), *self._six_months(i), i]:
            for index, word in enumerate(("đầu", "cuối"), start=1):
                for k in self.words(j, f"{word} năm"):
                    for year, m in [*self.optional(self.year, k), *self.year_tail(k)]:
                        yield Point(Period.HALF, year, index=index), m

    def _six_months(self, i: int) -> Iterator[int]:
        for _, j in self.number(i, 6, 6):
            yield from self.words(j, "tháng")

    def whole_year(self, i: int) -> Match:
        for j in self.words(i, "năm"):
            for year, k in self.year(j):
                yield Point(Period.YEAR, year), k

    def point(self, i: int) -> Match:
        for rule in (self.day, self.part, self.month, self.quarter, self.half, self.whole_year):
            yield from rule(i)

    def continuation(self, i: int, first: Point) -> Match:
        """The right side of a range, its unit word left out when it repeats the left's:
        "Tháng 11-12/2022", "Quý III - IV", "Từ 1 - 15/3"."""
        yield from self.point(i)
        if first.period is Period.MONTH:
            yield from self.month_number(i)
        elif first.period is Period.QUARTER:
            yield from self.quarter_number(i)
        elif first.period is Period.DAY:
            yield from self.date(i)

    # frames

    def range(self, i: int) -> Match:
        for j in self.maybe(i, "từ"):
            for first, k in self.point(j):
                for m in [*self.words(k, "đến", "tới", "cho đến"), *self._dash(k)]:
                    for n in self.maybe(m, "hết"):
                        for last, o in self.continuation(n, first):
                            yield Frame(first=first, last=last), o

    def _dash(self, i: int) -> Iterator[int]:
        for _, j in self.sep(i, "-", tight=False):
            yield j

    _INCLUSIVE = (
        "chậm nhất",
        "muộn nhất",
        "hạn chót",
        "hạn cuối",
        "thời hạn",
        "hạn",
        "đến hết",
        "hết",
        "đến",
        "tới",
        "không quá",
        "không muộn hơn",
    )

    def deadline(self, i: int) -> Match:
        """ "Trước ngày 01/7" ends on 30/6; "chậm nhất", "hạn chót", "đến hết" … on the day."""
        starts = [(True, j) for j in self.words(i, "trước")]
        for j in self.words(i, *self._INCLUSIVE):
            for k in self.maybe(j, "là", "vào", "trong"):
                starts += [(False, k), *((True, m) for m in self.words(k, "trước"))]
        for before, j in starts:
            for last, k in self.point(j):
                for m in self.maybe(k, "hằng năm"):
                    yield Frame(last=last, before=before), m

    _RECURRING = (
        ("hằng tuần", Recurrence.WEEKLY),
        ("hằng tháng", Recurrence.MONTHLY),
        ("hằng quý", Recurrence.QUARTERLY),
        ("6 tháng một lần", Recurrence.HALF_YEARLY),
        ("hằng năm", Recurrence.YEARLY),
        ("định kỳ", Recurrence.PERIODIC),
        ("thường xuyên", Recurrence.CONTINUOUS),
        ("liên tục", Recurrence.CONTINUOUS),
        ("cả năm", Recurrence.CONTINUOUS),
        ("quanh năm", Recurrence.CONTINUOUS),
        ("suốt năm", Recurrence.CONTINUOUS),
    )

    def recurrences(self, i: int) -> Iterator[tuple[list[Recurrence], int]]:
        for phrase, kind in self._RECURRING:
            for j in self.words(i, phrase):
                yield [kind], j
                for more, k in self.recurrences(j):
                    yield [kind, *more], k

    def recurring(self, i: int) -> Match:
        """ "Thường xuyên trong năm 2022", "Định kỳ hằng quý", "Ngày 25 hằng tháng"."""
        for kinds, j in self.recurrences(i):
            kind = min(kinds, key=list(Recurrence).index)
            yield Frame(recurrence=kind), j
            for k in [*self.words(j, "trong năm"), j]:
                for year, m in self.optional(self.year, k):
                    if year is not None or k != j:
                        yield Frame(recurrence=kind, year=year), m
                for year, m in self.year_tail(k):
                    yield Frame(recurrence=kind, year=year), m
        for j in self.maybe(i, "trước", *self._INCLUSIVE):
            for k in self.maybe(j, "ngày"):
                for _, m in self.number(k, 1, 31):
                    for n in self.words(m, "hằng tháng"):
                        yield Frame(recurrence=Recurrence.MONTHLY), n

    _LEADS = ("dự kiến", "hoàn thành", "thực hiện", "vào", "trong", "trong thời gian")

    def frame(self, i: int) -> Match:
        for j in self.words(i, *self._LEADS):
            yield from self.frame(j)
        for rule in (self.recurring, self.deadline, self.range):
            yield from rule(i)
        for point, j in self.point(i):
            for k in self.maybe(j, "hằng năm"):
                yield Frame(first=point), k


def parses(text: str) -> list[Frame]:
    """Every reading of the whole text (an optional trailing "(dự kiến)" aside), in rule order."""
    tokens = tokenize(text)
    while tokens and tokens[-1].text == ".":
        tokens.pop()
    if not tokens or len(tokens) > MAX_TOKENS:
        return []
    rules, found = _Rules(tokens), []
    for frame, end in rules.frame(0):
        if end == len(tokens) or list(rules.words(end, "dự kiến")) == [len(tokens)]:
            found.append(frame)
    return found
