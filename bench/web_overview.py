"""Web overview benchmark: the province overview page of 30 clusters × 8 units × 12 deliverables
(half the reports in; the bundled cluster the installation starts with is one row more), served
by the bot's web server over real HTTP to a signed-in board member, against a plain aiohttp page
of the same rows in the same run (formatted by f-strings: no database, template or session).

The data is built before the clock starts; each page is fetched a few times to warm up, then
timed. Prints the median and worst times of each, the page sizes, and last
``ratio=<ours / plain>`` (median over median). Target: the overview under 300 ms.

    .venv/bin/python bench/web_overview.py [--clusters 30] [--units 8] [--deliverables 12]
"""

from __future__ import annotations

import argparse
import asyncio
import html
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from aiohttp import web

from bot.app import open_services
from bot.clock import FixedClock
from bot.cluster_files import load_cluster_year
from bot.config import BUNDLED_CLUSTER, Settings
from bot.domain.access import Role
from bot.domain.cluster import ClusterYear, Deliverable, Unit, UnitKind
from bot.domain.invitations import Claimant
from bot.domain.submissions import SubmissionFile
from bot.logs import configure_logging
from bot.services.container import Services
from bot.usecases.province_overview import at_a_glance
from bot.usecases.web_signin import signin_link
from bot.web.server import WebServer

TIMED = 15
WARM = 3
LIMIT_MS = 300.0
NOW = date(2022, 9, 15)
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def cluster_year(bundled: ClusterYear, n: int, units: int, deliverables: int) -> ClusterYear:
    members = tuple(
        Unit(code=f"U{n:02d}X{k:02d}", name=f"Đơn vị {k} cụm {n}", kind=UnitKind.HUYEN)
        for k in range(units)
    )
    cluster = bundled.cluster.model_copy(
        update={"name": f"Cụm thi đua số {n}", "chair": members[0].code, "units": members}
    )
    task = bundled.plan.deliverables[0].task
    owed = tuple(
        Deliverable(
            code=f"bc-{k:02d}",
            title=f"Báo cáo chuyên đề {k}",
            task=task,
            due=date(2022, 1, 31) + timedelta(days=30 * k),
        )
        for k in range(deliverables)
    )
    plan = bundled.plan.model_copy(update={"deliverables": owed})
    return bundled.model_copy(update={"cluster": cluster, "plan": plan, "scoring": None})


async def build(services: Services, clusters: int, units: int, deliverables: int) -> str:
    """Import the clusters, half of the reports received; returns a board member's user id."""
    bundled = load_cluster_year(BUNDLED_CLUSTER)
    now = services.clock.now()
    sha = await services.files.put(b"%PDF-1.4 bench", "application/pdf", now)
    stored = [SubmissionFile(sha, "bc.pdf", 14, "pdf", 1)]
    for n in range(clusters):
        record, _created = await services.years.import_year(
            cluster_year(bundled, n, units, deliverables), "bench", "bench", now
        )
        year = services.scoped(record.id)
        _id, code = await year.invitations.create(
            year.cluster_year.cluster.chair, Role.CHAIR, now, timedelta(days=1), None, "bench"
        )
        joined = await year.invitations.redeem(
            code, Claimant("telegram", f"c{n}", f"c{n}", "Cán bộ"), now
        )
        assert joined.officer_id is not None
        for i, unit in enumerate(year.cluster_year.cluster.members):
            for k, d in enumerate(year.cluster_year.plan.deliverables):
                if (i + k) % 2:
                    continue
                await year.submissions.create(
                    f"bench:{n}:{unit.code}:{d.code}",
                    d.code,
                    unit.code,
                    joined.officer_id,
                    "telegram",
                    now,
                    d.due,
                    0,
                    "",
                    stored,
                )
    _id, code = await services.invitations.create(
        None, Role.PROVINCE, now, timedelta(days=1), None, "bench", province="Điện Biên"
    )
    await services.invitations.redeem(code, Claimant("telegram", "board", "board", "Ban"), now)
    return "board"


def plain_page(rows: list[tuple[str, int, str, int, int, str, str]]) -> str:
    """The same table as the overview, formatted directly."""
    body = "".join(
        f'<tr><td><a href="/c/{n}">{html.escape(name)}</a></td><td>{year}</td>'
        f"<td>{html.escape(chair)}</td><td>{done}/{due}</td><td>{html.escape(late)}</td>"
        f"<td>{html.escape(ranking)}</td></tr>\n"
        for n, (name, year, chair, done, due, late, ranking) in enumerate(rows)
    )
    return f"<!doctype html><html><body><table>{body}</table></body></html>"


async def timed(client: httpx.AsyncClient, url: str) -> tuple[list[float], int]:
    for _ in range(WARM):
        assert (await client.get(url)).status_code == 200
    times, size = [], 0
    for _ in range(TIMED):
        started = time.perf_counter()
        answer = await client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.text[:200]
        size = len(answer.content)
    return times, size


async def run(clusters: int, units: int, deliverables: int) -> float:
    configure_logging("WARNING", [])
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            _env_file=None, data_dir=Path(folder), web_port=0, cluster_dir=BUNDLED_CLUSTER
        )
        clock = FixedClock(datetime(NOW.year, NOW.month, NOW.day, 9, tzinfo=HANOI))
        services = await open_services(settings, clock)
        user = await build(services, clusters, units, deliverables)
        glances = await at_a_glance(services, NOW)
        rows = [
            (
                g.cluster.name,
                g.year.cluster.year,
                g.year.cluster.chair,
                g.done,
                g.due,
                ", ".join(g.late_units),
                "chưa công bố",
            )
            for g in glances
        ]
        server = WebServer(services)
        services.web_url = await server.start("127.0.0.1", 0)
        actor = await services.officers.actor("telegram", user, services.clock.now())
        assert actor is not None
        link = await signin_link(services, actor, "telegram", user)
        plain = web.Application()
        text = plain_page(rows)

        async def page(_request: web.Request) -> web.Response:
            return web.Response(text=plain_page(rows), content_type="text/html")

        plain.router.add_get("/", page)
        runner = web.AppRunner(plain, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        try:
            async with httpx.AsyncClient(base_url=services.web_url) as client:
                assert (await client.post(link.url)).status_code == 303
                ours, ours_size = await timed(client, "/web/overview")
            async with httpx.AsyncClient() as client:
                base, base_size = await timed(client, f"http://127.0.0.1:{port}/")
        finally:
            await runner.cleanup()
            await server.stop()
            await services.db.close()
    median, plain_median = statistics.median(ours), statistics.median(base)
    print(f"clusters={clusters} units={units} deliverables={deliverables} rows={len(rows)}")
    print(f"overview_ms median={median:.1f} worst={max(ours):.1f} bytes={ours_size}")
    print(f"plain_ms median={plain_median:.1f} worst={max(base):.1f} bytes={base_size}")
    print(f"limit_ms={LIMIT_MS:g} within={max(ours) < LIMIT_MS} (plain page {len(text)} chars)")
    ratio = median / plain_median
    print(f"ratio={ratio:.2f}")
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clusters", type=int, default=30)
    parser.add_argument("--units", type=int, default=8)
    parser.add_argument("--deliverables", type=int, default=12)
    args = parser.parse_args()
    asyncio.run(run(args.clusters, args.units, args.deliverables))


if __name__ == "__main__":
    main()
