"""Direct replies carry results (a welcome that confirms a join, a receipt): when the platform
fails one for a reason that may pass (429, 5xx, a dropped connection) it goes through the
durable outbox and still arrives, in order, once."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest

from bot.config import Settings
from bot.domain.access import Role
from bot.fakes.telegram_server import FakeTelegram, Fault
from bot.services.container import Services
from tests.harness import Harness
from tests.people import invite


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        web_port=0,
        telegram_timeout=0.5,
        send_chat_interval=0,
        send_backoff_seconds=0.01,
    )


async def settled(services: Services) -> None:
    """Wait until the outbox has no due row left (the last send may still await its mark)."""

    async def drained() -> None:
        while await services.outbox.repo.pending(services.clock.now()):
            await asyncio.sleep(0.02)

    await asyncio.wait_for(drained(), 20)


@pytest.mark.parametrize(
    "fault",
    [
        Fault("sendMessage", 502, "Bad Gateway"),
        Fault("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1),
        Fault("sendMessage", 200, "", drop=True),
    ],
    ids=["5xx", "429", "network"],
)
async def test_a_failed_direct_reply_reaches_the_user(
    bot: Harness, telegram: FakeTelegram, fault: Fault
) -> None:
    app = bot.app
    user = telegram.user(4100, "Cán bộ MA")
    code = await invite(app, "MA", Role.MEMBER)
    telegram.faults.append(Fault(**{**vars(fault), "chat_id": user.chat_id}))
    welcome = await user.ask(f"/start {code}", timeout=20)
    assert "Chào mừng" in welcome.text
    assert all(f.times == 0 for f in telegram.faults)  # the first try really failed
    await settled(app.services)
    statuses = await app.services.outbox.repo.statuses("journal:telegram:4100:")
    assert statuses == {"sent": 1}  # the welcome is a result: journaled, then sent from there
    assert Counter(s.text for s in telegram.sent)[welcome.text] == 1


async def test_deferred_replies_keep_their_order_and_their_buttons(
    bot: Harness, telegram: FakeTelegram
) -> None:
    app = bot.app
    user = telegram.user(4101, "Cán bộ MA")
    code = await invite(app, "MA", Role.MEMBER)
    assert "Chào mừng" in (await user.ask(f"/start {code}")).text
    telegram.faults.append(Fault("sendMessage", 500, "Internal Server Error", chat_id=4101))
    menu = await user.ask("/toi", timeout=20)
    assert menu.buttons, menu.text  # tokenised once: the button still works
    user.press(menu, "Liên kết")
    linked = await user.next_message(20)
    assert linked.text.startswith("Mã liên kết của anh/chị:"), linked.text
    await settled(app.services)
    deferred = await app.services.outbox.repo.statuses("reply:telegram:4101:")
    journaled = await app.services.outbox.repo.statuses("journal:telegram:4101:")
    assert (deferred, journaled) == ({"sent": 1}, {"sent": 2})  # welcome and code: settled
