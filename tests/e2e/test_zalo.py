"""What only Zalo needs: webhook secret and duplicates, photos of paper pages, and documents
offered as one-time download links."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from bot.app import open_database
from bot.channels.zalo_client import ZaloApiError
from bot.clock import FixedClock
from bot.config import Settings
from bot.domain.access import Role
from bot.domain.invitations import Claimant
from bot.fakes.zalo_server import FakeZalo, FakeZaloUser
from storage.seen_updates import SeenUpdates
from tests.documents import docx_bytes
from tests.e2e.test_scenarios import join
from tests.harness import Harness
from tests.platforms import Platform

SECRET = "webhook-secret-123"


@pytest.fixture
async def zalo_webhook(
    tmp_path: Path, clock: FixedClock
) -> AsyncIterator[tuple[Harness, FakeZalo]]:
    async with FakeZalo() as server:
        settings = Settings(
            _env_file=None,
            data_dir=tmp_path / "data",
            web_port=0,
            zalo_token=SecretStr(server.token),
            zalo_base_url=server.base_url,
            zalo_mode="webhook",
            zalo_webhook_secret=SecretStr(SECRET),
        )
        harness = Harness(settings, clock)
        await harness.start()
        yield harness, server
        await harness.stop()


async def test_webhook_checks_the_secret_and_drops_duplicates(
    zalo_webhook: tuple[Harness, FakeZalo],
) -> None:
    harness, server = zalo_webhook
    assert server.webhook_url == f"{harness.app.services.web_url}/zalo/webhook"
    user = server.user("z9", "Người lạ")
    update = await user.send("/batdau")
    assert (await user.next_message()).text.startswith("Xin chào!")
    await server.push(update)  # the same delivery again
    async with httpx.AsyncClient() as client:
        missing = await client.post(server.webhook_url, json=update)
        wrong = await client.post(
            server.webhook_url, json=update, headers={"X-Bot-Api-Secret-Token": "wrong-secret"}
        )
    assert (missing.status_code, wrong.status_code) == (401, 403)
    assert server.webhook_answers == [200, 200]
    second = await user.ask("/huongdan")
    assert second.text.startswith("Các lệnh anh/chị dùng được:")  # not a second welcome
    assert sum(s.text.startswith("Xin chào!") for s in server.sent) == 1


def _jpeg() -> bytes:
    import cv2
    import numpy as np

    ok, encoded = cv2.imencode(".jpg", np.full((60, 80, 3), 200, dtype=np.uint8))
    assert ok
    return encoded.tobytes()


@pytest.fixture
async def zalo(settings: Settings, clock: FixedClock) -> AsyncIterator[Platform]:
    async with FakeZalo() as server:
        values = {
            "zalo_token": SecretStr(server.token),
            "zalo_base_url": server.base_url,
            "zalo_poll_timeout": 1,
        }
        harness = Harness(settings.model_copy(update=values), clock)
        await harness.start()
        yield Platform("zalo", harness, server)
        await harness.stop()


async def test_photos_of_paper_pages_and_download_links(zalo: Platform) -> None:
    server = zalo.server
    assert isinstance(server, FakeZalo)
    chair, member = zalo.person(1, "Trưởng Cụm"), zalo.person(2, "Cán bộ Mường Lay")
    await join(zalo, chair, "TG", Role.CHAIR)
    await join(zalo, member, "ML", Role.MEMBER)
    await chair.next()

    menu = await member.ask("/nopbaocao")
    assert "1. Báo cáo kết quả thi đua, khen thưởng 6 tháng đầu năm 2022" in menu.text
    assert menu.text.rstrip().endswith("Trả lời 1 hoặc 2.")
    prompt = await member.ask("1")
    assert "tải tệp lên tại trang sau" in prompt.text
    photo = _jpeg()
    await member.raw.send_image(photo)
    received = await member.next()
    assert received.text.startswith("Đã nhận anh-")
    summary = await member.ask("xong")
    receipt = await member.choose(summary, "Gửi Trưởng Cụm")
    assert receipt.text.startswith("BIÊN NHẬN") and ".jpg" in receipt.text
    await chair.next()

    units = await chair.ask("/xem")
    reports = await chair.choose(units, "Mường Lay")
    history = await chair.choose(reports, "6 tháng")
    assert "Lần 1:" in history.text and "1. Miễn nộp cho đơn vị" in history.text
    image = await chair.next()  # an image goes by URL from the bot's web server
    assert image.method == "sendPhoto" and image.file_data == photo

    menu = await member.ask("/nopbaocao")
    prompt = await member.choose(menu, "6 tháng")
    docx = docx_bytes("Bản 2")
    [receipt] = await member.send_files(prompt, [("bao-cao-v2.docx", docx)])
    assert "Lần nộp: 2" in receipt.text
    await chair.next()
    units = await chair.ask("/xem")
    history = await chair.choose(await chair.choose(units, "Mường Lay"), "6 tháng")
    offer = await chair.next()  # a document goes as a one-time download link
    [url] = re.findall(r"http://127\.0\.0\.1:\d+/d/[\w-]+", offer.text)
    assert offer.text.startswith("Lần 2: bao-cao-v2.docx")
    async with httpx.AsyncClient() as client:
        first = await client.get(url)
        second = await client.get(url)
    assert first.status_code == 200 and first.content == docx
    assert "bao-cao-v2.docx" in first.headers["Content-Disposition"]
    assert second.status_code == 410


async def test_a_chats_polled_updates_are_answered_in_their_order(zalo: Platform) -> None:
    """Polled updates are handled beside the next poll, but a chat's own one after another:
    "xong" sent before the photo is answered still comes after it."""
    chair, member = zalo.person(1, "Trưởng Cụm"), zalo.person(2, "Cán bộ Mường Lay")
    await join(zalo, chair, "TG", Role.CHAIR)
    await join(zalo, member, "ML", Role.MEMBER)
    await chair.next()
    await member.ask("/nopbaocao")
    await member.ask("1")
    await member.raw.send_image(_jpeg())  # downloaded and inspected: the slower of the two
    await member.raw.send("xong")
    assert (await member.next()).text.startswith("Đã nhận anh-")
    summary = await member.next()
    assert "anh-" in summary.text and "Gửi Trưởng Cụm" in summary.text


async def test_stickers_and_files_are_answered_politely(zalo: Platform) -> None:
    person = zalo.person(5, "Ai đó")
    assert isinstance(person.raw, FakeZaloUser)
    await person.raw.send_sticker()
    assert "nhãn dán" in (await person.next()).text
    await person.raw.send_unsupported()
    assert (await person.next()).text.startswith("Tôi chưa đọc được")


async def test_a_long_reply_is_split_at_2000_characters(zalo: Platform) -> None:
    chair = zalo.person(1, "Trưởng Cụm")
    await join(zalo, chair, "TG", Role.CHAIR)
    services = zalo.harness.app.services
    names = [f"Cán bộ số {n:02d} của đơn vị Mường Ảng" for n in range(40)]
    for n, name in enumerate(names):  # registered directly: 40 join notices would take 40 s
        _id, code = await services.invitations.create(
            "MA",
            Role.MEMBER,
            services.clock.now(),
            timedelta(days=1),
            created_by=None,
            actor="test",
        )
        who = Claimant("zalo", f"m{n}", f"m{n}", name)
        await services.invitations.redeem(code, who, services.clock.now())
    await chair.send("/canbo")
    parts = [await chair.next()]
    while not parts[-1].text.rstrip().endswith("Trả lời 1 hoặc 2."):
        parts.append(await chair.next())
    assert len(parts) >= 2 and all(len(p.text) <= 2000 for p in parts)
    assert parts[0].text.startswith("Cán bộ đầu mối của")
    whole = "\n".join(p.text for p in parts)
    assert all(name in whole for name in names)
    assert all(
        line.startswith("  ") or not line.startswith("Cán bộ số") for line in whole.splitlines()
    )


async def test_a_wrong_zalo_token_fails_at_start(settings: Settings, clock: FixedClock) -> None:
    async with FakeZalo() as server:
        values = {"zalo_token": SecretStr("7001:WRONG"), "zalo_base_url": server.base_url}
        harness = Harness(settings.model_copy(update=values), clock)
        with pytest.raises(ZaloApiError) as failure:
            await harness.start()
        assert failure.value.code == 401 and "WRONG" not in str(failure.value)
        await harness.stop()


async def test_a_webhook_delivery_replayed_after_a_restart_is_dropped(
    zalo_webhook: tuple[Harness, FakeZalo],
) -> None:
    harness, server = zalo_webhook
    user = server.user("z10", "Người lạ")
    update = await user.send("/batdau")
    assert (await user.next_message()).text.startswith("Xin chào!")
    await harness.restart()
    await server.push(update)  # Zalo delivers it again to the restarted bot
    second = await user.ask("/huongdan")
    assert second.text.startswith("Các lệnh anh/chị dùng được:")  # not a second welcome
    assert sum(s.text.startswith("Xin chào!") for s in server.sent) == 1


async def test_a_delivery_kept_when_the_bot_died_is_answered_at_the_next_start(
    zalo_webhook: tuple[Harness, FakeZalo],
) -> None:
    """A delivery is kept from its arrival until its event is committed: one the process
    died in the middle of (kept, not handled) is answered once the bot is back, once."""
    harness, server = zalo_webhook
    user = server.user("z11", "Người lạ")
    await harness.stop()
    update = user.text_update("/batdau")
    db = await open_database(harness.settings, harness.clock)
    kept = await SeenUpdates(db).receive(
        "zalo",
        f"message.text.received:{update['message']['message_id']}",
        json.dumps(update),
        harness.clock.now(),
    )
    await db.close()
    assert kept
    await harness.start()
    assert (await user.next_message()).text.startswith("Xin chào!")
    await server.push(update)  # Zalo's own repetition: already answered
    second = await user.ask("/huongdan")
    assert second.text.startswith("Các lệnh anh/chị dùng được:")
    assert sum(s.text.startswith("Xin chào!") for s in server.sent) == 1
