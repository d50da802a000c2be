"""Fan-out benchmark: N reminders to distinct chats through the real sender and the real
python-telegram-bot stack, against the fake Bot API server enforcing Telegram's flood limits.

Prints the delivery time, the ideal time at the limit (N / 30 s), the 429s provoked, and last
``ratio=<delivery time / ideal time>``. Target: ratio ≤ 1.05 with zero 429s. ``--latency``
makes every answer of the fake server wait that long, as the round trip to Telegram does.

    .venv/bin/python bench/fanout.py [--messages 900] [--chats 300] [--latency 0.15]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bot.app import BotApp, open_services
from bot.clock import SystemClock
from bot.config import BUNDLED_CLUSTER, Settings
from bot.domain.messages import Reply
from bot.fakes.demo_people import platform_settings
from bot.fakes.telegram_server import FakeTelegram, FloodLimits
from bot.logs import configure_logging

RATE = 30.0


async def run(messages: int, chats: int, latency: float) -> float:
    configure_logging("WARNING", [])
    limits = FloodLimits()
    async with FakeTelegram(limits=limits) as server:
        server.latency = latency
        with tempfile.TemporaryDirectory() as folder:
            settings = Settings(
                _env_file=None,
                data_dir=Path(folder),
                cluster_dir=BUNDLED_CLUSTER,
                web_port=0,
                **platform_settings(server),
            )
            services = await open_services(settings, SystemClock())
            for n in range(messages):
                chat = str(100000 + n % chats)
                await services.outbox.enqueue(
                    f"bench:{n}", "telegram", chat, Reply(f"Nhắc hạn {n}")
                )
            await services.db.close()

            app = BotApp(settings)
            started = time.perf_counter()
            await app.start()
            await server.wait_sent(
                lambda sent: sum(s.method == "sendMessage" for s in sent) >= messages,
                timeout=messages / RATE * 3 + 30,
            )
            elapsed = time.perf_counter() - started
            await app.stop()
    ideal = messages / RATE
    ratio = elapsed / ideal
    print(f"messages={messages} chats={chats} latency_s={latency:g}")
    print(f"delivery_seconds={elapsed:.2f} ideal_seconds={ideal:.2f} (N / {RATE:g} per second)")
    print(f"flood_429s={limits.breaches}")
    print(f"ratio={ratio:.3f}")
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=900)
    parser.add_argument("--chats", type=int, default=300)
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    asyncio.run(run(args.messages, args.chats, args.latency))


if __name__ == "__main__":
    main()
