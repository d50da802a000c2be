"""Monitoring: ``/metrics`` after a scripted conversation, the Zalo quota warning, and the
operator's page in chat."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from bot.clock import FixedClock
from bot.config import Settings
from bot.domain.access import Role
from bot.fakes.demo_people import person_on
from bot.fakes.telegram_server import FakeTelegram
from bot.fakes.zalo_server import FakeZalo
from bot.operations.backups import take_backup
from bot.usecases.one_time_links import upload_url
from tests.documents import pdf_bytes
from tests.harness import Harness
from tests.people import invite, register
from tests.platforms import platform_settings

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


async def scrape(app_port: int) -> tuple[str, Samples]:
    async with httpx.AsyncClient() as client:
        response = await client.get(f"http://127.0.0.1:{app_port}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    samples: Samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return response.text, samples


async def test_metrics_after_a_scripted_conversation(bot: Harness, telegram: FakeTelegram) -> None:
    app = bot.app
    assert app is not None and app.services is not None and app.web is not None
    chair = telegram.user(9000, "Trưởng Cụm")
    member = telegram.user(9001, "Cán bộ Mường Ảng")
    other = telegram.user(9002, "Cán bộ Điện Biên")
    await register(app, chair, "TG", Role.CHAIR)  # update 1
    await register(app, member, "MA", Role.MEMBER)  # update 2; the chair is told (outbox)
    await chair.next_message()
    await register(app, other, "DB", Role.MEMBER)  # update 3; the chair is told again
    await chair.next_message()
    await member.ask("/toi")  # update 4
    await member.ask("/huongdan")  # update 5
    other.block()  # update 6: no reply; the chair is told through the outbox
    await chair.next_message()
    officer = await app.services.officers.actor("telegram", "9001", bot.clock.now())
    assert officer is not None
    url = await upload_url(app.services, officer.officer_id, "bc-6-thang", "telegram", "9001")
    await upload_url(app.services, officer.officer_id, "bc-6-thang", "telegram", "9001")
    async with httpx.AsyncClient() as client:
        done = await client.post(url, files={"files": ("bc.pdf", pdf_bytes(1), "application/pdf")})
    assert done.status_code == 200
    await member.next_message()  # the receipt, through the outbox
    await chair.next_message()  # the chair's notice of the submission

    async with asyncio.timeout(10):  # the last row's "sent" mark follows its arrival
        while await app.services.outbox.repo.pending(bot.clock.now()):
            await asyncio.sleep(0.01)
    text, samples = await scrape(app.web.port)
    telegram_ = (("channel", "telegram"),)
    assert samples[("cumthidua_updates_total", telegram_)] == 6
    assert samples[("cumthidua_replies_total", telegram_)] == 5  # the block has no answer
    assert samples[("cumthidua_sends_total", telegram_)] == 5  # 2 joins, block, receipt, notice
    assert samples[("cumthidua_sends_failed_total", telegram_)] == 0
    assert samples[("cumthidua_sender_up", telegram_)] == 1
    assert samples[("cumthidua_outbox_pending", ())] == 0
    assert samples[("cumthidua_outbox_oldest_pending_seconds", ())] == 0
    assert samples[("cumthidua_officers_unreachable", ())] == 1
    assert samples[("cumthidua_links_issued_total", (("kind", "upload"),))] == 2
    assert samples[("cumthidua_links_used_total", (("kind", "upload"),))] == 1
    enqueued = await app.services.db.fetchone(
        "SELECT COUNT(*) FROM reminder_log WHERE status = 'enqueued'"
    )
    assert samples[("cumthidua_reminders_enqueued_total", ())] == enqueued[0]
    assert samples[("cumthidua_handler_errors_total", telegram_)] == 0
    assert "Mường Ảng" not in text and "9001" not in text  # no person, no chat


@pytest.fixture
async def zalo_bot(tmp_path: Path, clock: FixedClock) -> AsyncIterator[tuple[Harness, FakeZalo]]:
    async with FakeZalo() as server:
        values = platform_settings(server)
        values["zalo_token"] = SecretStr(values["zalo_token"])
        settings = Settings(
            _env_file=None,
            data_dir=tmp_path / "data",
            web_port=0,
            zalo_monthly_quota=6,
            zalo_quota_warn_share=0.5,
            **values,
        )
        harness = Harness(settings, clock)
        await harness.start()
        yield harness, server
        await harness.stop()


async def test_the_zalo_quota_warns_the_administrators_once_a_month(
    zalo_bot: tuple[Harness, FakeZalo],
) -> None:
    harness, zalo = zalo_bot
    app = harness.app
    assert app is not None and app.web is not None
    admin = person_on(zalo, 1, "Quản trị")
    member = person_on(zalo, 2, "Cán bộ Mường Ảng")
    assert "Chào mừng" in (await admin.ask(f"/batdau {await invite(app, None, Role.ADMIN)}")).text
    assert "Chào mừng" in (await member.ask(f"/batdau {await invite(app, 'MA', Role.MEMBER)}")).text
    told = [(await admin.next()).text, (await admin.next()).text]  # the join, then the warning
    warning = (
        "Hạn mức Zalo: bot đã gửi 3 trên 6 tin mỗi tháng mà gói cho phép (2022-03). Quá hạn mức,"
        " Zalo có thể từ chối gửi tin: nên cân nhắc gói trả phí, hoặc đề nghị cán bộ dùng Telegram."
    )
    assert told[1] == warning, told
    for _ in range(3):
        await member.ask("/toi")
    _text, samples = await scrape(app.web.port)
    sent = len([s for s in zalo.sent if s.method in ("sendMessage", "sendPhoto")])
    assert samples[("cumthidua_zalo_messages_month", (("bot", "7001"),))] == sent == 7
    assert samples[("cumthidua_zalo_monthly_quota", ())] == 6
    assert [s.text for s in zalo.sent].count(warning) == 1  # once, though past the share again
    assert "ZALO-TEST-SECRET" not in _text


async def test_the_operators_page_is_for_administrators(
    bot: Harness, telegram: FakeTelegram
) -> None:
    app = bot.app
    assert app is not None and app.services is not None
    admin = telegram.user(9100, "Quản trị")
    chair = telegram.user(9101, "Trưởng Cụm")
    await register(app, admin, None, Role.ADMIN)
    await register(app, chair, "TG", Role.CHAIR)
    await admin.next_message()  # told that the chair joined
    refused = await chair.ask("/vanhanh")
    assert refused.text == "Trang này dành cho quản trị viên của hệ thống."
    page = (await admin.ask("/vanhanh")).text
    assert page.startswith("Vận hành — cumthidua ")
    assert "Sao lưu gần nhất: chưa có." in page
    assert "Hàng đợi gửi: 0 đang chờ (lâu nhất 0 giây), 0 hẹn giờ, 0 thất bại" in page
    assert "Bộ gửi telegram: đang chạy (khởi động lại 0 lần)" in page
    assert "Cán bộ không liên lạc được: không có" in page
    await take_backup(app.settings, app.settings.data_dir.parent / "b.tar", bot.clock.now())
    page = (await admin.ask("/vanhanh")).text
    assert "Sao lưu gần nhất: 09:00 15/3/2022, " in page and ", 0 tệp lưu trữ" in page, page
