"""The bot's one web server (aiohttp): health check, Zalo webhook, one-time upload and download
links. Upload pages are plain HTML in Vietnamese that work on a phone, with no build step."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hmac
import html
import logging
import resource
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from aiohttp import web

from bot.config import Settings
from bot.i18n import Translator, translator
from bot.operations.metrics import CONTENT_TYPE, Metrics
from bot.operations.probe import OperationsProbe
from bot.services.container import Services
from bot.texts.receipts import receipt_text
from bot.usecases.one_time_links import LinkKind, fetch_linked_file
from bot.usecases.self_scoring import FormRefused, open_form_upload, take_form_upload
from bot.usecases.submit_report import (
    LinkProblem,
    NothingAccepted,
    UploadLink,
    begin_upload,
    open_upload,
    submit_by_link,
    upload_spool,
)
from bot.web.bounded_json import loads_bounded
from bot.web.pages import WebPages
from bot.web.uploads import (
    TOO_SLOW,
    UploadBounds,
    UploadGate,
    UploadRefused,
    client_left,
    receive_form,
    upload_bounds,
)

__all__ = ["WebServer"]

log = logging.getLogger(__name__)

WebhookHandler = Callable[[dict[str, Any]], Awaitable[None]]
"""Keeps a webhook's delivery (answered beside); returns once it is kept."""

JSON_MAX_BYTES = 1 << 20
"""Bodies read whole (the Zalo webhook's JSON); uploads are streamed under their own bounds."""
LINGERING_SECONDS = 2.0
"""How long the rest of a refused request body is read (so the client sees the answer)."""
READ_BUFFER = 1 << 14
"""What aiohttp buffers of a request's body before it stops reading the socket (its default is
256 KiB, of which it holds up to twice): what an upload waiting its turn holds in memory. With
240 uploads of 2 MiB waiting, the server's resident set grew 150 MiB at the default, 18 MiB at
16 KiB."""
BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 10\r\nContent-Type: text/plain\r\n"
    b"Content-Length: 21\r\nConnection: close\r\n\r\nToo many connections\n"
)
"""The answer to a connection beyond the cap, written before its request is read."""


class _Busy(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        transport.write(BUSY)
        transport.close()


class _ConnectionCap:
    """The listening socket's protocol factory: aiohttp's below the cap, :class:`_Busy` at it.
    Reaching the cap is logged once, and leaving it once (with how many were turned away)."""

    def __init__(self, server: web.Server, limit: int) -> None:
        self._server, self.limit, self.refused = server, limit, 0
        self._accepting = 0
        """Protocols made whose ``connection_made`` (which counts them) has not run yet: one
        wake-up of the loop accepts up to a backlog's worth of connections."""

    def __call__(self) -> asyncio.BaseProtocol:
        if len(self._server.connections) + self._accepting < self.limit:
            if self.refused:
                log.info("web server: under its connection cap again (%d refused)", self.refused)
                self.refused = 0
            self._accepting += 1
            loop = asyncio.get_running_loop()  # the transport queues connection_made next:
            loop.call_soon(loop.call_soon, self._counted)  # uncount it after that has run
            return self._server()
        if not self.refused:
            log.warning(
                "web server: %d connections open, its connection cap: more get 503", self.limit
            )
        self.refused += 1
        return _Busy()

    def _counted(self) -> None:
        self._accepting -= 1


def connection_cap(configured: int) -> int:
    """The configured cap, and at most half the file descriptors the process may open."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return configured if soft == resource.RLIM_INFINITY else max(1, min(configured, soft // 2))


def upload_gate(settings: Settings, connections: int) -> UploadGate:
    """The gate of every upload. An upload waiting its turn holds a connection, so at most half
    the connection cap wait: the other half is kept for the uploads under way, the pages, the
    webhook and the health check."""
    waiting = min(settings.uploads_waiting, connections // 2)
    if waiting < settings.uploads_waiting:
        log.warning(
            "web server: at most %d uploads wait their turn (half its %d connections)",
            waiting,
            connections,
        )
    return UploadGate(
        settings.uploads_per_link,
        settings.uploads_at_once,
        waiting,
        settings.upload_wait_seconds,
    )


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
        settings = services.settings
        self._connections = connection_cap(settings.web_max_connections)
        self.uploads = upload_gate(settings, self._connections)
        self._runner: web.AppRunner | None = None
        self._listener: asyncio.Server | None = None
        self._zalo_webhook: WebhookHandler | None = None
        self._zalo_secret = ""
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
        app.router.add_get("/f/{token}", self._score_form_page)
        app.router.add_post("/f/{token}", self._score_form)
        app.router.add_get("/d/{token}", self._download)
        app.router.add_get("/i/{token}", self._image)
        WebPages(self._services, self.uploads).mount(app)
        self._runner = web.AppRunner(
            app,
            access_log=None,
            keepalive_timeout=settings.web_keepalive_seconds,  # idle and half-sent requests too
            lingering_time=LINGERING_SECONDS,
            read_bufsize=READ_BUFFER,
        )
        await self._runner.setup()
        cap = _ConnectionCap(self._runner.server, self._connections)
        self._listener = await asyncio.get_running_loop().create_server(
            cap, host, port, reuse_address=True
        )
        self.port = self._listener.sockets[0].getsockname()[1]
        return f"http://{host}:{self.port}"

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.close()  # no new connections; aiohttp closes the open ones below
            self._listener = None
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
            async with asyncio.timeout(self._services.settings.web_read_timeout_seconds):
                body = await request.read()  # at most JSON_MAX_BYTES (413 beyond)
            payload = loads_bounded(body)
        except TimeoutError:
            stalled = web.json_response({"ok": False}, status=408)
            stalled.force_close()
            return stalled
        except ValueError:
            return web.json_response({"ok": False}, status=400)
        if not isinstance(payload, dict):
            return web.json_response({"ok": False}, status=400)
        await self._zalo_webhook(payload)  # kept (answered beside): 200 means it is not lost
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
            LinkProblem.TRIED: (
                _(
                    "This link was tried too many times without a report arriving. Please ask "
                    "for a new link in the chat with /nopbaocao."
                ),
                410,
            ),
        }
        text, status = messages[problem]
        return self._page(_("Link not usable"), f'<p class="error">{html.escape(text)}</p>', status)

    async def _upload_page(self, request: web.Request) -> web.Response:
        _ = translator(self._services.settings.default_language)
        upload = await open_upload(self._services, request.match_info["token"])
        if isinstance(upload, LinkProblem):
            return self._problem(upload, _)
        return self._page(_("Send a report"), self._form(upload, _))

    def _form(self, upload: UploadLink, _: Translator, notice: str = "") -> str:
        title = html.escape(upload.deliverable.title)
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

    async def _upload(self, request: web.Request) -> web.Response:
        services = self._services
        _ = translator(services.settings.default_language)
        upload = await open_upload(services, request.match_info["token"])
        if isinstance(upload, LinkProblem):
            return self._problem(upload, _)
        with contextlib.ExitStack() as spools:
            try:
                left = functools.partial(client_left, request)
                spools.enter_context(await self.uploads.enter(upload.link.token_hash, left))
                if problem := await begin_upload(services, upload):
                    return self._problem(problem, _)
                async with asyncio.timeout(services.settings.upload_timeout_seconds):
                    spool = functools.partial(upload_spool, services)
                    form = await receive_form(request, self._upload_bounds(), spools, spool)
            except UploadRefused as refused:
                return self._refused(
                    upload, _, refused.text(_), refused.status, refused.retry_after
                )
            except TimeoutError:
                return self._refused(upload, _, _(TOO_SLOW), 408)
            except ConnectionError:  # the client went away: its spooled parts are gone with it
                log.info("an upload was interrupted by the client")
                return self._refused(upload, _, _(TOO_SLOW), 400)
            result = await submit_by_link(services, upload, form.files, form.note)
        if isinstance(result, LinkProblem):
            return self._problem(result, _)
        notice = "".join(f'<p class="error">{html.escape(r.text(_))}</p>' for r in result.refused)
        if isinstance(result, NothingAccepted):
            return self._page(_("Send a report"), self._form(upload, _, notice), 400)
        receipt = receipt_text(
            result.cluster,
            result.deliverable,
            result.submission,
            _,
            services.settings.default_language,
        )
        received = html.escape(_("Received. The receipt is also in your chat."))
        body = f"{notice}<p>{received}</p><pre>{html.escape(receipt)}</pre>"
        return self._page(_("Report received"), body)

    # The score form (Zalo) ---------------------------------------------------------------------

    def _score_form_body(self, _: Translator, notice: str = "") -> str:
        label = html.escape(_("The filled score form (.xlsx)"))
        send = html.escape(_("Read the form"))
        return (
            f"{notice}"
            '<form method="post" enctype="multipart/form-data">'
            f'<label>{label}<input type="file" name="files" accept=".xlsx" required></label>'
            f'<button type="submit">{send}</button></form>'
        )

    def _score_form_answer(self, _: Translator, notice: str, status: int) -> web.Response:
        body = self._score_form_body(_, f'<p class="error">{html.escape(notice)}</p>')
        return self._page(_("Send the score form"), body, status)

    async def _score_form_page(self, request: web.Request) -> web.Response:
        _ = translator(self._services.settings.default_language)
        upload = await open_form_upload(self._services, request.match_info["token"])
        if isinstance(upload, LinkProblem):
            return self._problem(upload, _)
        return self._page(_("Send the score form"), self._score_form_body(_))

    async def _score_form(self, request: web.Request) -> web.Response:
        services = self._services
        _ = translator(services.settings.default_language)
        upload = await open_form_upload(services, request.match_info["token"])
        if isinstance(upload, LinkProblem):
            return self._problem(upload, _)
        with contextlib.ExitStack() as spools:
            try:
                async with asyncio.timeout(services.settings.upload_timeout_seconds):
                    spool = functools.partial(upload_spool, services)
                    form = await receive_form(request, self._upload_bounds(), spools, spool)
            except UploadRefused as refused:
                answer = self._score_form_answer(_, refused.text(_), refused.status)
                answer.force_close()
                return answer
            except (TimeoutError, ConnectionError):
                answer = self._score_form_answer(_, _(TOO_SLOW), 408)
                answer.force_close()
                return answer
            if not form.files:
                return self._score_form_answer(_, _("Please choose the form's file."), 400)
            data = await asyncio.to_thread(form.files[0].path.read_bytes)
            result = await take_form_upload(services, upload, data)
        if isinstance(result, LinkProblem):
            return self._problem(result, _)
        if isinstance(result, FormRefused):
            return self._score_form_answer(_, result.text(_), 400)
        done = html.escape(_("The form is read. The total and the confirmation are in your chat."))
        return self._page(_("Score form received"), f"<p>{done}</p>")

    def _upload_bounds(self) -> UploadBounds:
        return upload_bounds(self._services.settings)

    def _refused(
        self,
        upload: UploadLink,
        _: Translator,
        text: str,
        status: int,
        retry_after: int | None = None,
    ) -> web.Response:
        """The form again with why the upload was stopped; the connection is then closed."""
        notice = f'<p class="error">{html.escape(text)}</p>'
        response = self._page(_("Send a report"), self._form(upload, _, notice), status)
        if retry_after is not None:
            response.headers["Retry-After"] = str(retry_after)
        response.force_close()
        return response

    async def _download(self, request: web.Request) -> web.Response:
        return await self._serve(request, LinkKind.DOWNLOAD)

    async def _image(self, request: web.Request) -> web.Response:
        return await self._serve(request, LinkKind.IMAGE)

    async def _serve(self, request: web.Request, kind: LinkKind) -> web.Response:
        _ = translator(self._services.settings.default_language)
        found = await fetch_linked_file(self._services, request.match_info["token"], kind)
        if isinstance(found, LinkProblem):
            return self._problem(found, _)
        headers = {
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.name or 'tep')}"
        }
        return web.Response(body=found.data, content_type=found.mime, headers=headers)
