"""An import on the command line reaches a running bot without a restart: every change to the
clusters counts up their generation, and the bot's "clusters" job reads them again when it
moved (within one reminder tick)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.domain.access import Role
from bot.fakes.telegram_server import FakeTelegram
from tests.harness import Harness
from tests.province_corpus import dien_bien_lines, text_pdf


async def test_a_running_bot_serves_a_province_import_without_a_restart(
    bot: Harness, telegram: FakeTelegram, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = bot.app
    assert app is not None and app.services is not None
    services = app.services
    before = [c.key for c in services.years.clusters()]
    monkeypatch.setenv("CUMTHIDUA_DATA_DIR", str(bot.settings.data_dir))
    decision = tmp_path / "qd.pdf"
    decision.write_bytes(text_pdf(dien_bien_lines()))
    argv = ["province", "import", str(decision), "--year", "2022"]
    assert await asyncio.to_thread(main, argv) == 0  # another process, in effect
    assert [c.key for c in services.years.clusters()] == before  # not read yet
    job = app.jobs._scheduler.get_job("clusters")
    assert job is not None
    await job.func()  # the job's next run
    keys = [c.key for c in services.years.clusters()]
    assert keys == [*before, "dien-bien-cum-thi-dua-so-1", "dien-bien-cum-thi-dua-so-2",
                    "dien-bien-khoi-cac-co-quan-tong-hop"]  # fmt: skip
    assert not await services.years.refresh()  # nothing changed since
    assert app.reminders is not None
    await app.reminders.tick()  # the new cluster-years, with no plan yet, remind of nothing
    year = services.years.for_unit("TG2")
    assert year is not None and year.data.cluster.name == "Cụm thi đua số 2"
    scoped = services.scoped(year.id)
    _id, code = await scoped.invitations.create(
        "TG2", Role.CHAIR, scoped.clock.now(), timedelta(days=7), created_by=None, actor="test"
    )
    officer = telegram.user(7001, "Lò Văn Páo")
    welcome = await officer.ask(f"/start {code}")
    assert "Chào mừng" in welcome.text and "Xã Tuần Giáo" in welcome.text
    for command in ("/hanchot", "/nopbaocao", "/huongdan"):  # no plan yet: answered all the same
        answer = await officer.ask(command)
        assert answer.text and "lỗi" not in answer.text.lower(), (command, answer.text)
