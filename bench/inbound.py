"""Inbound benchmark: N officer messages through the full stack (python-telegram-bot adapter →
dispatcher → handler with SQLite writes → reply) against the fake Telegram server, beside two
bare echo bots on an identical server in the same run — python-telegram-bot's and aiogram 3's —
in three alternating rounds; then the Zalo channel, through long polling (one update per call)
and through the webhook, on the loopback and again with a round trip of ``--zalo-rtt-ms`` (the
network between an installation and Zalo's servers, which bounds polling: one update a trip).

Prints, per round and bot, updates/s and p50/p99 latency of sequential round trips; the Zalo
figures; and last the medians of the rounds: ``ratio=<ours / PTB echo>`` (target ≥ 0.7) and
``ratio_aiogram=<ours / aiogram echo>`` (target ≥ 0.6), in updates per second.

    .venv/bin/python bench/inbound.py [--messages 3000] [--chats 300] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
from aiogram import Bot
from aiogram import Dispatcher as AiogramDispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message
from pydantic import SecretStr
from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.app import BotApp, open_services
from bot.clock import SystemClock
from bot.config import BUNDLED_CLUSTER, Settings
from bot.domain.access import Role
from bot.domain.invitations import Claimant
from bot.fakes.base import FakeServer
from bot.fakes.demo_people import platform_settings
from bot.fakes.telegram_server import FakeTelegram, Sent
from bot.fakes.zalo_server import FakeZalo
from bot.logs import configure_logging

LATENCY_SAMPLES = 200
ZALO_SECRET = "bench-webhook-secret"
WEBHOOK_CONCURRENCY = 16
"""Deliveries the webhook benchmark keeps in flight (Zalo's servers post concurrently)."""

Result = tuple[float, list[float]]


def _replies_reached(server: FakeServer, count: int) -> Callable[[list[Sent]], bool]:
    """A predicate for ``wait_sent``: ``count`` more messages sent; it reads each new entry
    once (counting the whole list on every send would cost the benchmark itself n²)."""
    state = {"seen": len(server.sent), "replies": 0}

    def reached(sent: list[Sent]) -> bool:
        state["replies"] += sum(s.method == "sendMessage" for s in sent[state["seen"] :])
        state["seen"] = len(sent)
        return state["replies"] >= count

    return reached


async def _measure(server: FakeTelegram, messages: int, chats: int, text: str) -> Result:
    """Burst throughput, then sequential round-trip latencies."""
    users = [server.user(500000 + n, f"Cán bộ {n}") for n in range(chats)]
    reached = _replies_reached(server, messages)
    started = time.perf_counter()
    for n in range(messages):
        users[n % chats].send(text)
    await server.wait_sent(reached, timeout=600)
    throughput = messages / (time.perf_counter() - started)
    latencies = []
    for n in range(LATENCY_SAMPLES):
        user = users[n % chats]
        while not server.queue(user.chat_id).empty():
            server.queue(user.chat_id).get_nowait()
        sent_at = time.perf_counter()
        await user.ask(text, timeout=30)
        latencies.append((time.perf_counter() - sent_at) * 1000)
    return throughput, latencies


async def _register(settings: Settings, channel: str, chats: int, first_id: int) -> None:
    """``chats`` registered officers: every message reads roles and writes."""
    services = await open_services(settings, SystemClock())
    try:
        units = [u.code for u in services.cluster_year.cluster.members]
        for n in range(chats):
            _id, code = await services.invitations.create(
                units[n % len(units)],
                Role.MEMBER,
                services.clock.now(),
                timedelta(days=1),
                None,
                "bench",
            )
            user = str(first_id + n)
            await services.invitations.redeem(
                code, Claimant(channel, user, user, "x"), services.clock.now()
            )
    finally:
        await services.db.close()


async def _ours(messages: int, chats: int) -> Result:
    async with FakeTelegram() as server:
        with tempfile.TemporaryDirectory() as folder:
            settings = Settings(
                _env_file=None,
                data_dir=Path(folder),
                cluster_dir=BUNDLED_CLUSTER,
                web_port=0,
                **platform_settings(server),
            )
            await _register(settings, "telegram", chats, 500000)
            app = BotApp(settings)
            await app.start()
            try:
                return await _measure(server, messages, chats, "/toi")
            finally:
                await app.stop()


async def _ptb_echo(messages: int, chats: int) -> Result:
    async with FakeTelegram() as server:

        async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
            assert update.message is not None
            await update.message.reply_text(update.message.text or "")

        app = (
            Application.builder()
            .token(server.token)
            .base_url(server.base_url)
            .job_queue(None)
            .build()
        )
        app.add_handler(MessageHandler(filters.ALL, echo))
        await app.initialize()
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            return await _measure(server, messages, chats, "/toi")
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()


async def _aiogram_echo(messages: int, chats: int) -> Result:
    async with FakeTelegram() as server:
        bot = Bot(
            server.token, session=AiohttpSession(api=TelegramAPIServer.from_base(server.origin))
        )
        dispatcher = AiogramDispatcher()

        @dispatcher.message()
        async def echo(message: Message) -> None:
            await message.answer(message.text or "")

        polling = asyncio.create_task(
            dispatcher.start_polling(bot, polling_timeout=1, handle_signals=False)
        )
        try:
            return await _measure(server, messages, chats, "/toi")
        finally:
            await dispatcher.stop_polling()
            await polling
            await bot.session.close()


async def _zalo(messages: int, chats: int, webhook: bool, latency: float = 0.0) -> float:
    """Updates per second of the bot on Zalo: long polling, or deliveries to the webhook, with
    every answer of Zalo's API (and every delivery) ``latency`` seconds away."""
    async with FakeZalo() as server:
        server.latency = latency
        with tempfile.TemporaryDirectory() as folder:
            mode: dict[str, Any] = {}
            if webhook:
                mode = {"zalo_mode": "webhook", "zalo_webhook_secret": SecretStr(ZALO_SECRET)}
            settings = Settings(
                _env_file=None,
                data_dir=Path(folder),
                cluster_dir=BUNDLED_CLUSTER,
                web_port=0,
                **platform_settings(server),
                **mode,
            )
            await _register(settings, "zalo", chats, 700000)
            app = BotApp(settings)
            await app.start()
            try:
                users = [server.user(str(700000 + n), f"Cán bộ {n}") for n in range(chats)]
                updates = [
                    users[n % chats]._update("message.text.received", text="/toi")
                    for n in range(messages)
                ]
                reached = _replies_reached(server, messages)
                started = time.perf_counter()
                if webhook:
                    await _deliver(server.webhook_url, updates, latency)
                else:
                    for update in updates:
                        await server.push(update)
                await server.wait_sent(reached, timeout=600)
                return messages / (time.perf_counter() - started)
            finally:
                await app.stop()


async def _deliver(url: str, updates: list[dict[str, Any]], latency: float) -> None:
    """Post every update to the webhook, a few at a time, as Zalo's servers do (aiohttp: the
    stand-in for Zalo must cost the process little)."""
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for update in updates:
        queue.put_nowait(update)
    headers = {"X-Bot-Api-Secret-Token": ZALO_SECRET}
    async with aiohttp.ClientSession() as session:

        async def worker() -> None:
            while not queue.empty():
                update = queue.get_nowait()
                await asyncio.sleep(latency)  # the way from Zalo's servers
                async with session.post(url, json=update, headers=headers) as response:
                    response.raise_for_status()

        await asyncio.gather(*(worker() for _ in range(WEBHOOK_CONCURRENCY)))


def _report(name: str, throughput: float, latencies: list[float]) -> None:
    p50 = statistics.median(latencies)
    p99 = statistics.quantiles(latencies, n=100)[98]
    rate = f"updates_per_second={throughput:.0f}"
    print(f"  {name}: {rate} latency_ms_p50={p50:.1f} latency_ms_p99={p99:.1f}", flush=True)


Bench = Callable[[int, int], Awaitable[Result]]


async def run(messages: int, chats: int, rounds: int, rtt_ms: int) -> None:
    configure_logging("WARNING", [])
    bots: list[tuple[str, Bench]] = [
        ("echo_ptb", _ptb_echo),
        ("echo_aiogram", _aiogram_echo),
        ("ours", _ours),
    ]
    ratios: list[float] = []
    ratios_aiogram: list[float] = []
    polling: list[float] = []
    webhook: list[float] = []
    far: dict[str, list[float]] = {"polling": [], "webhook": []}
    zalo_messages = max(1, messages // 6)
    zalo_far = max(1, messages // 30)
    for number in range(1, rounds + 1):
        print(f"round {number}", flush=True)
        rates = {}
        for name, bench in bots if number % 2 else list(reversed(bots)):  # A B C, C B A, …
            rates[name], latencies = await bench(messages, chats)
            _report(name, rates[name], latencies)
        ratios.append(rates["ours"] / rates["echo_ptb"])
        ratios_aiogram.append(rates["ours"] / rates["echo_aiogram"])
        polling.append(await _zalo(zalo_messages, chats, webhook=False))
        webhook.append(await _zalo(zalo_messages, chats, webhook=True))
        print(f"  zalo_polling: updates_per_second={polling[-1]:.0f}", flush=True)
        print(f"  zalo_webhook: updates_per_second={webhook[-1]:.0f}", flush=True)
        for mode in far:
            far[mode].append(
                await _zalo(zalo_far, chats, webhook=mode == "webhook", latency=rtt_ms / 1000)
            )
            print(f"  zalo_{mode}_{rtt_ms}ms: updates_per_second={far[mode][-1]:.0f}", flush=True)
        print(f"  ratio={ratios[-1]:.3f} ratio_aiogram={ratios_aiogram[-1]:.3f}", flush=True)
    print(f"messages={messages} chats={chats} zalo_messages={zalo_messages} rounds={rounds}")
    print(f"zalo_polling_median={statistics.median(polling):.0f} updates/s (one per call)")
    print(f"zalo_webhook_median={statistics.median(webhook):.0f} updates/s")
    for mode, rates in far.items():
        print(f"zalo_{mode}_{rtt_ms}ms_median={statistics.median(rates):.0f} updates/s")
    print(f"ratio_aiogram={statistics.median(ratios_aiogram):.3f}")
    print(f"ratio={statistics.median(ratios):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--chats", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--zalo-rtt-ms", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(run(args.messages, args.chats, args.rounds, args.zalo_rtt_ms))


if __name__ == "__main__":
    main()
