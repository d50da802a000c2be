"""A whole seed year on an injected clock: every reminder each unit and the chair receive,
checked against the policy date by date (weekends, Tết 2023, quiet hours, stop on submission,
the overdue cap, escalation to the chair)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import FixedClock
from bot.domain.access import Role
from bot.domain.invitations import Claimant
from bot.domain.submissions import SubmissionFile
from bot.services.container import Services
from bot.services.reminders import ReminderTicker

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CHAIR_CHAT = "9000"
UNIT_CHATS = {"MA": "9001", "DB": "9002", "ML": "9003", "DBP": "9004"}


def at(day: str, hour: int = 10) -> datetime:
    return datetime.strptime(day, "%d/%m/%Y").replace(hour=hour, tzinfo=TZ)


async def _join(services: Services, chat: str, unit: str, role: Role) -> int:
    _id, code = await services.invitations.create(
        unit, role, services.clock.now(), timedelta(days=7), created_by=None, actor="test"
    )
    joined = await services.invitations.redeem(
        code, Claimant("telegram", chat, chat, f"Cán bộ {unit}"), services.clock.now()
    )
    assert joined.officer_id is not None
    return joined.officer_id


async def _submit(
    services: Services, officer: int, unit: str, deliverable: str, when: datetime
) -> None:
    sha = await services.files.put(f"{unit}{deliverable}".encode(), "application/pdf", when)
    due = next(d.due for d in services.cluster_year.plan.deliverables if d.code == deliverable)
    await services.submissions.create(
        f"sim:{unit}:{deliverable}",
        deliverable,
        unit,
        officer,
        "telegram",
        when,
        due,
        max(0, (when.date() - due).days),
        "",
        [SubmissionFile(sha, "bc.pdf", 5, "pdf")],
    )


async def test_a_whole_year_of_reminders(services: Services, clock: FixedClock) -> None:
    clock.set(at("14/03/2022", 9))
    chair = await _join(services, CHAIR_CHAT, "TG", Role.CHAIR)
    officers = {u: await _join(services, chat, u, Role.MEMBER) for u, chat in UNIT_CHATS.items()}
    ticker = ReminderTicker(services, timedelta(hours=12))
    events = {
        at("01/06/2022"): lambda: _submit(
            services, officers["DBP"], "DBP", "bc-6-thang", clock.now()
        ),
        at("28/06/2022"): lambda: _submit(
            services, officers["MA"], "MA", "bc-6-thang", clock.now()
        ),
        at("05/07/2022"): lambda: _submit(
            services, officers["ML"], "ML", "bc-6-thang", clock.now()
        ),
        at("01/12/2022"): lambda: _submit(services, officers["DBP"], "DBP", "bc-nam", clock.now()),
        at("02/12/2022"): lambda: services.submissions.set_mark(
            "bc-nam", "DB", "excused", "sáp nhập", chair, clock.now()
        ),
        at("20/12/2022"): lambda: _submit(services, officers["MA"], "MA", "bc-nam", clock.now()),
        at("31/01/2023", 15): lambda: services.reminders.mark_task(7, "done", chair, clock.now()),
    }
    skipped_total = 0
    while clock.now() < at("15/05/2023"):
        clock.advance(timedelta(hours=1))
        for moment in [m for m in events if m <= clock.now()]:
            await events.pop(moment)()
        _enqueued, skipped = await ticker.tick()
        skipped_total += skipped

    rows = await services.db.fetchall(
        "SELECT key, chat_id, created_at FROM outbox WHERE key LIKE 'y_:remind:%' ORDER BY id"
    )  # keys carry their cluster-year: y<id>:remind:<planned>:<channel>:<chat>
    received: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        planned = row["key"].split(":", 2)[2].rsplit(":", 2)[0]
        local = datetime.fromisoformat(row["created_at"]).astimezone(TZ)
        assert 7 <= local.hour < 21, f"{planned} sent in the quiet hours at {local}"
        received[row["chat_id"]][planned].append(local.strftime("%d/%m/%Y %H:%M"))

    def sent(chat: str, prefix: str) -> list[tuple[str, str]]:
        return [
            (k.rsplit(":", 1)[1], v[0]) for k, v in received[chat].items() if k.startswith(prefix)
        ]

    assert all(len(times) == 1 for chat in received.values() for times in chat.values())

    # Mường Ảng sent the 6-month report on 28/6: only the rungs before that; the annual one early.
    assert sent(UNIT_CHATS["MA"], "bc-6-thang") == [
        ("before-7", "23/06/2022 08:00"),
        ("before-3", "27/06/2022 08:00"),
    ]
    assert sent(UNIT_CHATS["MA"], "bc-nam") == []
    # Điện Biên never sent it: four rungs, then three overdue (the cap); excused from the annual.
    assert sent(UNIT_CHATS["DB"], "bc-6-thang") == [
        ("before-7", "23/06/2022 08:00"),
        ("before-3", "27/06/2022 08:00"),
        ("before-1", "29/06/2022 08:00"),
        ("due", "30/06/2022 08:00"),
        ("overdue-1", "04/07/2022 08:00"),
        ("overdue-2", "06/07/2022 08:00"),
        ("overdue-3", "08/07/2022 08:00"),
    ]
    assert sent(UNIT_CHATS["DB"], "bc-nam") == []
    # Mường Lay sent late on 5/7; the annual report never: the New Year holiday moves overdue-1.
    assert [name for name, _ in sent(UNIT_CHATS["ML"], "bc-6-thang")] == [
        "before-7",
        "before-3",
        "before-1",
        "due",
        "overdue-1",
    ]
    assert sent(UNIT_CHATS["ML"], "bc-nam") == [
        ("before-7", "23/12/2022 08:00"),
        ("before-3", "28/12/2022 08:00"),
        ("due", "30/12/2022 08:00"),
        ("overdue-1", "04/01/2023 08:00"),
        ("overdue-2", "06/01/2023 08:00"),
        ("overdue-3", "10/01/2023 08:00"),
    ]
    assert received[UNIT_CHATS["DBP"]] == {}

    chair_got = received[CHAIR_CHAT]
    escalations = sorted((k, v[0]) for k, v in chair_got.items() if k.endswith(":escalate"))
    assert escalations == [
        ("bc-6-thang:DB:escalate", "04/07/2022 08:00"),
        ("bc-6-thang:ML:escalate", "04/07/2022 08:00"),
        ("bc-nam:ML:escalate", "04/01/2023 08:00"),
    ]
    # Tết 2023: the 7-day rung of task 7 (due 31/1) moves from Tue 24/1 to Thu 19/1; marked done
    # on the due day, it gets no overdue reminder, while task 8 (not marked) gets all three.
    assert sent(CHAIR_CHAT, "task-7:") == [
        ("before-7", "19/01/2023 08:00"),
        ("before-3", "27/01/2023 08:00"),
        ("before-1", "30/01/2023 08:00"),
        ("due", "31/01/2023 08:00"),
    ]
    assert [n for n, _ in sent(CHAIR_CHAT, "task-8:")] == [
        "before-7",
        "before-3",
        "before-1",
        "due",
        "overdue-1",
        "overdue-2",
        "overdue-3",
    ]
    # The recurring task 2 gets a monthly nudge: April to December (January–March were before
    # the clock started and were skipped as stale, never sent late).
    monthly = sent(CHAIR_CHAT, "task-2:")
    assert [d for _, d in monthly] == [
        f"{d}/2022 08:00"
        for d in ("01/04", "04/05", "01/06", "01/07", "01/08", "05/09", "03/10", "01/11", "01/12")
    ]
    digests = [k for k in chair_got if k.startswith("digest-")]
    assert len(digests) == 61 and all(
        chair_got[k][0].startswith(("0", "1", "2", "3")) for k in digests
    )
    assert skipped_total >= 14  # the digests and nudges before 14/3/2022
    assert all(
        UNIT_CHATS[u] not in {r["chat_id"] for r in rows if "escalate" in r["key"]}
        for u in UNIT_CHATS
    )
