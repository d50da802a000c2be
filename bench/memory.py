"""Memory benchmark: the peak resident memory of the bot process holding 10,000 registered
officers while it answers them, against the fake Telegram server.

Prints the peak RSS and, last, ``ratio=<peak RSS / 100 MB target>`` (≤ 1 meets the target).

    .venv/bin/python bench/memory.py [--officers 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench._processes import children, status_kb
from bot.app import open_services
from bot.clock import SystemClock
from bot.config import BUNDLED_CLUSTER, Settings
from bot.fakes.telegram_server import FakeTelegram
from storage.timestamps import to_db

TARGET_MB = 100
ASKING = 300


async def _register(data: Path, officers: int) -> None:
    settings = Settings(_env_file=None, data_dir=data, cluster_dir=BUNDLED_CLUSTER)
    services = await open_services(settings, SystemClock())
    units = [u.code for u in services.cluster_year.cluster.members]
    now = to_db(datetime.now(UTC))
    async with services.db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO officers (id, name, unit_code, role, is_primary, created_at)"
            " VALUES (?, ?, ?, 'member', 0, ?)",
            [(n, f"Cán bộ {n}", units[n % len(units)], now) for n in range(1, officers + 1)],
        )
        await conn.executemany(
            "INSERT INTO identities (channel, user_id, chat_id, officer_id, linked_at)"
            " VALUES ('telegram', ?, ?, ?, ?)",
            [(str(700000 + n), str(700000 + n), n, now) for n in range(1, officers + 1)],
        )
    await services.db.close()


async def run(officers: int) -> None:
    async with FakeTelegram() as server:
        with tempfile.TemporaryDirectory() as folder:
            data = Path(folder)
            await _register(data, officers)
            env = os.environ | {
                "CUMTHIDUA_TELEGRAM_TOKEN": server.token,
                "CUMTHIDUA_TELEGRAM_BASE_URL": server.base_url,
                "CUMTHIDUA_TELEGRAM_FILE_URL": server.file_url,
                "CUMTHIDUA_TELEGRAM_POLL_TIMEOUT": "1",
                "CUMTHIDUA_DATA_DIR": str(data),
                "CUMTHIDUA_CLUSTER_DIR": str(BUNDLED_CLUSTER),
                "CUMTHIDUA_WEB_PORT": "0",
                "CUMTHIDUA_LOG_LEVEL": "WARNING",
            }
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", env=env
            )
            try:
                for n in range(ASKING):  # officers spread over the whole register write to it
                    server.user(700001 + n * (officers // ASKING), "x").send("/toi")
                await server.wait_sent(
                    lambda sent: sum(s.method == "sendMessage" for s in sent) >= ASKING, 120
                )
                peak = status_kb(process.pid, "VmHWM") / 1024
                checks = sum(status_kb(c, "VmRSS") for c in children(process.pid)) / 1024
            finally:
                process.terminate()
                await process.wait()
    print(f"officers={officers} answered={ASKING}")
    print(f"file_check_server_rss_mb={checks:.1f} (its own process, apart from the target)")
    print(f"peak_rss_mb={peak:.1f} target_mb={TARGET_MB}")
    print(f"ratio={peak / TARGET_MB:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=10000)
    asyncio.run(run(parser.parse_args().officers))


if __name__ == "__main__":
    main()
