"""The provincial board's overview as a use case: every cluster's current year with what is
due, done and late; looking at one cluster; an announcement to the open clusters' chairs."""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain.access import Role
from bot.domain.messages import Reply
from bot.domain.submissions import SubmissionFile
from bot.i18n import Translator
from bot.services.container import Services
from bot.usecases import province_overview
from tests.clusters import add_highland, join


async def test_every_cluster_at_a_glance(services: Services) -> None:
    highland = await add_highland(services)
    officer = await join(services, "telegram", "2", "MA", Role.MEMBER)
    sha = await services.files.put(b"%PDF-1.4 report", "application/pdf", services.clock.now())
    await services.submissions.create(
        "d1",
        "bc-6-thang",
        "MA",
        officer,
        "telegram",
        services.clock.now(),
        date(2022, 6, 30),
        0,
        "",
        [SubmissionFile(sha, "bc.pdf", 15, "pdf", 1)],
    )
    after = date(2022, 7, 20)
    glances = {g.cluster.name: g for g in await province_overview.at_a_glance(services, after)}
    lowland = glances[services.cluster_year.cluster.name]
    high = glances[highland.cluster_year.cluster.name]
    assert lowland.is_open and lowland.done == 1
    assert (lowland.due, high.due, high.done) == (4, 3, 0)  # the members owe the report
    assert "Mường Ảng" not in lowland.late_units and "Mường Lay" in lowland.late_units
    assert set(high.late_units) == {u.name for u in highland.cluster_year.cluster.members}
    assert high.services.year.id == highland.year.id


async def test_looking_at_a_cluster_and_telling_every_chair(services: Services) -> None:
    highland = await add_highland(services)
    await join(services, "telegram", "1", "TG", Role.CHAIR)
    await join(highland, "zalo", "5", "MN", Role.CHAIR)
    board_id = await join(services, "telegram", "9", None, Role.PROVINCE)
    board = await services.officers.actor("telegram", "9", services.clock.now())
    assert board is not None and board.officer_id == board_id
    assert {c for _code, c in province_overview.open_chairs(services)} == {
        services.cluster_year.cluster.name,
        highland.cluster_year.cluster.name,
    }
    looking = await province_overview.look_at(services, board, highland.year.cluster_id)
    assert looking is not None and looking.cluster_name == highland.cluster_year.cluster.name
    assert await province_overview.look_at(services, board, 999) is None

    def build(_: Translator) -> Reply:
        return Reply("Họp giao ban")

    assert await province_overview.tell_chairs(services, board, build) == 2
    audited = await services.audit.entries("province.")
    assert [e.action for e in audited] == ["province.announced"]
    assert await services.outbox.repo.pending(services.clock.now() + timedelta(minutes=1)) == 2
