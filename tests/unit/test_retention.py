"""The retention job forgets what grows without end after the operator's time, in batches,
and never what the audit, a receipt or an open vote still needs."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.clock import FixedClock
from bot.domain.access import Role
from bot.domain.submissions import SubmissionFile
from bot.operations.retention import Retention, retention_periods
from bot.services.container import Services
from storage.conversations import ConversationState
from storage.database import Writes
from storage.retention import Prunable, prune
from storage.seen_updates import SeenUpdates
from storage.timestamps import to_db
from tests.clusters import join


async def _add(services: Services, key: str, at: datetime) -> None:
    writes = Writes()
    services.outbox.repo.add_into(writes, key, "telegram", "1", "{}", at, at)
    await services.outbox.repo.commit(writes)


async def _count(services: Services, table: str, where: str = "1") -> int:
    row = await services.db.fetchone(f"SELECT COUNT(*) FROM {table} WHERE {where}")
    assert row is not None
    return int(row[0])


async def test_old_settled_messages_go_in_batches_and_pending_ones_stay(
    services: Services,
) -> None:
    now = services.clock.now()
    long_ago = now - timedelta(days=200)
    for n in range(7):
        await _add(services, f"old:{n}", long_ago)
    await services.db.execute("UPDATE outbox SET status = 'sent', sent_at = ?", (to_db(long_ago),))
    await _add(services, "old:pending", long_ago)
    await _add(services, "new:sent", now)
    await services.db.execute(
        "UPDATE outbox SET status = 'sent', sent_at = ? WHERE key = 'new:sent'", (to_db(now),)
    )
    assert await prune(services.db, Prunable.OUTBOX, now - timedelta(days=90), batch=3) == 7
    keys = {r[0] for r in await services.db.fetchall("SELECT key FROM outbox")}
    assert keys == {"old:pending", "new:sent"}


async def test_one_pass_keeps_the_audit_the_receipts_and_what_is_still_alive(
    services: Services, clock: FixedClock
) -> None:
    officer = await join(services, "telegram", "2", "MA", Role.MEMBER)
    start = services.clock.now()
    sha = await services.files.put(b"%PDF-1.4 report", "application/pdf", start)
    await services.submissions.create(
        "d1",
        "bc-6-thang",
        "MA",
        officer,
        "telegram",
        start,
        start.date(),
        0,
        "",
        [SubmissionFile(sha, "bc.pdf", 15, "pdf", 1)],
    )
    seen = SeenUpdates(services.db)
    await seen.receive("zalo", "message:1", "{}", start)
    state = ConversationState("reports", "pick", {"version": 1})
    await services.conversations.save("zalo", "9", state, start, start + timedelta(hours=24), "9")
    await services.links.create("upload", "telegram", "2", start, timedelta(hours=24), officer)
    await services.options.issue("telegram", "2", [("Có", "yes")], start)
    audit_rows = await _count(services, "audit_log")
    clock.advance(timedelta(days=45))
    retention = Retention(services.db, clock, retention_periods(services.settings))
    pruned = await retention.prune()
    assert pruned[Prunable.SEEN_UPDATES] == 1 and pruned[Prunable.CONVERSATIONS] == 1
    assert pruned[Prunable.LINKS] == 1 and pruned[Prunable.OPTION_TOKENS] == 1
    assert await _count(services, "audit_log") == audit_rows
    assert await _count(services, "submissions") == 1
    assert services.files.read(sha) == b"%PDF-1.4 report"
    fresh = ConversationState("reports", "pick", {"version": 1})
    now = clock.now()
    await services.conversations.save("zalo", "8", fresh, now, now - timedelta(days=1), "8")
    assert (await retention.prune())[Prunable.CONVERSATIONS] == 0  # expired yesterday: offered back
