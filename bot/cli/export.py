"""``cumthidua export submissions``: the latest file of every report, with a manifest."""

from __future__ import annotations

import csv
from pathlib import Path

from bot.cli.clusters import year_services
from bot.config import Settings
from bot.domain.file_names import safe_file_name, unique_names
from bot.domain.spreadsheet_text import csv_text
from bot.i18n import Translator
from bot.services.container import Services
from bot.services.ranking_data import load_ranking
from bot.usecases import exports

__all__ = ["export_ranking", "export_submissions", "write_inspection_list", "write_pact_list"]

MANIFEST_FIELDS = (
    "unit",
    "deliverable",
    "version",
    "officer",
    "received_at",
    "on_time",
    "days_late",
    "file",
    "sha256",
)


async def export_submissions(
    settings: Settings,
    out: Path,
    _: Translator,
    cluster: str | None = None,
    year: int | None = None,
) -> int:
    async with year_services(settings, cluster, year, _) as services:
        if services is None:
            return 2
        await write_pact_list(services, out)
        await write_inspection_list(services, out)
        latest = await exports.latest_reports(services)
        out.mkdir(parents=True, exist_ok=True)
        with (out / "manifest.csv").open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(MANIFEST_FIELDS)
            for submission in latest:
                deliverable, unit = submission.deliverable, submission.unit_code
                folder = out / deliverable / unit
                folder.mkdir(parents=True, exist_ok=True)
                names = unique_names(safe_file_name(f.name, f.kind) for f in submission.files)
                for f, name in zip(submission.files, names, strict=True):
                    (folder / name).write_bytes(exports.file_bytes(services, f.sha256))
                    row = (
                        unit,
                        deliverable,
                        submission.version,
                        submission.officer_name,
                        submission.received_at.isoformat(),
                        "yes" if submission.days_late == 0 else "no",
                        submission.days_late,
                        f"{deliverable}/{unit}/{name}",
                        f.sha256,
                    )
                    writer.writerow([csv_text(value) for value in row])
        print(_("Exported {count} report(s) to {out}").format(count=len(latest), out=out))
        return 0


async def export_ranking(
    settings: Settings,
    out: Path,
    _: Translator,
    cluster: str | None = None,
    year: int | None = None,
) -> int:
    from bot.outputs.ranking_files import ranking_workbook

    async with year_services(settings, cluster, year, _) as services:
        if services is None:
            return 2
        data = await load_ranking(services)
        if data is None:
            print(_("There is no scoring for you in this cluster-year."))
            return 2
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(ranking_workbook(services.cluster_year.cluster, data, _))
        print(_("Ranking workbook written to {out}").format(out=out))
        return 0


def _write_csv(path: Path, header: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([csv_text(value) for value in row])


async def write_pact_list(services: Services, out: Path) -> None:
    """The year's pact signatures (unit, signed, officer, time, channel) as ``pact.csv``."""
    lines = await exports.pact_lines(services)
    if lines is None:
        return
    rows: list[tuple[object, ...]] = [
        (
            line.unit.code,
            line.unit.full_name,
            "yes" if line.signature else "no",
            line.signature.officer_name if line.signature else "",
            line.signature.at.isoformat() if line.signature else "",
            line.signature.channel if line.signature else "",
        )
        for line in lines
    ]
    header = ("unit", "unit_name", "signed", "officer", "signed_at", "channel")
    _write_csv(out / "pact.csv", header, rows)


async def write_inspection_list(services: Services, out: Path) -> None:
    """The year's cross-inspection pairs, the minutes' latest version and the inspected unit's
    answers as ``inspection.csv``."""
    lines = await exports.inspection_lines(services)
    if lines is None:
        return
    rows: list[tuple[object, ...]] = [
        (
            line.pair.inspector,
            line.pair.inspected,
            line.due.isoformat(),
            "" if line.minutes_version is None else str(line.minutes_version),
            " | ".join(line.answers),
        )
        for line in lines
    ]
    header = ("inspector", "inspected", "due", "minutes_version", "answers")
    _write_csv(out / "inspection.csv", header, rows)
