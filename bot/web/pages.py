"""The web pages a signed-in person reads: home, the plan with its deadlines, their calendar
(with a new feed address on demand) and, for the chair and administrators, the audit log; the
sign-in by the bot's one-time link, sign-out, the style sheet and the calendar feed itself."""

from __future__ import annotations

from aiohttp import web

from bot.domain.access import Access
from bot.domain.formatting import local_datetime
from bot.i18n import Translator, translator
from bot.services.container import Services
from bot.texts.plan import window_text
from bot.texts.roles import role_name, unit_label
from bot.usecases.audit_log import audit_rows
from bot.usecases.calendar_feed import (
    CalendarLink,
    Deadline,
    calendar_link,
    deadlines,
    feed,
    plan_deadlines,
)
from bot.usecases.web_signin import SigninProblem, sign_in, sign_out, signin_for
from bot.web.board_pages import BoardPages
from bot.web.ical import deadline_note, deadline_summary, feed_bytes
from bot.web.sessions import (
    SESSION_COOKIE,
    Page,
    PageGuard,
    html_page,
    message_page,
    refused_form,
    secured,
)
from bot.web.templating import STATIC_DIR, render
from bot.web.uploads import UploadGate

__all__ = ["WebPages"]

HOME = "/web/"
STYLE = STATIC_DIR / "style.css"


class WebPages:
    def __init__(self, services: Services, uploads: UploadGate) -> None:
        self._services = services
        self._guard = PageGuard(services)
        self._uploads = uploads
        """The bound on uploads under way, shared with the upload links."""

    def mount(self, app: web.Application) -> None:
        guard, router = self._guard, app.router
        router.add_get("/web", self._to_home)
        router.add_get("/web/signin/{token}", self._signin_page)
        router.add_post("/web/signin/{token}", self._signin)
        router.add_get(HOME, guard(Access.REGISTERED, self._home))
        router.add_get("/web/plan", guard(Access.REGISTERED, self._plan))
        router.add_get("/web/calendar", guard(Access.REGISTERED, self._calendar))
        router.add_post("/web/calendar", guard(Access.REGISTERED, self._new_calendar))
        router.add_get("/web/audit", guard(Access.MANAGER, self._audit))
        router.add_post("/web/signout", guard(Access.REGISTERED, self._signout))
        router.add_get("/web/style.css", self._style)
        router.add_get("/cal/{token}.ics", self._feed)
        BoardPages(guard, self._uploads).mount(app)

    # Signing in and out ----------------------------------------------------------------------

    async def _to_home(self, _request: web.Request) -> web.StreamResponse:
        raise web.HTTPSeeOther(HOME)

    def _problem(self, problem: SigninProblem) -> web.Response:
        language = self._services.settings.default_language
        _ = translator(language)
        texts = {
            SigninProblem.UNKNOWN: (_("This sign-in link is not valid."), 404),
            SigninProblem.EXPIRED: (_("This sign-in link has expired."), 410),
            SigninProblem.USED: (_("This sign-in link has already been used."), 410),
        }
        text, status = texts[problem]
        again = _("Send /web to the bot in chat to get a new one.")
        return message_page(language, _("Link not usable"), f"{text} {again}", status)

    async def _signin_page(self, request: web.Request) -> web.StreamResponse:
        """Who the link signs in, and a button: opening the link spends nothing, so a chat
        app's link preview cannot use it up."""
        found = await signin_for(self._services, request.match_info["token"])
        if isinstance(found, SigninProblem):
            return self._problem(found)
        return html_page(render("signin.html", found.language, name=found.actor.name))

    async def _signin(self, request: web.Request) -> web.StreamResponse:
        """The link's token is the proof (single use, minutes long): there is no session, so no
        CSRF token yet; a form posted from another site (which would sign the browser in as
        someone else) is refused by the browser's own word for where it came from."""
        if request.headers.get("Sec-Fetch-Site") == "cross-site":
            return refused_form(self._services.settings.default_language)
        session = await sign_in(self._services, request.match_info["token"])
        if isinstance(session, SigninProblem):
            return self._problem(session)
        response = web.Response(status=303, headers={"Location": HOME})
        self._guard.open(response, session)
        return secured(response)

    async def _signout(self, page: Page) -> web.StreamResponse:
        await sign_out(page.services, page.request.cookies[SESSION_COOKIE])
        _ = page._
        response = message_page(
            page.visitor.language,
            _("Signed out"),
            _("You have signed out. Send /web to the bot in chat to sign in again."),
            200,
        )
        return self._guard.close(response)

    # Pages -----------------------------------------------------------------------------------

    async def _home(self, page: Page) -> web.StreamResponse:
        actor, _ = page.visitor.actor, page._
        cluster = page.services.cluster_year.cluster
        return page.render(
            "home.html",
            name=actor.name,
            role=role_name(actor.role, cluster, _),
            unit=unit_label(cluster, actor.unit_code, _),
            cluster=cluster.name,
            year=page.services.year.year,
        )

    async def _plan(self, page: Page) -> web.StreamResponse:
        year, _ = page.services.cluster_year, page._
        tasks = [
            (task.number, task.title, task.responsible, window_text(task.window, _))
            for task in year.plan.tasks
        ]
        return page.render(
            "plan.html",
            title=year.plan.title,
            cluster=year.cluster.name,
            tasks=tasks,
            deliverables=_described(plan_deadlines(page.services), _),
        )

    async def _calendar(self, page: Page, new_url: str = "") -> web.StreamResponse:
        found = await deadlines(page.services, page.visitor.actor)
        return page.render(
            "calendar.html",
            cluster=page.services.cluster_year.cluster.name,
            deadlines=_described(found, page._),
            new_url=new_url,
        )

    async def _new_calendar(self, page: Page) -> web.StreamResponse:
        visitor = page.visitor
        link = await calendar_link(
            page.services, visitor.actor, visitor.channel, visitor.user_id, renew=True
        )
        assert isinstance(link, CalendarLink)
        return await self._calendar(page, link.url)

    async def _audit(self, page: Page) -> web.StreamResponse:
        rows = await audit_rows(page.services, page.visitor.actor)
        timezone = page.services.cluster_year.cluster.timezone
        return page.render(
            "audit.html",
            rows=rows,
            local_time=lambda moment: local_datetime(moment, timezone),
        )

    # Files -----------------------------------------------------------------------------------

    async def _style(self, _request: web.Request) -> web.StreamResponse:
        return secured(
            web.Response(body=STYLE.read_bytes(), content_type="text/css", charset="utf-8")
        )

    async def _feed(self, request: web.Request) -> web.StreamResponse:
        services = self._services
        found = await feed(services, request.match_info["token"])
        if found is None:
            _ = translator(services.settings.default_language)
            text = _("This calendar address is not valid. Send /lich to the bot for a new one.")
            return message_page(services.settings.default_language, _("Not found"), text, 404)
        response = web.Response(
            body=feed_bytes(found, services.clock.now()),
            content_type="text/calendar",
            charset="utf-8",
        )
        return secured(response)


def _described(found: tuple[Deadline, ...], _: Translator) -> list[tuple[Deadline, str, str]]:
    """(deadline, summary, note) for a table of deadlines."""
    return [(d, deadline_summary(d, _), deadline_note(d, _)) for d in found]
