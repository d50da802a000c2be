"""The bot's one web server (aiohttp): health check, Zalo webhook, one-time upload and download
links. Upload pages are plain HTML in Vietnamese that work on a phone, with no build step."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import html
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from aiohttp import web

from bot.domain.access import Actor
from bot.domain.cluster import Deliverable
from bot.domain.file_names import display_name
from bot.domain.messages import Reply
from bot.i18n import Translator, translator
from bot.operations.metrics import CONTENT_TYPE, Metrics
from bot.operations.probe import OperationsProbe
from bot.services.container import Services
from bot.services.intake import (
    TOO_BIG,
    CheckedFile,
    Refusal,
    check_file,
    receipt_text,
    store_file,
    submit,
)
from bot.web.pages import WebPages
from bot.web.uploads import TOO_SLOW, ReceivedFile, UploadBounds, UploadRefused, receive_form
from storage.links import Link, LinkProblem

__all__ = ["WebServer"]

log = logging.getLogger(__name__)

WebhookHandler = Callable[[dict[str, Any]], Awaitable[None]]

JSON_MAX_BYTES = 1 << 20
"""Bodies read whole (the Zalo webhook's JSON); uploads are streamed under their own bounds."""
LINGERING_SECONDS = 2.0
"""How long the rest of a refused request body is read (so the client sees the answer)."""

PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.2rem; max-width: 36rem; line-height: 1.45; }}
h1 {{ font-size: 1.25rem; }} pre {{ white-space: pre-wrap; background: #f3f5f7; padding: .8rem; }}
input, textarea, button {{ font-size: 1rem; width: 100%; margin: .4rem 0; }}
button {{ padding: .8rem; background: #0b6bcb; color: #fff; border: 0; border-radius: .4rem; }}
.error {{ color: #a4000f; }}
</style></head><body><h1>{title}</h1>{body}</body></html>"""


class WebServer:
    def __init__(self, services: Services) -> None:
        self._services = services
        self._runner: web.AppRunner | None = None
        self._zalo_webhook: WebhookHandler | None = None
        self._zalo_secret = ""
        self._background: set[asyncio.Task[None]] = set()
        self._probe: OperationsProbe | None = None
        self._metrics: Metrics | None = None
        self.port = 0

    def watch(self, probe: OperationsProbe, metrics: Metrics) -> None:
        """Answer ``/healthz`` and ``/metrics`` from the running bot's state."""
        self._probe, self._metrics = probe, metrics

    def accept_zalo_webhook(self, secret: str, handler: WebhookHandler) -> None:
        self._zalo_secret, self._zalo_webhook = secret, handler

    async def start(self, host: str, port: int) -> str:
        settings = self._services.settings
        app = web.Application(client_max_size=JSON_MAX_BYTES)
        app.router.add_get("/healthz", self._health)
        app.router.add_get("/metrics", self._metrics_page)
        app.router.add_post("/zalo/webhook", self._zalo)
        app.router.add_get("/u/{token}", self._upload_page)
        app.router.add_post("/u/{token}", self._upload)
        app.router.add_get("/d/{token}", self._download)
        app.router.add_get("/i/{token}", self._image)
        WebPages(self._services).mount(app)
        self._upload_bounds().spool_dir.mkdir(parents=True, exist_ok=True)
        self._runner = web.AppRunner(
            app,
            access_log=None,
            keepalive_timeout=settings.web_keepalive_seconds,  # idle and half-sent requests too
            lingering_time=LINGERING_SECONDS,
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        self.port = self._runner.addresses[0][1]
        return f"http://{host}:{self.port}"

    async def stop(self) -> None:
        for task in list(self._background):
            await task
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # Health and webhook ----------------------------------------------------------------------

    async def _health(self, _request: web.Request) -> web.Response:
        """200 when healthy, 503 otherwise; the body names the senders' states, the outbox's
        pending count and oldest due row's age, and what is wrong."""
        if self._probe is None:
            return web.json_response({"status": "starting"}, status=503)
        health = await self._probe.health()
        return web.json_response(health.body, status=200 if health.healthy else 503)

    async def _metrics_page(self, request: web.Request) -> web.Response:
        token = self._services.settings.metrics_token
        if token is not None:
            given = request.headers.get("Authorization", "").removeprefix("Bearer ")
            if not hmac.compare_digest(given.encode(), token.get_secret_value().encode()):
                return web.Response(status=401)
        if self._metrics is None:
            return web.Response(status=503)
        body = await self._metrics.render()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})

    async def _zalo(self, request: web.Request) -> web.Response:
        given = request.headers.get("X-Bot-Api-Secret-Token", "")
        if self._zalo_webhook is None or not given:
            return web.json_response({"ok": False}, status=401)
        if not hmac.compare_digest(given.encode(), self._zalo_secret.encode()):
            return web.json_response({"ok": False}, status=403)
        try:
            payload = await request.json()
        except ValueError:
            return web.json_response({"ok": False}, status=400)
        task = asyncio.create_task(self._zalo_webhook(payload))  # answer fast, work after
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return web.json_response({"ok": True})

    # Links -----------------------------------------------------------------------------------

    def _page(self, title: str, body: str, status: int = 200) -> web.Response:
        text = PAGE.format(
            lang=self._services.settings.default_language, title=html.escape(title), body=body
        )
        return web.Response(text=text, status=status, content_type="text/html", charset="utf-8")

    def _problem(self, problem: LinkProblem, _: Translator) -> web.Response:
        messages = {
            LinkProblem.UNKNOWN: (
                _("This link is not valid. Please ask the bot for a new one."),
                404,
            ),
            LinkProblem.EXPIRED: (
                _("This link has expired. Please ask the bot for a new one."),
                410,
            ),
            LinkProblem.USED: (
                _("This link has already been used. Please ask the bot for a new one."),
                410,
            ),
        }
        text, status = messages[problem]
        return self._page(_("Link not usable"), f'<p class="error">{html.escape(text)}</p>', status)

    async def _upload_page(self, request: web.Request) -> web.Response:
        _ = translator(self._services.settings.default_language)
        link = await self._services.links.check(
            request.match_info["token"], "upload", self._services.clock.now()
        )
        if isinstance(link, LinkProblem):
            return self._problem(link, _)
        return self._page(_("Send a report"), self._form(link, _))

    def _form(self, link: Link, _: Translator, notice: str = "") -> str:
        deliverable = self._deliverable(link)
        title = html.escape(deliverable.title if deliverable else "")
        files = html.escape(_("Files (DOCX, DOC, PDF, XLSX, XLS, ODT, ODS, JPG, PNG)"))
        note = html.escape(_("Note (optional)"))
        send = html.escape(_("Send to the chair"))
        return (
            f"{notice}<p>{title}</p>"
            '<form method="post" enctype="multipart/form-data">'
            f'<label>{files}<input type="file" name="files" multiple required></label>'
            f'<label>{note}<textarea name="note" rows="3"></textarea></label>'
            f'<button type="submit">{send}</button></form>'
        )

    def _for(self, link: Link) -> Services:
        """The services of the cluster-year the link was made in."""
        if link.cluster_year_id is None:
            return self._services
        return self._services.scoped(link.cluster_year_id)

    def _deliverable(self, link: Link) -> Deliverable | None:
        return next(
            (
                d
                for d in self._for(link).cluster_year.plan.deliverables
                if d.code == link.deliverable
            ),
            None,
        )

    async def _upload(self, request: web.Request) -> web.Response:
        services = self._services
        _ = translator(services.settings.default_language)
        link = await services.links.check(
            request.match_info["token"], "upload", services.clock.now()
        )
        if isinstance(link, LinkProblem):
            return self._problem(link, _)
        services = self._for(link)
        officer = await services.officers.get(link.officer_id) if link.officer_id else None
        deliverable = self._deliverable(link)
        if officer is None or officer.unit_code is None or deliverable is None:
            return self._problem(LinkProblem.UNKNOWN, _)
        with contextlib.ExitStack() as spools:
            try:
                async with asyncio.timeout(services.settings.upload_timeout_seconds):
                    form = await receive_form(request, self._upload_bounds(), spools)
            except UploadRefused as refused:
                return self._refused(link, _, refused.text(_), refused.status)
            except TimeoutError:
                return self._refused(link, _, _(TOO_SLOW), 408)
            except ConnectionError:  # the client went away: its spooled parts are gone with it
                log.info("an upload was interrupted by the client")
                return self._refused(link, _, _(TOO_SLOW), 400)
            checked, refusals = await self._check(form.files, _)
            notice = "".join(f'<p class="error">{html.escape(r)}</p>' for r in refusals)
            if not checked:
                return self._page(_("Send a report"), self._form(link, _, notice), 400)
            if not await services.links.use(link, services.clock.now()):  # stored only after
                return self._problem(LinkProblem.USED, _)
            files: list[dict[str, Any]] = []
            for spooled, result in checked:
                taken = await store_file(services, result, spooled.read())
                if all(f["sha256"] != taken["sha256"] for f in files):
                    files.append(taken)
        note = form.note
        actor = Actor(officer.id, officer.name, officer.unit_code, officer.role)
        submission = await submit(
            services, actor, link.channel, deliverable, files, note, f"link:{link.token_hash}"
        )
        await self._finish_chat_draft(link)
        cluster = services.cluster_year.cluster
        language = (
            await services.preferences.language(link.channel, link.chat_id)
            or services.settings.default_language
        )
        chat_ = translator(language)
        await services.outbox.enqueue(
            f"receipt:{submission.id}",
            link.channel,
            link.chat_id,
            Reply(receipt_text(cluster, deliverable, submission, chat_, language)),
            officer_id=officer.id,
        )
        receipt = receipt_text(
            cluster, deliverable, submission, _, services.settings.default_language
        )
        received = html.escape(_("Received. The receipt is also in your chat."))
        body = f"{notice}<p>{received}</p><pre>{html.escape(receipt)}</pre>"
        return self._page(_("Report received"), body)

    def _upload_bounds(self) -> UploadBounds:
        settings = self._services.settings
        return UploadBounds(
            max_parts=settings.upload_max_parts,
            max_total_bytes=int(settings.upload_max_mb * 2**20),
            max_file_bytes=int(settings.max_file_mb * 2**20),
            read_timeout=settings.web_read_timeout_seconds,
            spool_dir=settings.data_dir / "incoming",
        )

    async def _check(
        self, received: list[ReceivedFile], _: Translator
    ) -> tuple[list[tuple[ReceivedFile, CheckedFile]], list[str]]:
        """The files that pass the checks, and why the others were refused; nothing stored."""
        checked, refusals = [], []
        bounds, limit = self._upload_bounds(), f"{self._services.settings.max_file_mb:g}"
        for file in received:
            if file.too_big(bounds):
                refusals.append(Refusal(TOO_BIG, display_name(file.name), limit).text(_))
                continue
            result = await check_file(self._services, file.name, file.read())
            if isinstance(result, Refusal):
                refusals.append(result.text(_))
            else:
                checked.append((file, result))
        return checked, refusals

    def _refused(self, link: Link, _: Translator, text: str, status: int) -> web.Response:
        """The form again with why the upload was stopped; the connection is then closed."""
        notice = f'<p class="error">{html.escape(text)}</p>'
        response = self._page(_("Send a report"), self._form(link, _, notice), status)
        response.force_close()
        return response

    async def _finish_chat_draft(self, link: Link) -> None:
        """The chat's own draft for the same report is done once the upload page delivered it."""
        conversations = self._services.conversations
        state = await conversations.get(link.channel, link.chat_id)
        if (
            state is not None
            and state.flow == "report"
            and state.data.get("deliverable") == link.deliverable
        ):
            await conversations.clear(link.channel, link.chat_id)

    async def _download(self, request: web.Request) -> web.StreamResponse:
        return await self._serve(request, "download", single_use=True)

    async def _image(self, request: web.Request) -> web.StreamResponse:
        return await self._serve(request, "image", single_use=False)

    async def _serve(self, request: web.Request, kind: str, single_use: bool) -> web.StreamResponse:
        services = self._services
        _ = translator(services.settings.default_language)
        link = await services.links.check(request.match_info["token"], kind, services.clock.now())
        if isinstance(link, LinkProblem):
            return self._problem(link, _)
        if single_use and not await services.links.use(link, services.clock.now()):
            return self._problem(LinkProblem.USED, _)
        assert link.sha256 is not None
        headers = {
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(link.file_name or 'tep')}"
        }
        return web.Response(
            body=services.files.read(link.sha256),
            content_type=link.mime or "application/octet-stream",
            headers=headers,
        )
