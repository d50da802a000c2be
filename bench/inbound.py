"""Inbound benchmark: N officer messages through the full stack (python-telegram-bot adapter →
dispatcher → handler with SQLite writes → reply) against the fake Telegram server, beside a bare
python-telegram-bot echo bot on an identical server in the same run.

Prints updates/s of each, p50/p99 latency of sequential round trips, and last
``ratio=<ours / echo>`` (updates per second). Target ≥ 0.5.

    .venv/bin/python bench/inbound.py [--messages 3000] [--chats 300]
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

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.app import BotApp, open_services
from bot.clock import SystemClock
from bot.config import Settings
from bot.domain.access import Role
from bot.fakes.people import platform_settings
from bot.fakes.telegram_server import FakeTelegram, Sent
from bot.logs import configure_logging
from storage.invitations import Claimant

LATENCY_SAMPLES = 200


async def _measure(
    server: FakeTelegram, messages: int, chats: int, text: str
) -> tuple[float, list[float]]:
    """Burst throughput, then sequential round-trip latencies."""
    users = [server.user(500000 + n, f"Cán bộ {n}") for n in range(chats)]

    def replies(sent: list[Sent]) -> int:
        return sum(s.method == "sendMessage" for s in sent)

    before = replies(server.sent)
    started = time.perf_counter()
    for n in range(messages):
        users[n % chats].send(text)
    await server.wait_sent(lambda sent: replies(sent) >= before + messages, timeout=600)
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


async def _ours(messages: int, chats: int) -> tuple[float, list[float]]:
    async with FakeTelegram() as server:
        with tempfile.TemporaryDirectory() as folder:
            settings = Settings(
                _env_file=None, data_dir=Path(folder), web_port=0, **platform_settings(server)
            )
            services = await open_services(settings, SystemClock())
            units = [u.code for u in services.cluster_year.cluster.members]
            for n in range(chats):  # registered officers: every message reads roles and writes
                _id, code = await services.invitations.create(
                    units[n % len(units)],
                    Role.MEMBER,
                    services.clock.now(),
                    timedelta(days=1),
                    None,
                    "bench",
                )
                user = str(500000 + n)
                await services.invitations.redeem(
                    code, Claimant("telegram", user, user, "x"), services.clock.now()
                )
            await services.db.close()
            app = BotApp(settings)
            await app.start()
            try:
                return await _measure(server, messages, chats, "/toi")
            finally:
                await app.stop()


async def _echo(messages: int, chats: int) -> tuple[float, list[float]]:
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


def _report(name: str, throughput: float, latencies: list[float]) -> None:
    p50 = statistics.median(latencies)
    p99 = statistics.quantiles(latencies, n=100)[98]
    rate = f"updates_per_second={throughput:.0f}"
    print(f"{name}: {rate} latency_ms_p50={p50:.1f} latency_ms_p99={p99:.1f}")


async def run(messages: int, chats: int) -> None:
    configure_logging("WARNING", [])
    runs: list[tuple[str, Callable[[int, int], Awaitable[tuple[float, list[float]]]]]] = [
        ("echo", _echo),
        ("ours", _ours),
    ]
    results = {}
    for name, bench in runs:
        results[name] = await bench(messages, chats)
        _report(name, *results[name])
    print(f"messages={messages} chats={chats}")
    print(f"ratio={results['ours'][0] / results['echo'][0]:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--chats", type=int, default=300)
    args = parser.parse_args()
    asyncio.run(run(args.messages, args.chats))


if __name__ == "__main__":
    main()
