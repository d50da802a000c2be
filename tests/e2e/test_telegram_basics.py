"""The foundation end to end: Telegram → python-telegram-bot → core → SQLite and back, over HTTP."""

from __future__ import annotations

from bot.fakes.telegram_server import FakeTelegram
from tests.harness import Harness


async def test_start_gets_the_vietnamese_welcome(bot: Harness, telegram: FakeTelegram) -> None:
    officer = telegram.user(1001, "Lò Văn Minh")
    answer = await officer.ask("/batdau")
    assert answer.method == "sendMessage"
    assert "Xin chào! Tôi là trợ lý của Cụm thi đua vùng thấp" in answer.text
    assert "mã mời" in answer.text


async def test_command_menu_is_set_at_start_up(bot: Harness, telegram: FakeTelegram) -> None:
    names = [c["command"] for c in telegram.commands]
    assert names[0] == "batdau"
    assert {"huongdan", "huy", "ngonngu", "moi", "canbo"} <= set(names)
    assert all(name.isascii() and name.islower() for name in names)
    assert await bot.app.services.meta.get("telegram.username") == telegram.username


async def test_conversation_resumes_at_the_same_step_after_a_restart(
    bot: Harness, telegram: FakeTelegram
) -> None:
    officer = telegram.user(1002, "Quàng Thị Hoa")
    menu = await officer.ask("/ngonngu")
    assert menu.text == "Chọn ngôn ngữ:"
    assert [label for label, _ in menu.buttons] == ["1. Tiếng Việt", "2. English"]

    await bot.restart()

    answer = await officer.ask("2")
    assert answer.text == "From now on I will write to you in English."
    again = await officer.ask("/huy")
    assert again.text == "There is nothing to cancel."


async def test_pressing_a_button_after_a_restart_still_works(
    bot: Harness, telegram: FakeTelegram
) -> None:
    officer = telegram.user(1003, "Lường Văn Toán")
    menu = await officer.ask("/ngonngu")
    await bot.restart()
    officer.press(menu, "English")
    answer = await officer.next_message()
    assert answer.text == "From now on I will write to you in English."
    officer.press(menu, "Tiếng Việt")
    stale = await officer.next_message()
    assert stale.text == "That question has already been answered or closed."  # now in English


async def test_unknown_command_and_sticker_get_polite_answers(
    bot: Harness, telegram: FakeTelegram
) -> None:
    officer = telegram.user(1004, "Cà Văn Hùng")
    unknown = await officer.ask("/khongcolenhnay abc")
    assert unknown.text == "Tôi không biết lệnh này. Nhập /huongdan để xem danh sách lệnh."
    officer.send_sticker()
    sticker = await officer.next_message()
    assert "nhãn dán" in sticker.text
    still_alive = await officer.ask("/batdau")
    assert "Xin chào" in still_alive.text


async def test_a_forged_button_is_refused(bot: Harness, telegram: FakeTelegram) -> None:
    officer = telegram.user(1005, "Lò Thị Mai")
    other = telegram.user(1006, "Người khác")
    menu = await officer.ask("/ngonngu")
    other.press(menu, "English")  # another chat presses a token issued to the first
    refused = await other.next_message()
    assert (
        refused.text == "Lựa chọn này không còn hiệu lực. Anh/chị vui lòng dùng tin nhắn mới nhất."
    )
    assert await bot.app.services.preferences.language("telegram", "1006") is None
