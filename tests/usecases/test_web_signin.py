"""Signing in by the bot's one-time link, directly on the use case: single use, minutes long,
bound to the person who asked, sessions that end when idle or signed out, or once the chat
identity is no longer that officer's."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FixedClock
from bot.domain.access import Role
from bot.services.container import Services
from bot.usecases.web_signin import (
    SigninProblem,
    sign_in,
    sign_out,
    signin_for,
    signin_link,
    visitor,
)
from tests.clusters import join


async def _link_token(services: Services, user: str, unit: str, role: Role) -> str:
    await join(services, "memory", user, unit, role, name=f"Cán bộ {user}")
    actor = await services.officers.actor("memory", user, services.clock.now())
    assert actor is not None
    link = await signin_link(services, actor, "memory", user)
    assert link.valid_minutes == 10 and "/web/signin/" in link.url
    return link.url.rsplit("/", 1)[1]


async def test_a_link_signs_its_person_in_once(services: Services) -> None:
    token = await _link_token(services, "ma", "MA", Role.MEMBER)
    found = await signin_for(services, token)
    assert not isinstance(found, SigninProblem) and found.actor.name == "Cán bộ ma"
    assert await signin_for(services, token) == found  # looking spends nothing
    session = await sign_in(services, token)
    assert isinstance(session, str)
    person = await visitor(services, session)
    assert person is not None and person.actor.unit_code == "MA"
    assert person.actor.role is Role.MEMBER and person.language == "vi"
    assert await sign_in(services, token) is SigninProblem.USED
    assert await sign_in(services, token + "x") is SigninProblem.UNKNOWN
    assert [e.action for e in await services.audit.entries("web.")] == ["web.signed_in"]


async def test_a_link_expires_after_its_minutes(services: Services) -> None:
    clock = services.clock
    assert isinstance(clock, FixedClock)
    token = await _link_token(services, "db", "DB", Role.MEMBER)
    clock.advance(timedelta(minutes=10))
    assert await sign_in(services, token) is SigninProblem.EXPIRED


async def test_sessions_end_when_idle_or_signed_out(services: Services) -> None:
    clock = services.clock
    assert isinstance(clock, FixedClock)
    session = await sign_in(services, await _link_token(services, "tg", "TG", Role.CHAIR))
    assert isinstance(session, str)
    for _ in range(3):  # each visit resets the idle time
        clock.advance(timedelta(hours=7, minutes=59))
        person = await visitor(services, session)
        assert person is not None and person.actor.role is Role.CHAIR
    clock.advance(timedelta(hours=8))
    assert await visitor(services, session) is None
    assert await visitor(services, session) is None  # ended, not only late
    other = await sign_in(services, await _link_token(services, "ml", "ML", Role.MEMBER))
    assert isinstance(other, str)
    await sign_out(services, other)
    assert await visitor(services, other) is None


async def test_a_removed_officer_has_no_session(services: Services) -> None:
    session = await sign_in(services, await _link_token(services, "dbp", "DBP", Role.MEMBER))
    assert isinstance(session, str)
    person = await visitor(services, session)
    assert person is not None
    await services.officers.remove(person.actor.officer_id, "test", services.clock.now(), "x")
    assert await visitor(services, session) is None
