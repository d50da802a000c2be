"""``cumthidua document NAME --out FILE [--year] [--cluster]``: a DOCX draft from a cluster-year's
data (report status, ranking, the votes), and its PDF beside it where LibreOffice is installed."""

from __future__ import annotations

from pathlib import Path

from bot.cli.clusters import year_services
from bot.config import Settings
from bot.i18n import Translator
from bot.outputs.docx_render import DocumentError
from bot.outputs.official_documents import DOCUMENT_NAMES, document_files, draft

__all__ = ["DOCUMENT_NAMES", "write_document"]


async def write_document(
    settings: Settings,
    name: str,
    out: Path,
    year: int | None,
    _: Translator,
    cluster_key: str | None = None,
) -> int:
    async with year_services(settings, cluster_key, year, _) as chosen:
        if chosen is None:
            return 2
        try:
            document = await draft(chosen, name)
            if document is None:
                print(_("There is no scoring for you in this cluster-year."))
                return 2
            out.parent.mkdir(parents=True, exist_ok=True)
            for number, file in enumerate(await document_files(chosen, document, name)):
                target = out if number == 0 else out.with_suffix(Path(file.name).suffix)
                target.write_bytes(file.data)
                print(_("Document written to {out}").format(out=target))
        except DocumentError as exc:
            print(_("The document could not be made: {reason}").format(reason=exc))
            return 2
        return 0
