"""The offline demonstration: the real bot against the local fake Telegram server.

Scripted officers talk to the bot through real HTTP; the transcript is printed in Vietnamese.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from pydantic import SecretStr

from bot.app import BotApp
from bot.config import Settings
from bot.fakes.telegram_server import FakeTelegram, FakeTelegramUser, Sent

__all__ = ["run_demo"]


class Transcript:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def user(self, who: FakeTelegramUser, text: str) -> None:
        self._add(f"👤 {who.name}: {text}")

    def bot(self, sent: Sent) -> None:
        body = sent.text
        if sent.buttons:
            body += "\n" + "  ".join(f"[{label}]" for label, _data in sent.buttons)
        self._add("🤖 Bot: " + body.replace("\n", "\n         "))

    def _add(self, line: str) -> None:
        self.lines.append(line)
        print(line, flush=True)


async def _say(user: FakeTelegramUser, text: str, log: Transcript, answers: int = 1) -> Sent:
    log.user(user, text)
    user.send(text)
    return await _hear(user, log, answers)


async def _hear(user: FakeTelegramUser, log: Transcript, answers: int = 1) -> Sent:
    sent = None
    for _ in range(answers):
        sent = await user.next_message()
        log.bot(sent)
    assert sent is not None
    return sent


async def run_demo(settings: Settings) -> int:
    log = Transcript()
    with tempfile.TemporaryDirectory(prefix="cumthidua-demo-") as data:
        async with FakeTelegram() as server:
            demo_settings = settings.model_copy(
                update={
                    "data_dir": Path(data),
                    "telegram_token": SecretStr(server.token),
                    "telegram_base_url": server.base_url,
                    "telegram_file_url": server.file_url,
                    "telegram_poll_timeout": 1,
                    "web_port": 0,
                }
            )
            app = BotApp(demo_settings)
            await app.start()
            try:
                officer = server.user(1001, "Lò Văn Minh")
                print("— Bản trình diễn ngoại tuyến của bot Cụm thi đua —\n", flush=True)
                await _say(officer, "/batdau", log)
                await _say(officer, "/huongdan", log)
                menu = await _say(officer, "/ngonngu", log)
                log.user(officer, "[English]")
                officer.press(menu, "English")
                await _hear(officer, log)
                menu = await _say(officer, "/lang", log)
                log.user(officer, "1")
                officer.send("1")
                await _hear(officer, log)
                log.user(officer, "(nhãn dán / sticker)")
                officer.send_sticker()
                await _hear(officer, log)
                await _say(officer, "/lenhkhongco", log)
            finally:
                await app.stop()
    print("\n— Kết thúc bản trình diễn —", flush=True)
    return 0
