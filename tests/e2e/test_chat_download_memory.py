"""Files sent in chat are downloaded before anything knows who sent them (a stranger's too), so
the bytes held at once are bounded (``CUMTHIDUA_CHAT_DOWNLOADS_MB``): 16 strangers forwarding a
19 MiB document at once keep the real bot process under its memory limit."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from bot.app import open_services
from bot.clock import SystemClock
from bot.config import Settings
from bot.fakes.telegram_server import FakeTelegram
from tests.e2e.test_upload_memory import (
    PEAK_LIMIT,
    _free_port,
    _peak_bytes,
    _spawn,
    _until_listening,
)

SENDERS = 16
FILE_BYTES = 19 << 20


async def test_strangers_forwarding_large_documents_keep_the_bot_under_its_memory_limit(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    services = await open_services(Settings(_env_file=None, data_dir=data), SystemClock())
    await services.db.close()
    document = b"%PDF-1.4\n" + os.urandom(FILE_BYTES - 9)
    port = _free_port()
    bot = await _spawn(telegram, data, port, {})
    try:
        await _until_listening(port, bot)
        for n in range(SENDERS):
            telegram.user(9100 + n, f"Người lạ {n}").send_document("tai-lieu.pdf", document)
        await telegram.wait_sent(lambda sent: len({s.chat_id for s in sent}) >= SENDERS, timeout=60)
        peak = _peak_bytes(bot.pid)
    finally:
        bot.send_signal(signal.SIGTERM)
        await bot.wait()
    print(f"bot peak RSS: {peak / 2**20:.0f} MiB")
    assert peak < PEAK_LIMIT, f"peak RSS {peak / 2**20:.0f} MiB"
