"""Group chats are shared rooms: conversations, menus and buttons belong to one person, and long
flows started in a group move to the person's private chat."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.access import Role
from bot.domain.messages import ChatKind
from bot.engine.dispatcher import Dispatcher
from bot.services.container import Services
from tests.memory_channel import MemoryChat

GROUP = "-1001"


async def _officer(dispatcher: Dispatcher, services: Services, user: str, unit: str) -> MemoryChat:
    now = services.clock.now()
    _id, code = await services.invitations.create(
        unit, Role.MEMBER, now, timedelta(days=7), created_by=None, actor="test"
    )
    private = MemoryChat(dispatcher, user, name=f"Cán bộ {unit}")
    await private.say(f"/batdau {code}")
    assert "Chào mừng" in private.text
    return MemoryChat(dispatcher, user, name=f"Cán bộ {unit}", chat_id=GROUP, kind=ChatKind.GROUP)


async def test_in_a_group_officer_b_cannot_press_or_confirm_officer_a_draft(
    dispatcher: Dispatcher, services: Services
) -> None:
    a = await _officer(dispatcher, services, "a", "MA")
    b = await _officer(dispatcher, services, "b", "DB")

    # A's conversation in the group: B's press of A's button does nothing, politely
    await a.say("/ngonngu")
    a_menu = a.last
    [english] = [o for o in a_menu[-1].options if "English" in o.label]
    await b._send(option_token=english.value)
    assert "câu hỏi dành cho người khác" in b.text
    assert await services.preferences.language("memory", "b") is None
    assert await services.preferences.language("memory", "a") is None
    # nor does typing the number of A's menu
    await b.say("2")
    assert await services.preferences.language("memory", "a") is None
    state = await services.conversations.get("memory", GROUP, "a")
    assert state is not None and state.flow == "lang"
    # A still answers A's own question
    await a._send(option_token=english.value)
    assert "English" in a.text
    assert await services.preferences.language("memory", "a") == "en"


async def test_a_report_started_in_a_group_moves_to_the_private_chat(
    dispatcher: Dispatcher, services: Services
) -> None:
    a = await _officer(dispatcher, services, "a", "MA")
    b = await _officer(dispatcher, services, "b", "DB")
    await a.say("/nopbaocao")
    group_notice, *private = a.last
    assert group_notice.chat_id is None and "nhắn riêng" in group_notice.text
    assert private and all(r.chat_id == "a" for r in private)
    assert await services.conversations.get("memory", GROUP, "a") is None
    draft = await services.conversations.get("memory", "a", "a")
    assert draft is not None and draft.flow == "report"
    # B, in the group, presses the buttons A was shown privately: nothing happens to A's draft
    for option in private[-1].options:
        await b._send(option_token=option.value)
        assert "không còn hiệu lực" in b.text
    await b.say("1")
    after = await services.conversations.get("memory", "a", "a")
    assert after is not None and after.step == "pick"
    # A, privately, carries on
    private_a = MemoryChat(dispatcher, "a", name="Cán bộ MA")
    private_a.last = private
    await private_a.choose("6 tháng")
    moved = await services.conversations.get("memory", "a", "a")
    assert moved is not None and moved.step == "files"


async def test_someone_the_bot_cannot_write_to_privately_gets_a_polite_answer(
    dispatcher: Dispatcher, services: Services
) -> None:
    a = await _officer(dispatcher, services, "a", "MA")
    await services.officers.set_reachable("memory", "a", False, services.clock.now())
    await a.say("/nopbaocao")
    assert len(a.last) == 1 and "bấm Bắt đầu" in a.text
    assert await services.conversations.get("memory", "a", "a") is None
