"""The pages of the emulation work itself: the province's overview, a cluster's status matrix
(with the chair's "remind those who have not sent it"), a unit's page, the ranking with its
chart, workbook and documents (past years too) and an officer's upload of reports. Each calls
the use case chat calls; which cluster-year a person may open is decided once
(:func:`open_cluster_year`), so changing a number in the address opens nothing more."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import re
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from aiohttp import web

from bot.domain.access import Access
from bot.domain.formatting import local_datetime, number
from bot.domain.report_status import Cell
from bot.i18n import N_
from bot.texts.receipts import receipt_text
from bot.texts.roles import Leader, title_of, unit_label
from bot.usecases.page_scope import ClusterView, open_cluster_year
from bot.usecases.province_overview import at_a_glance, published_top
from bot.usecases.ranking import RankingRefused, visible_ranking
from bot.usecases.remind_missing import RemindRefused, missing_reports, remind_missing
from bot.usecases.report_progress import progress, today
from bot.usecases.self_scoring import FormRefused, ScoringClosed, take_form_from_page
from bot.usecases.submit_report import (
    NothingAccepted,
    Refusal,
    report_choices,
    submit_from_page,
    upload_spool,
)
from bot.usecases.unit_record import may_see_unit, unit_file_link, unit_record
from bot.usecases.year_documents import (
    DOCUMENT_LABELS,
    DOCUMENT_NAMES,
    DocumentRefused,
    make_document,
)
from bot.web.sessions import CSRF_FIELD, Page, PageGuard, message_page, secured
from bot.web.uploads import (
    TOO_SLOW,
    ReceivedForm,
    UploadGate,
    UploadRefused,
    client_left,
    receive_form,
    upload_bounds,
)

__all__ = ["CELL_NAMES", "BoardPages", "cluster_path"]

CELL_NAMES = {
    Cell.ON_TIME: N_("on time"),
    Cell.LATE: N_("late"),
    Cell.OPEN: N_("not yet due"),
    Cell.OVERDUE: N_("overdue"),
    Cell.EXCUSED: N_("exempt"),
    Cell.PAPER: N_("on paper"),
}
CELL_CLASSES = {
    Cell.ON_TIME: "on-time",
    Cell.LATE: "late",
    Cell.OPEN: "due",
    Cell.OVERDUE: "overdue",
    Cell.EXCUSED: "exempt",
    Cell.PAPER: "paper",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORM_KEY = re.compile(r"^[0-9a-f]{32}$")

ClusterHandler = Callable[[Page, ClusterView], Awaitable[web.StreamResponse]]


def cluster_path(cluster_id: int, rest: str = "status") -> str:
    return f"/web/c/{cluster_id}/{rest}"


Again = Callable[[list[str], int], web.Response]
"""The form again, with the notices that say why it was not taken, at a status."""


class BoardPages:
    def __init__(self, guard: PageGuard, uploads: UploadGate) -> None:
        self._guard = guard
        self._uploads = uploads

    def mount(self, app: web.Application) -> None:
        guard, router, here = self._guard, app.router, self._in_cluster
        cluster = "/web/c/{cluster:[0-9]{1,9}}"
        router.add_get("/web/overview", guard(Access.PROVINCE, self._overview))
        router.add_get(f"{cluster}/status", guard(Access.REGISTERED, here(self._status)))
        router.add_get(f"{cluster}/remind", guard(Access.MANAGER, here(self._remind_preview)))
        router.add_post(f"{cluster}/remind", guard(Access.MANAGER, here(self._remind)))
        unit = f"{cluster}/unit/{{unit:[A-Z][A-Z0-9_]{{0,15}}}}"
        router.add_get(unit, guard(Access.REGISTERED, here(self._unit)))
        file = (
            f"{unit}/file/{{code:[a-z0-9_-]{{1,24}}}}/{{version:[0-9]{{1,6}}}}/{{n:[0-9]{{1,3}}}}"
        )
        router.add_get(file, guard(Access.REGISTERED, here(self._unit_file)))
        router.add_get(f"{cluster}/ranking", guard(Access.REGISTERED, here(self._ranking)))
        router.add_get(f"{cluster}/ranking.png", guard(Access.REGISTERED, here(self._chart)))
        router.add_get(f"{cluster}/ranking.xlsx", guard(Access.REGISTERED, here(self._workbook)))
        document = f"{cluster}/document/{{name:[a-z0-9-]{{1,32}}}}"
        router.add_get(document, guard(Access.MANAGER, here(self._document)))
        router.add_get("/web/upload", guard(Access.OFFICER, self._upload_choices))
        router.add_get("/web/score-form", guard(Access.OFFICER, self._score_form_page))
        scored = guard(Access.OFFICER, self._score_form, streamed=True)
        router.add_post("/web/score-form", scored)
        report = "/web/upload/{code:[a-z0-9_-]{1,24}}"
        router.add_get(report, guard(Access.OFFICER, self._upload_page))
        router.add_post(report, guard(Access.OFFICER, self._upload, streamed=True))

    def _in_cluster(
        self, handler: ClusterHandler
    ) -> Callable[[Page], Awaitable[web.StreamResponse]]:
        """The page of the cluster-year in the address (``?year=`` for a past one), if the
        visitor may open it; else the same polite 404 whether it exists or not."""

        async def route(page: Page) -> web.StreamResponse:
            typed = page.request.query.get("year", "")
            year = int(typed) if typed.isascii() and typed.isdigit() and len(typed) == 4 else None
            if typed and year is None:
                return _not_found(page)
            visitor = page.visitor
            cluster_id = int(page.request.match_info["cluster"])
            view = open_cluster_year(
                page.services, visitor.actor, visitor.year_id, cluster_id, year
            )
            if view is None:
                return _not_found(page)
            return await handler(page, view)

        return route

    # The province ------------------------------------------------------------------------------

    async def _overview(self, page: Page) -> web.StreamResponse:
        glances = await at_a_glance(page.services, today(page.services))
        rows = []
        for glance in glances:
            cluster, language = glance.year.cluster, page.visitor.language
            top = [
                (r.rank, unit_label(cluster, r.score.unit_code, page._), number(r.total, language))
                for r in await published_top(glance) or ()
            ]
            rows.append((glance, unit_label(cluster, cluster.chair, page._), top))
        return page.render("overview.html", rows=rows, path=cluster_path)

    # A cluster -------------------------------------------------------------------------------

    async def _status(self, page: Page, view: ClusterView) -> web.StreamResponse:
        services = view.services
        status = await progress(services, view.actor)
        chosen = page.request.query.get("d", "")
        columns = [
            (i, d) for i, d in enumerate(status.deliverables) if not chosen or d.code == chosen
        ]
        if chosen and not columns:
            return _not_found(page)
        cells = [row.cells[i] for row in status.rows for i, _d in columns]
        done = [c for c in cells if c is not None]
        rate = round(100 * sum(c.done for c in done) / len(done)) if done else 100
        return page.render(
            "status.html",
            view=view,
            cluster=services.cluster_year.cluster,
            year=services.cluster_year.cluster.year,
            as_of=status.as_of,
            deliverables=status.deliverables,
            columns=columns,
            rows=status.rows,
            chosen=chosen,
            done=sum(c.done for c in done),
            total=len(done),
            rate=rate,
            names=CELL_NAMES,
            classes=CELL_CLASSES,
            may_remind=view.actor.can_manage and not services.read_only,
            path=lambda rest: cluster_path(services.year.cluster_id, rest),
            unit_label=lambda code: unit_label(services.cluster_year.cluster, code, page._),
            opens_unit=lambda code: may_see_unit(view.actor, code),
        )

    async def _remind_preview(self, page: Page, view: ClusterView) -> web.StreamResponse:
        chosen = page.request.query.get("d") or None
        found = await missing_reports(view.services, view.actor, chosen)
        if isinstance(found, RemindRefused):
            return _refused(page, found)
        cluster = view.services.cluster_year.cluster
        return page.render(
            "remind.html",
            missing=found,
            chosen=chosen or "",
            action=cluster_path(view.services.year.cluster_id, "remind"),
            back=cluster_path(view.services.year.cluster_id),
            unit_label=lambda code: unit_label(cluster, code, page._),
        )

    async def _remind(self, page: Page, view: ClusterView) -> web.StreamResponse:
        form = await page.request.post()  # read already (and bounded) by the CSRF check
        chosen = str(form.get("d", "")) or None
        done = await remind_missing(view.services, view.actor, chosen)
        if isinstance(done, RemindRefused):
            return _refused(page, done)
        _ = page._
        text = _("{reports} report(s) reminded: {chats} message(s) on their way.").format(
            reports=done.units, chats=done.chats
        )
        return page.render(
            "done.html",
            title=_("Units reminded"),
            text=text,
            back=cluster_path(view.services.year.cluster_id),
        )

    # A unit ----------------------------------------------------------------------------------

    async def _unit(self, page: Page, view: ClusterView) -> web.StreamResponse:
        services = view.services
        record = await unit_record(services, view.actor, page.request.match_info["unit"])
        if record is None:
            return _not_found(page)
        cluster = services.cluster_year.cluster
        base = cluster_path(services.year.cluster_id, f"unit/{record.unit.code}")
        suffix = f"?year={cluster.year}"
        return page.render(
            "unit.html",
            record=record,
            cluster=cluster,
            names=CELL_NAMES,
            classes=CELL_CLASSES,
            file_path=lambda code, version, n: f"{base}/file/{code}/{version}/{n}{suffix}",
            when=lambda moment: local_datetime(moment, cluster.timezone),
            receipt=lambda deliverable, submission: receipt_text(
                cluster, deliverable, submission, page._, page.visitor.language
            ),
            number=lambda value: number(value, page.visitor.language),
            back=cluster_path(services.year.cluster_id) + suffix,
        )

    async def _unit_file(self, page: Page, view: ClusterView) -> web.StreamResponse:
        """Onto the chat's one-time download link for this file (single use, hours long)."""
        match, visitor = page.request.match_info, page.visitor
        url = await unit_file_link(
            view.services,
            view.actor,
            (visitor.channel, visitor.user_id),
            match["unit"],
            match["code"],
            int(match["version"]),
            int(match["n"]),
        )
        if url is None:
            return _not_found(page)
        return secured(web.Response(status=303, headers={"Location": url}))

    # The ranking -----------------------------------------------------------------------------

    async def _ranking(self, page: Page, view: ClusterView) -> web.StreamResponse:
        services = view.services
        standings = await visible_ranking(services, view.actor)
        cluster = services.cluster_year.cluster
        base = cluster_path(services.year.cluster_id, "")
        refused = ""
        if isinstance(standings, RankingRefused):
            chair = title_of(cluster, Leader.CHAIR, page._)
            refused = page._(standings.value).format(chair=chair)
        return page.render(
            "ranking.html",
            cluster=cluster,
            refused=refused,
            ranked=[] if isinstance(standings, RankingRefused) else standings.data.ranked,
            years=view.years,
            base=base,
            suffix=f"?year={cluster.year}",
            documents=[(n, DOCUMENT_LABELS[n]) for n in DOCUMENT_NAMES]
            if view.actor.can_manage
            else [],
            unit_label=lambda code: unit_label(cluster, code, page._),
            number=lambda value: number(value, page.visitor.language),
        )

    async def _chart(self, page: Page, view: ClusterView) -> web.StreamResponse:
        from bot.outputs.ranking_files import ranking_chart  # matplotlib: on use

        standings = await visible_ranking(view.services, view.actor)
        if isinstance(standings, RankingRefused) or not standings.data.ranked:
            return _not_found(page)
        cluster = view.services.cluster_year.cluster
        body = ranking_chart(cluster, standings.data, page._, page.visitor.language)
        return secured(web.Response(body=body, content_type="image/png"))

    async def _workbook(self, page: Page, view: ClusterView) -> web.StreamResponse:
        from bot.outputs.ranking_files import ranking_workbook  # openpyxl: on use

        standings = await visible_ranking(view.services, view.actor)
        if isinstance(standings, RankingRefused) or not standings.data.ranked:
            return _not_found(page)
        cluster = view.services.cluster_year.cluster
        body = ranking_workbook(cluster, standings.data, page._)
        return _download(f"xep-hang-{cluster.year}.xlsx", body, XLSX)

    async def _document(self, page: Page, view: ClusterView) -> web.StreamResponse:
        if not view.actor.can_manage:  # the role of that year, as chat's /vanban asks
            return _not_found(page)
        services = view.services
        files = await make_document(
            services, view.actor, services.year.id, page.request.match_info["name"]
        )
        if isinstance(files, DocumentRefused):
            return message_page(
                page.visitor.language, page._("Not available"), page._(files.value), 404
            )
        wanted = page.request.query.get("as", "docx")
        chosen = next((f for f in files if f.name.endswith(f".{wanted}")), files[0])
        return _download(chosen.name, chosen.data, chosen.mime)

    # Uploads ---------------------------------------------------------------------------------

    async def _upload_choices(self, page: Page) -> web.StreamResponse:
        choices = await report_choices(page.services, page.visitor.actor)
        return page.render("upload_choices.html", choices=choices)

    def _upload_form(
        self, page: Page, code: str, notices: list[str], status: int = 200
    ) -> web.Response:
        deliverable = next(
            (d for d in page.services.cluster_year.plan.deliverables if d.code == code), None
        )
        form_key = secrets.token_hex(16)
        action = f"/web/upload/{code}?{CSRF_FIELD}={page.csrf}&form={form_key}"
        response = page.render(
            "upload.html",
            title=deliverable.title if deliverable else code,
            action=action,
            notices=notices,
        )
        response.set_status(status)
        return response

    async def _upload_page(self, page: Page) -> web.StreamResponse:
        code = page.request.match_info["code"]
        if not await _owes(page, code):
            return _not_found(page)
        return self._upload_form(page, code, [])

    async def _receive(
        self,
        page: Page,
        spools: contextlib.ExitStack,
        again: Callable[[list[str], int], web.Response],
    ) -> ReceivedForm | web.Response:
        """The posted form's files streamed to the file store under the upload bounds and the
        bound on uploads under way; or the form ``again`` with why it was not taken."""
        settings, _ = page.services.settings, page._
        try:
            link = f"web:{page.visitor.actor.officer_id}"
            left = functools.partial(client_left, page.request)
            spools.enter_context(await self._uploads.enter(link, left))
            async with asyncio.timeout(settings.upload_timeout_seconds):
                spool = functools.partial(upload_spool, page.services)
                return await receive_form(page.request, upload_bounds(settings), spools, spool)
        except UploadRefused as refused:
            answer = _closed(again([refused.text(_)], refused.status))
            if refused.retry_after is not None:
                answer.headers["Retry-After"] = str(refused.retry_after)
            return answer
        except (TimeoutError, ConnectionError):
            return _closed(again([_(TOO_SLOW)], 408))

    async def _upload(self, page: Page) -> web.StreamResponse:
        """The files are read as a stream under the upload bounds (the CSRF token was in the
        address, checked before the body)."""
        request, _ = page.request, page._
        code, form_key = request.match_info["code"], request.query.get("form", "")
        visitor = page.visitor
        if not _FORM_KEY.match(form_key) or not await _owes(page, code):
            return _closed(_not_found(page))  # its body is not read
        with contextlib.ExitStack() as spools:
            form = await self._receive(
                page, spools, lambda notes, status: self._upload_form(page, code, notes, status)
            )
            if isinstance(form, web.Response):
                return form
            result = await submit_from_page(
                page.services,
                visitor.actor,
                (visitor.channel, visitor.user_id),
                code,
                form.files,
                form.note,
                f"{visitor.user_id}:{form_key}",
            )
        if isinstance(result, Refusal):
            return _not_found(page)
        notices = [r.text(_) for r in result.refused]
        if isinstance(result, NothingAccepted):
            return self._upload_form(page, code, notices, 400)
        receipt = receipt_text(
            result.cluster, result.deliverable, result.submission, _, visitor.language
        )
        return page.render("received.html", notices=notices, receipt=receipt)

    # The filled score form --------------------------------------------------------------------

    def _score_form_form(self, page: Page, notices: list[str], status: int = 200) -> web.Response:
        action = f"/web/score-form?{CSRF_FIELD}={page.csrf}&form={secrets.token_hex(16)}"
        response = page.render("score_form_upload.html", action=action, notices=notices)
        response.set_status(status)
        return response

    async def _score_form_page(self, page: Page) -> web.StreamResponse:
        return self._score_form_form(page, [])

    async def _score_form(self, page: Page) -> web.StreamResponse:
        """The form streamed under the upload bounds, then read by the same use case as the
        form sent in chat; the answer and the confirmation come in the officer's chat."""
        request, _, visitor = page.request, page._, page.visitor
        form_key = request.query.get("form", "")
        if not _FORM_KEY.match(form_key):
            return _closed(_not_found(page))
        with contextlib.ExitStack() as spools:
            form = await self._receive(
                page, spools, lambda notes, status: self._score_form_form(page, notes, status)
            )
            if isinstance(form, web.Response):
                return form
            if not form.files:
                return self._score_form_form(page, [_("Please choose the form's file.")], 400)
            data = await asyncio.to_thread(form.files[0].path.read_bytes)
        chat = (visitor.channel, visitor.user_id)
        read = await take_form_from_page(page.services, visitor.actor, chat, data, form_key)
        if isinstance(read, ScoringClosed):
            chair = title_of(page.services.cluster_year.cluster, Leader.CHAIR, _)
            text = _(read.value).format(chair=chair)
            return message_page(visitor.language, _("Not available"), text, 403)
        if isinstance(read, FormRefused):
            return self._score_form_form(page, [read.text(_)], 400)
        done = _("The form is read. The total and the confirmation are in your chat.")
        return message_page(visitor.language, _("Score form received"), done, 200)


async def _owes(page: Page, code: str) -> bool:
    """The visitor's unit owes the report ``code`` (sent already or not)."""
    choices = await report_choices(page.services, page.visitor.actor)
    return code in {c.deliverable.code for c in choices}


def _closed(response: web.Response) -> web.Response:
    """The rest of a refused upload's body is not read: the connection is closed after."""
    response.force_close()
    return response


def _download(name: str, body: bytes, mime: str) -> web.StreamResponse:
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
    return secured(web.Response(body=body, content_type=mime, headers=headers))


def _not_found(page: Page) -> web.Response:
    """The same answer for what does not exist and what the visitor may not open."""
    _ = page._
    return message_page(
        page.visitor.language,
        _("Not found"),
        _("There is no such page, or it is not open to you."),
        404,
    )


def _refused(page: Page, refused: RemindRefused) -> web.Response:
    return message_page(page.visitor.language, page._("Not available"), page._(refused.value), 403)
