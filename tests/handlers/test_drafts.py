"""The conversation engine: drafts are offered back, never lost; /huy always works."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FixedClock
from bot.engine.dispatcher import Dispatcher
from bot.services.container import Services
from tests.memory_channel import MemoryChat


async def test_a_command_during_a_draft_offers_to_continue_it(dispatcher: Dispatcher) -> None:
    chat = MemoryChat(dispatcher, "u1")
    await chat.say("/ngonngu")
    await chat.say("/lenhkhac")
    assert "Tôi không biết lệnh này" in chat.text  # unknown commands are answered first
    await chat.say("/ngonngu")
    assert "đang làm dở" in chat.text
    await chat.choose("Làm tiếp")
    assert chat.text == "Chọn ngôn ngữ:"
    await chat.choose("English")
    assert chat.text == "From now on I will write to you in English."


async def test_discarding_a_draft_runs_the_command_that_was_asked(dispatcher: Dispatcher) -> None:
    chat = MemoryChat(dispatcher, "u2")
    await chat.say("/ngonngu")
    await chat.say("/lang")
    await chat.choose("Bỏ bản nháp")
    assert chat.text == "Đã bỏ bản nháp.\nChọn ngôn ngữ:"


async def test_an_expired_draft_is_offered_back_not_lost(
    dispatcher: Dispatcher, services: Services, clock: FixedClock
) -> None:
    chat = MemoryChat(dispatcher, "u3")
    await chat.say("/ngonngu")
    clock.advance(timedelta(hours=30))
    await chat.say("xin chào")
    assert "việc chọn ngôn ngữ đang làm dở (sửa lần cuối lúc 09:00 15/3/2022)" in chat.text
    await chat.choose("Làm tiếp")
    await chat.say("English")
    assert chat.text == "From now on I will write to you in English."
    assert await services.preferences.language("memory", "u3") == "en"


async def test_cancel_always_works_and_keeps_nothing(
    dispatcher: Dispatcher, services: Services
) -> None:
    chat = MemoryChat(dispatcher, "u4")
    await chat.say("/ngonngu")
    await chat.say("/huy")
    assert chat.text == "Đã hủy. Bản nháp đó không được lưu."
    assert await services.conversations.get("memory", "u4") is None
    await chat.say("/cancel")
    assert chat.text == "Không có việc gì đang làm dở để hủy."


async def test_wrong_answer_keeps_the_step(dispatcher: Dispatcher, services: Services) -> None:
    chat = MemoryChat(dispatcher, "u5")
    await chat.say("/ngonngu")
    await chat.say("tiếng Pháp")
    assert "Tôi chưa hiểu" not in chat.text
    state = await services.conversations.get("memory", "u5")
    assert state is not None and (state.flow, state.step) == ("lang", "choose")


async def test_help_lists_commands_for_everyone(dispatcher: Dispatcher) -> None:
    chat = MemoryChat(dispatcher, "u6")
    await chat.say("/huongdan")
    assert "/batdau — bắt đầu, hoặc tham gia bằng mã mời" in chat.text
    assert "/ngonngu — chọn tiếng Việt hoặc tiếng Anh" in chat.text
