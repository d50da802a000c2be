"""Official documents as DOCX drafts (docxtpl templates) and, where LibreOffice is installed,
as PDF (the workbook converts the same way).

The bundled templates (``bot/data/document_templates``, written by
``scripts/make_document_templates.py``) are used unless the cluster-year folder has a
``templates/`` folder with a file of the same name, which a province edits in Word. Templates
are rendered in Jinja's sandbox with escaping, so neither a template nor the data can reach
beyond the document data object (``doc``).
"""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import signal
import tempfile
from pathlib import Path

from bot.outputs.document_data import AwardProposal, ClusterReport, ReviewMinutes

__all__ = [
    "BUNDLED_TEMPLATES",
    "DOCUMENT_TEMPLATES",
    "Document",
    "DocumentError",
    "office_to_pdf",
    "pdf_available",
    "render_document",
    "template_for",
]

BUNDLED_TEMPLATES = Path(__file__).resolve().parents[1] / "data" / "document_templates"
DOCUMENT_TEMPLATES: dict[type, str] = {
    ClusterReport: "bao-cao",
    ReviewMinutes: "bien-ban",
    AwardProposal: "to-trinh",
}
MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
PDF_TIMEOUT_SECONDS = 90.0

Document = ClusterReport | ReviewMinutes | AwardProposal


class DocumentError(Exception):
    """A template is missing, too large or broken, or a conversion failed; says which."""


def template_for(document: Document, cluster_dir: Path | None) -> Path:
    """The cluster-year's own template for this document, else the bundled one."""
    name = f"{DOCUMENT_TEMPLATES[type(document)]}.docx"
    own = cluster_dir / "templates" / name if cluster_dir is not None else None
    return own if own is not None and own.is_file() else BUNDLED_TEMPLATES / name


def render_document(document: Document, cluster_dir: Path | None = None) -> bytes:
    """The DOCX draft of a document, from its template (blocking: run it off the event loop)."""
    from docxtpl import DocxTemplate  # python-docx and jinja2: on use
    from jinja2 import StrictUndefined, TemplateError
    from jinja2.sandbox import SandboxedEnvironment

    path = template_for(document, cluster_dir)
    if path.stat().st_size > MAX_TEMPLATE_BYTES:
        raise DocumentError(f"{path}: larger than {MAX_TEMPLATE_BYTES // 1024 // 1024} MB")
    environment = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    try:
        template = DocxTemplate(path)
        template.render({"doc": document}, environment)
    except TemplateError as exc:
        raise DocumentError(f"{path}: {exc}") from exc
    except Exception as exc:  # a file Word cannot have written: not a DOCX, broken XML
        raise DocumentError(f"{path}: not a usable DOCX template ({exc})") from exc
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def pdf_available() -> bool:
    return shutil.which("soffice") is not None


async def office_to_pdf(
    content: bytes, suffix: str = ".docx", timeout: float = PDF_TIMEOUT_SECONDS
) -> bytes:
    """The PDF LibreOffice makes of an office file (``.docx``, ``.xlsx``), in a child process
    with its own profile (so runs in parallel do not collide), killed after ``timeout`` s."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise DocumentError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="cumthidua-pdf-") as folder:
        source = (Path(folder) / "document").with_suffix(suffix)
        source.write_bytes(content)
        process = await asyncio.create_subprocess_exec(
            soffice,
            f"-env:UserInstallation={(Path(folder) / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            folder,
            str(source),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,
        )
        try:
            _out, errors = await asyncio.wait_for(process.communicate(), timeout)
        except TimeoutError:
            os.killpg(process.pid, signal.SIGKILL)
            await process.wait()
            raise DocumentError(f"LibreOffice took longer than {timeout:g} s") from None
        result = Path(folder) / "document.pdf"
        if process.returncode != 0 or not result.is_file():
            detail = errors.decode("utf-8", "replace").strip()[-300:]
            raise DocumentError(f"LibreOffice could not convert the document: {detail}")
        return result.read_bytes()
