"""``cumthidua scoring import FILE``, ``scoring form --unit CODE --out FILE.xlsx`` and
``scoring read FILE.xlsx``: the province's official table and a unit's score form, for the
operator."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bot.cli.clusters import year_services
from bot.config import Settings
from bot.domain.file_types import UnsafeFile
from bot.domain.plan_documents import UnreadableDocument
from bot.domain.score_sheet import SheetEntries
from bot.i18n import Translator
from bot.services.container import Services
from bot.texts.score_form_summary import form_read_lines
from bot.texts.scoring_preview import preview_text
from bot.usecases import scoring_import, self_scoring
from bot.usecases.scoring_import import NotApplied, NotConvertible
from bot.usecases.self_scoring import ScoringClosed

__all__ = ["import_scoring_file", "read_score_form", "write_score_form"]

NO_SCORING = ScoringClosed.NO_SCORING.value


def _refuse(path: Path, reason: str, _: Translator) -> int:
    print(_("Cannot read {path}: {reason}").format(path=path, reason=reason))
    return 2


def _bytes(settings: Settings, path: Path, _: Translator) -> bytes | int:
    """The file's content, or the exit code after saying why it cannot be read."""
    limit = settings.max_file_mb
    try:
        if path.stat().st_size > limit * 2**20:
            return _refuse(path, _("larger than {limit} MB").format(limit=f"{limit:g}"), _)
        return path.read_bytes()
    except OSError as exc:
        return _refuse(path, str(exc), _)


async def import_scoring_file(
    settings: Settings,
    path: Path,
    _: Translator,
    cluster: str | None = None,
    year: int | None = None,
    as_json: bool = False,
    dry_run: bool = False,
    confirmed: bool = False,
) -> int:
    data = _bytes(settings, path, _)
    if isinstance(data, int):
        return data
    async with year_services(settings, cluster, year, _) as services:
        if services is None:
            return 2
        try:
            imported = await scoring_import.read(services, data)
        except UnsafeFile:
            return _refuse(path, _("it cannot be read safely"), _)
        except UnreadableDocument as exc:
            return _refuse(path, str(exc), _)
        seen = await scoring_import.preview(services, imported)
        say = sys.stderr if as_json else sys.stdout  # with --json, stdout holds the JSON alone
        if as_json:
            print(json.dumps(imported.as_json(), ensure_ascii=False, indent=2))
        else:
            print(preview_text(imported, _, settings.default_language))
        if seen.reasons:
            rows = "; ".join(seen.reasons)
            print(_("⚠️ These rows cannot be scored as written: {rows}").format(rows=rows), file=say)
        if dry_run:
            return 0
        if not seen.applicable:
            print(_("Not applied: correct the document and import it again."), file=say)
            return 2
        if seen.scored and not confirmed:
            print(
                _(
                    "Not applied: units have already sent their self-scores. Run again with "
                    "--apply to make it a new version; every unit is told."
                ),
                file=say,
            )
            return 2
        done = await scoring_import.apply(services, imported, None, path.name, confirmed)
        if isinstance(done, NotConvertible):
            print(_("Not applied: correct the document and import it again."), file=say)
            return 2
        if isinstance(done, NotApplied):
            reason = (
                ScoringClosed.NO_SCORING if done is NotApplied.NO_YEAR else ScoringClosed.LOCKED
            )
            print(_(reason.value), file=say)
            return 2
        text = _("Scoring table version {version} applies to the cluster-year from now on.")
        print(text.format(version=done.version), file=say)
        if done.told:
            print(_("Every unit has been told."), file=say)
        return 0


def _unit(services: Services, code: str, _: Translator) -> str | None:
    """The unit's code as the cluster writes it, or None (said why)."""
    unit = next(
        (u for u in services.cluster_year.cluster.units if u.code.casefold() == code.casefold()),
        None,
    )
    if unit is None:
        print(_("There is no unit “{code}” in this cluster-year.").format(code=code))
        return None
    return unit.code


async def write_score_form(
    settings: Settings,
    unit_code: str,
    out: Path,
    _: Translator,
    cluster: str | None = None,
    year: int | None = None,
) -> int:
    async with year_services(settings, cluster, year, _) as services:
        if services is None:
            return 2
        if services.cluster_year.scoring is None:
            print(_(NO_SCORING))
            return 2
        code = _unit(services, unit_code, _)
        if code is None:
            return 2
        entries = await self_scoring.last_entries(services, code)
        form = await self_scoring.form_attachment(
            services, code, entries, settings.default_language
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(form.data)
        print(_("Score form of {unit} written to {out}").format(unit=code, out=out))
        return 0


async def read_score_form(
    settings: Settings,
    path: Path,
    _: Translator,
    unit_code: str | None = None,
    as_json: bool = False,
    cluster: str | None = None,
    year: int | None = None,
) -> int:
    data = _bytes(settings, path, _)
    if isinstance(data, int):
        return data
    async with year_services(settings, cluster, year, _) as services:
        if services is None:
            return 2
        table = services.cluster_year.scoring
        if table is None:
            print(_(NO_SCORING))
            return 2
        draft = SheetEntries()
        if unit_code is not None:
            code = _unit(services, unit_code, _)
            if code is None:
                return 2
            draft = await self_scoring.last_entries(services, code)
        read = await self_scoring.read_form(services, data, draft)
        if isinstance(read, self_scoring.FormRefused):
            return _refuse(path, read.text(_), _)
        language = settings.default_language
        if as_json:
            print(json.dumps(_form_json(services, read), ensure_ascii=False, indent=2))
        else:
            print("\n".join(form_read_lines(table, read.entries, read.problems, _, language)))
        return 0


def _form_json(services: Services, read: self_scoring.FormRead) -> dict[str, Any]:
    table = services.cluster_year.scoring
    assert table is not None
    entries = read.entries
    return {
        "total": self_scoring.total_of(table, entries),
        "subtotals": self_scoring.subtotals_of(table, entries),
        "scores": {
            code: {
                "points": entry.points,
                "value": entry.value,
                "note": entry.note,
                "evidence": entry.evidence_shown,
            }
            for code, entry in entries.criteria.items()
            if entry.scored
        },
        "bonuses": dict(entries.bonuses),
        "problems": [
            {"row": p.row, "code": p.code, "message": p.text(lambda m: m, "en")}
            for p in read.problems
        ],
        "blank": entries.missing(table.criterion_codes),
    }
