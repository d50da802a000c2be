"""What every web page stands on: the session cookie, the person behind it (read again on each
request, as chat reads its sender), the access rule of the page, the CSRF token of each form and
the headers that keep pages private (never kept by a shared cache, never framed, no script but
the bot's own, no address leaked to another site)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.domain.access import Access
from bot.i18n import Translator, translator
from bot.services.container import Services
from bot.usecases.web_signin import Visitor, visitor
from bot.web.templating import render

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SECURITY_HEADERS",
    "SESSION_COOKIE",
    "Page",
    "PageGuard",
    "csrf_token",
    "html_page",
    "message_page",
    "refused_form",
    "secured",
]

SESSION_COOKIE = "cumthidua_session"
COOKIE_PATH = "/web"
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"
SECURITY_HEADERS = {
    "Cache-Control": "private, no-store",
    "Content-Security-Policy": (
        "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
        " frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def csrf_token(session: str) -> str:
    """The session's CSRF token: derived from the session's secret, so it is never stored and
    a form of one session is refused in another."""
    return hmac.new(session.encode(), b"csrf", hashlib.sha256).hexdigest()


def secured(response: web.StreamResponse) -> web.StreamResponse:
    response.headers.update(SECURITY_HEADERS)
    return response


def html_page(text: str, status: int = 200) -> web.Response:
    response = web.Response(text=text, status=status, content_type="text/html", charset="utf-8")
    secured(response)
    return response


def message_page(language: str, title: str, text: str, status: int) -> web.Response:
    """A polite page that says what is wrong and what to do."""
    return html_page(render("message.html", language, title=title, text=text), status)


def refused_form(language: str) -> web.Response:
    """403 for a form without the session's CSRF token (or posted from another site)."""
    _ = translator(language)
    return message_page(
        language,
        _("Form not accepted"),
        _(
            "This form has expired or did not come from this site, so nothing was changed. "
            "Please open the page again and send it from there."
        ),
        403,
    )


@dataclass(frozen=True, slots=True)
class Page:
    """What a page's handler is given: the services of the visitor's cluster-year, the visitor,
    their language's ``_`` and the session's CSRF token."""

    request: web.Request
    services: Services
    visitor: Visitor
    _: Translator
    csrf: str

    def render(self, template: str, **values: Any) -> web.Response:
        actor = self.visitor.actor
        values.update(
            visitor=self.visitor,
            csrf=self.csrf,
            csrf_field=CSRF_FIELD,
            can_manage=actor.can_manage,
            is_board=Access.PROVINCE.allows(actor),
            is_officer=Access.OFFICER.allows(actor) and actor.unit_code is not None,
            own_cluster=f"/web/c/{self.services.year.cluster_id}",
        )
        return html_page(render(template, self.visitor.language, **values))


PageHandler = Callable[[Page], Awaitable[web.StreamResponse]]
Route = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def _posted_token(request: web.Request, streamed: bool) -> str:
    if streamed:
        return request.query.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER, "")
    return str((await request.post()).get(CSRF_FIELD, ""))


class PageGuard:
    """Wraps each page's handler: no page without an open session, a POST without the session's
    CSRF token is refused (403), and the page's access rule is the chat's (``Access``)."""

    def __init__(self, services: Services) -> None:
        self._services = services

    def __call__(self, access: Access, handler: PageHandler, streamed: bool = False) -> Route:
        """``streamed``: the POST's body is the handler's to read (an upload, read as a stream
        under its bounds), so its CSRF token comes in the address's query (``?csrf=``) or the
        ``X-CSRF-Token`` header and is checked before a byte of the body is read."""

        async def route(request: web.Request) -> web.StreamResponse:
            services = self._services
            session = request.cookies.get(SESSION_COOKIE, "")
            person = await visitor(services, session) if session else None
            if person is None:
                return self.signed_out(services.settings.default_language)
            _ = translator(person.language)
            expected = csrf_token(session)
            if request.method == "POST":
                given = await _posted_token(request, streamed)
                if not hmac.compare_digest(given.encode(), expected.encode()):
                    return refused_form(person.language)
            if not access.allows(person.actor):
                return message_page(
                    person.language,
                    _("Not for your role"),
                    _(
                        "Your role does not open this page. If it should, please ask the "
                        "chair or an administrator."
                    ),
                    403,
                )
            scoped = services.scoped(person.year_id)
            return await handler(Page(request, scoped, person, _, expected))

        return route

    def signed_out(self, language: str) -> web.Response:
        """Asked to sign in again, the stale cookie removed."""
        _ = translator(language)
        response = message_page(
            language,
            _("Please sign in"),
            _(
                "You are not signed in, or your session has ended. Send /web to the bot in "
                "chat to get a new sign-in link."
            ),
            401,
        )
        return self.close(response)

    def close(self, response: web.Response) -> web.Response:
        """The browser forgets its session cookie."""
        response.del_cookie(SESSION_COOKIE, path=COOKIE_PATH)
        return response

    def open(self, response: web.StreamResponse, session: str) -> None:
        """Give the browser its session cookie (Secure when the pages are served over HTTPS)."""
        response.set_cookie(
            SESSION_COOKIE,
            session,
            path=COOKIE_PATH,
            httponly=True,
            samesite="Strict",
            secure=self._services.web_url.startswith("https://"),
        )
