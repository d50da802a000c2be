"""The bundled demo cluster never lands in a real installation: a bot started with a token and
no cluster starts, logs how to import one and tells whoever writes to it (through the outbox);
once a cluster is imported on the command line, the next start serves it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from bot.clock import FixedClock
from bot.config import BUNDLED_CLUSTER, Settings
from bot.fakes.telegram_server import FakeTelegram
from bot.fakes.zalo_server import FakeZalo
from tests.harness import Harness

NOTICE = "Bot này chưa được thiết lập: chưa có cụm thi đua nào."


@pytest.fixture
async def empty(
    settings: Settings, telegram: FakeTelegram, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Harness]:
    monkeypatch.delenv("CUMTHIDUA_CLUSTER_DIR")
    monkeypatch.setenv("CUMTHIDUA_DATA_DIR", str(settings.data_dir))
    async with FakeZalo() as zalo:
        connected = Settings(
            _env_file=None,
            data_dir=settings.data_dir,
            web_port=0,
            telegram_token=SecretStr(telegram.token),
            telegram_base_url=telegram.base_url,
            telegram_file_url=telegram.file_url,
            telegram_poll_timeout=1,
            zalo_token=SecretStr(zalo.token),
            zalo_base_url=zalo.base_url,
            zalo_poll_timeout=1,
        )
        assert connected.cluster_dir is None
        harness = Harness(connected, clock)
        harness.zalo = zalo  # type: ignore[attr-defined]
        yield harness
        await harness.stop()


async def test_a_bot_without_a_cluster_says_how_to_import_one(
    empty: Harness, telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, "bot.app")
    app = await empty.start()
    assert app.services is None  # nothing of a cluster runs
    [warning] = [r.getMessage() for r in caplog.records if "without a cluster" in r.getMessage()]
    assert "cumthidua cluster import FOLDER" in warning
    officer = telegram.user(9101, "Quản trị viên")
    answer = await officer.ask("/batdau")
    assert answer.text.startswith(NOTICE) and "`cumthidua cluster import" in answer.text
    zalo: FakeZalo = empty.zalo  # type: ignore[attr-defined]
    user = zalo.user("z1", "Quản trị viên")
    await user.send("xin chào")
    assert (await user.next_message()).text.startswith(NOTICE)
    assert app._waiting_db is not None
    rows = await app._waiting_db.fetchall("SELECT key FROM outbox WHERE key LIKE 'no-cluster:%'")
    assert len(rows) == 2  # told through the outbox
    assert await app._waiting_db.fetchall("SELECT id FROM clusters") == []  # no demo cluster


async def test_a_cluster_imported_on_the_command_line_is_served_from_the_next_start(
    empty: Harness, telegram: FakeTelegram, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli.main import main

    await empty.start()
    await empty.stop()
    # every command but the import says how to import one
    assert await asyncio.to_thread(main, ["cluster", "list"]) == 2
    assert "cumthidua cluster import FOLDER" in capsys.readouterr().err
    assert await asyncio.to_thread(main, ["cluster", "import", str(BUNDLED_CLUSTER)]) == 0
    assert "Cụm thi đua vùng thấp" in capsys.readouterr().out
    app = await empty.start()
    assert app.services is not None
    answer = await telegram.user(9102, "Người lạ").ask("/batdau")
    assert answer.text.startswith("Xin chào!")
