"""What the operator exports of a year, as typed lines: latest reports, pact, inspection."""

from __future__ import annotations

from datetime import date

from bot.domain.access import Role
from bot.domain.submissions import SubmissionFile
from bot.services.container import Services
from bot.usecases import exports
from tests.clusters import join


async def test_the_latest_version_of_each_report_and_its_bytes(services: Services) -> None:
    officer = await join(services, "telegram", "2", "MA", Role.MEMBER)
    now = services.clock.now()
    for n, body in enumerate((b"%PDF-1.4 first", b"%PDF-1.4 second")):
        sha = await services.files.put(body, "application/pdf", now)
        await services.submissions.create(
            f"d{n}",
            "bc-6-thang",
            "MA",
            officer,
            "telegram",
            now,
            date(2022, 6, 30),
            0,
            "",
            [SubmissionFile(sha, "bc.pdf", len(body), "pdf", 1)],
        )
    [latest] = await exports.latest_reports(services)
    assert (latest.deliverable, latest.unit_code, latest.version) == ("bc-6-thang", "MA", 2)
    assert exports.file_bytes(services, latest.files[0].sha256) == b"%PDF-1.4 second"


async def test_no_pact_and_no_round_give_nothing_to_write(services: Services) -> None:
    assert await exports.pact_lines(services) is None
    assert await exports.inspection_lines(services) is None
