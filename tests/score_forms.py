"""Score forms filled as an officer would: every criterion given points that fit it (openpyxl),
or the workbook opened and saved again by LibreOffice."""

from __future__ import annotations

import asyncio
import functools
import io
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.scoring_table import Criterion, CriterionKind, ScoringTable
from bot.outputs.score_form import HEADER_ROW

__all__ = [
    "columns",
    "fill_form",
    "good_points",
    "resave_by_libreoffice",
    "rows",
    "rows_workbook",
]


def columns(sheet: Worksheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[HEADER_ROW] if cell.value}


def rows(sheet: Worksheet) -> dict[str, int]:
    return {
        str(sheet.cell(r, 1).value): r
        for r in range(HEADER_ROW + 1, sheet.max_row + 1)
        if sheet.cell(r, 1).value
    }


def good_points(criterion: Criterion) -> float:
    """A score that fits the criterion, not always the maximum."""
    if criterion.kind is CriterionKind.PER_OCCURRENCE:
        return 3 * (criterion.points_each or 0)
    if criterion.kind is CriterionKind.QUANTITATIVE and criterion.formula == "proportional":
        return criterion.max - 1.5
    if criterion.kind is CriterionKind.BONUS_PENALTY:
        return criterion.max - 10 if criterion.max >= 10 else criterion.min
    return criterion.max


def fill_form(
    data: bytes,
    table: ScoringTable,
    change: Mapping[str, object] | None = None,
    bonuses: Mapping[str, float] | None = None,
) -> tuple[bytes, float]:
    """The form with every criterion scored (``change`` overrides by code) and the whole-table
    bonuses answered (``bonuses``: code → points), saved by openpyxl; and the total those
    scores make."""
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet is not None
    score, found = columns(sheet)["Điểm tự chấm"], rows(sheet)
    total = 0.0
    for criterion in table.criteria():
        value = good_points(criterion)
        total += value
        sheet.cell(found[criterion.code], score).value = value
    for code, value in {**(bonuses or {}), **(change or {})}.items():
        sheet.cell(found[code], score).value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), total + sum(v for v in (bonuses or {}).values())


async def resave_by_libreoffice(data: bytes) -> bytes:
    """The workbook opened and saved again as XLSX by LibreOffice (its own profile)."""
    soffice = shutil.which("soffice")
    assert soffice is not None, "LibreOffice is installed by scripts/ensure-libreoffice.sh"
    with tempfile.TemporaryDirectory(prefix="cumthidua-form-") as folder:
        source, out = Path(folder) / "in" / "form.xlsx", Path(folder) / "out"
        source.parent.mkdir()
        source.write_bytes(data)
        process = await asyncio.create_subprocess_exec(
            soffice,
            f"-env:UserInstallation={(Path(folder) / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        await asyncio.wait_for(process.wait(), 120)
        return (out / "form.xlsx").read_bytes()


@functools.cache
def rows_workbook(count: int, code: str = "TT") -> bytes:
    """A form-looking workbook of ``count`` rows (100,000: a hostile one)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([code, "Tiêu chí", "Điểm tự chấm"])
    for n in range(count):
        sheet.append([f"I.{n}", "x", 1])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
