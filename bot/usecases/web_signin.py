"""Signing in to the web pages by the bot: ``/web`` gives a registered person a one-time link
(valid minutes, bound to them); opening it opens a browser session that ends after an idle time
or on signing out. Every page asks :func:`visitor` who is behind the session, read again as chat
reads its sender (the chat identity must still be that officer's), with their role in the
cluster-year their commands act on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.domain.access import Actor
from bot.services.container import Services
from storage.web_access import Holder, SigninProblem, WebAccessRepository

__all__ = [
    "SigninLink",
    "SigninProblem",
    "Visitor",
    "person_of",
    "sign_in",
    "sign_out",
    "signin_for",
    "signin_link",
    "visitor",
]

SIGNIN_PATH = "/web/signin/"


@dataclass(frozen=True, slots=True)
class SigninLink:
    url: str
    valid_minutes: float


@dataclass(frozen=True, slots=True)
class Visitor:
    """A person on the web pages: the officer as chat sees them now, the cluster-year their
    commands act on and the language they chose in chat."""

    actor: Actor
    year_id: int
    language: str
    channel: str
    user_id: str
    """The chat identity that signed in."""


def _repository(services: Services) -> WebAccessRepository:
    return WebAccessRepository(services.db)


async def person_of(services: Services, holder: Holder) -> Visitor | None:
    """Who holds a link, a session or a calendar address now; None once the chat identity is
    no longer that officer's (removed, unlinked, moved)."""
    actor = await services.officers.actor(holder.channel, holder.user_id, services.clock.now())
    if actor is None or actor.officer_id != holder.officer_id:
        return None
    year = services.years.for_actor(actor)
    language = (
        await services.preferences.language(holder.channel, holder.user_id)
        or services.settings.default_language
    )
    return Visitor(
        actor.in_year(year.data.cluster.chair), year.id, language, holder.channel, holder.user_id
    )


async def signin_link(services: Services, actor: Actor, channel: str, user_id: str) -> SigninLink:
    """A one-time sign-in link for the person who asked in chat."""
    minutes = services.settings.web_signin_minutes
    holder = Holder(actor.officer_id, channel, user_id, services.clock.now())
    token = await _repository(services).create_signin(holder, timedelta(minutes=minutes))
    return SigninLink(f"{services.web_url}{SIGNIN_PATH}{token}", minutes)


async def signin_for(services: Services, token: str) -> Visitor | SigninProblem:
    """Whom a sign-in link would sign in (nothing is spent: a link preview may open it)."""
    holder = await _repository(services).signin(token, services.clock.now())
    if isinstance(holder, SigninProblem):
        return holder
    return await person_of(services, holder) or SigninProblem.UNKNOWN


async def sign_in(services: Services, token: str) -> str | SigninProblem:
    """Spend the link and open a session; returns the session's token (the cookie's value)."""
    found = await signin_for(services, token)
    if isinstance(found, SigninProblem):
        return found
    session = await _repository(services).open_session(token, services.clock.now())
    return session if session is not None else SigninProblem.USED


async def visitor(services: Services, session: str) -> Visitor | None:
    """The person behind an open session (its idle time reset), or None: no such session,
    idle too long, signed out, or no longer that officer."""
    idle = timedelta(hours=services.settings.web_session_idle_hours)
    holder = await _repository(services).session(session, services.clock.now(), idle)
    return await person_of(services, holder) if holder is not None else None


async def sign_out(services: Services, session: str) -> None:
    await _repository(services).end_session(session, services.clock.now())
