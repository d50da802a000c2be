"""A backup taken with ``cumthidua backup`` (its own process) while officers keep submitting
through upload links: the restored installation holds every submission acknowledged before the
backup began, with its files, and the bot starts on it; ``migrate --check`` reads it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from pathlib import Path

import httpx

from bot.clock import FixedClock
from bot.config import Settings
from bot.domain.access import Role
from bot.fakes.telegram_server import FakeTelegram
from bot.usecases.one_time_links import upload_url
from storage.backup import verify_backup
from tests.documents import pdf_bytes
from tests.harness import Harness
from tests.people import register

WORKERS = 3


async def cli(data: Path, *args: str) -> tuple[int, str]:
    env = os.environ | {"CUMTHIDUA_DATA_DIR": str(data), "CUMTHIDUA_LOG_LEVEL": "WARNING"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    return process.returncode or 0, output.decode()


async def test_backup_under_load_restores_every_acknowledged_submission(
    bot: Harness, telegram: FakeTelegram, tmp_path: Path
) -> None:
    app = bot.app
    assert app is not None and app.services is not None
    services = app.services
    member = telegram.user(8001, "Cán bộ Mường Ảng")
    await register(app, member, "MA", Role.MEMBER)
    officer = await services.officers.actor("telegram", "8001", bot.clock.now())
    assert officer is not None
    acknowledged: list[tuple[float, str, bytes]] = []  # (when the receipt came, note, file)
    stop = asyncio.Event()

    async def officer_keeps_submitting(worker: int) -> None:
        n = 0
        async with httpx.AsyncClient(timeout=30) as client:
            while not stop.is_set():
                n += 1
                note = f"tai-{worker}-{n}"
                content = pdf_bytes(1) + f"%{note}".encode()
                url = await upload_url(
                    services, officer.officer_id, "bc-6-thang", "telegram", "8001"
                )
                answer = await client.post(
                    url,
                    files={"files": (f"{note}.pdf", content, "application/pdf")},
                    data={"note": note},
                )
                assert answer.status_code == 200 and "BIÊN NHẬN" in answer.text
                acknowledged.append((time.monotonic(), note, content))

    load = [asyncio.create_task(officer_keeps_submitting(w)) for w in range(WORKERS)]
    try:
        while len(acknowledged) < 10:  # the load is under way before the backup starts
            await asyncio.sleep(0.01)
        archive = tmp_path / "backup.tar"
        began = time.monotonic()
        code, output = await cli(app.settings.data_dir, "backup", "--out", str(archive))
        assert code == 0, output
        assert "Đã ghi bản sao lưu" in output
        during = sum(1 for at, _n, _c in acknowledged if at > began)
    finally:
        stop.set()
        for task in load:
            with contextlib.suppress(asyncio.CancelledError):
                await task
    before = {note: content for at, note, content in acknowledged if at < began}
    assert during > 0, "nothing was submitted while the backup ran: not a test under load"
    await bot.stop()

    restored = tmp_path / "restored"
    code, output = await cli(restored, "restore", str(archive), "--data-dir", str(restored))
    assert code == 0, output
    code, output = await cli(restored, "migrate", "--check")
    assert code == 0 and "đã cập nhật" in output, output

    on_restored = Harness(app.settings.model_copy(update={"data_dir": restored}), bot.clock)
    started = await on_restored.start()  # the bot starts on the restored installation
    try:
        assert started.services is not None
        history = await started.services.submissions.history("bc-6-thang", "MA")
        kept = {s.note: started.services.files.read(s.files[0].sha256) for s in history}
        assert before.items() <= kept.items()
        assert await started.services.db.integrity_check() == "ok"
        answer = await member.ask("/toi")
        assert "Cán bộ Mường Ảng" in answer.text
    finally:
        await on_restored.stop()


async def test_the_running_bot_takes_the_nightly_backup_when_configured(
    settings: Settings, clock: FixedClock, tmp_path: Path
) -> None:
    folder = tmp_path / "nightly"
    harness = Harness(settings.model_copy(update={"backup_dir": folder}), clock)
    app = await harness.start()  # 09:00 in Hà Nội, past the backup hour: due at once
    try:
        async with asyncio.timeout(10):
            while not list(folder.glob("cumthidua-20220315-*.tar")):
                await asyncio.sleep(0.01)
        assert app.services is not None and app.services.operations is not None
        async with asyncio.timeout(10):  # the record follows the archive
            while (await app.services.operations.snapshot()).last_backup is None:
                await asyncio.sleep(0.01)
        [archive] = folder.glob("*.tar")
        work = tmp_path / "check"
        work.mkdir()
        verify_backup(archive, work)
    finally:
        await harness.stop()
