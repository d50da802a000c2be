"""The year's fair rules, from what the demo let through: the chair's own self-score reviewed by
nobody (the chair then proposed on it), the scores locked on 15/12 before the annual report with
the self-score was due on 31/12, the year closed with reports missing and an "official" ranking
with no warning, the chair's inspection answer sent to the chair, a self-declared +10 bonus on
no sheet or document; and an overdue notice only to those who really owe something."""

from __future__ import annotations

import io
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.clock import FixedClock
from bot.cluster_files import ClusterDataError, load_cluster_year
from bot.config import BUNDLED_CLUSTER
from bot.delivery.outbox_keys import explanation_key, score_sent_key
from bot.domain.access import Actor, Role
from bot.domain.cluster import ClusterYear, Deliverable
from bot.domain.fair_rule_checks import award_deliverables, lock_opens
from bot.domain.fair_rules import ChairReviewer, FairRules
from bot.domain.invitations import Claimant
from bot.domain.pairing import Pair
from bot.domain.score_sheet import SheetEntries
from bot.domain.submissions import SubmissionFile
from bot.i18n import translator
from bot.outputs import ranking_files
from bot.outputs.docx_render import render_document
from bot.outputs.official_documents import draft
from bot.outputs.ranking_files import ranking_chart, ranking_workbook
from bot.outputs.ranking_text import ranking_text, ranking_title
from bot.services.container import Services
from bot.services.reminders import ReminderTicker
from bot.usecases import cross_inspection, handover, ranking, score_lock, score_review, self_scoring
from bot.usecases.score_lock import LockRefused, TooEarly
from bot.usecases.score_review import Reviewed, ReviewRefused
from tests.clusters import join
from tests.unit.test_document_drafts import docx_text
from tests.usecases.officers import unit_actors

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ANNUAL = "Báo cáo kết quả thi đua năm 2022 kèm bảng tự chấm điểm"
GROUNDS = "Quyết định số 1234/QĐ-UBND ngày 20/11/2022 của UBND tỉnh"
vi = translator("vi")


async def _year(services: Services, **cluster: object) -> Services:
    """The bundled year with these cluster fields changed (a deputy, other rules)."""
    year = services.cluster_year
    changed = year.model_copy(update={"cluster": year.cluster.model_copy(update=cluster)})
    data = ClusterYear.model_validate(changed.model_dump())
    record, _created = await services.years.import_year(data, "tests", "test", services.clock.now())
    return services.scoped(record.id)


def _full(services: Services, bonus: bool = False) -> SheetEntries:
    table = services.cluster_year.scoring
    assert table is not None
    entries = SheetEntries()
    for criterion in table.criteria():
        entries = entries.scored(criterion.code, 1.0, criterion.max)
    if bonus:
        entries = entries.with_bonus("B.1", True).with_bonus_reason("B.1", GROUNDS)
    return entries


async def _score(services: Services, people: dict[str, Actor], *units: str) -> None:
    for unit in units:
        sent = await self_scoring.send(services, people[unit], _full(services))
        assert isinstance(sent, self_scoring.Sent)


async def _submit(services: Services, officer: Actor, deliverable: str) -> None:
    now = services.clock.now()
    unit = officer.unit_code
    assert unit is not None
    sha = await services.files.put(f"{unit}{deliverable}".encode(), "application/pdf", now)
    due = next(d.due for d in services.cluster_year.plan.deliverables if d.code == deliverable)
    await services.submissions.create(
        f"test:{unit}:{deliverable}",
        deliverable,
        unit,
        officer.officer_id,
        "memory",
        now,
        due,
        0,
        "",
        [SubmissionFile(sha, "bc.pdf", 5, "pdf")],
    )


async def _pending(services: Services, key: str) -> set[str]:
    """The chats a message of this key is queued for."""
    rows = await services.db.fetchall("SELECT chat_id FROM outbox WHERE key LIKE ?", (f"{key}%",))
    return {row["chat_id"] for row in rows}


# The chair unit's own self-score --------------------------------------------------------------


async def test_the_chairs_own_self_score_is_reviewed_by_the_deputy_never_by_the_chair(
    services: Services,
) -> None:
    year = await _year(services, deputy="MA")
    people = await unit_actors(year)
    await _score(year, people, "TG", "DB")
    assert await _pending(year, year.year_key(score_sent_key("TG", 1))) == {"ma"}  # the deputy
    data = await score_review.sheets(year)
    assert data is not None
    assert score_review.reviewable_units(year, people["TG"], data) == ["DB"]
    assert score_review.reviewable_units(year, people["MA"], data) == ["TG"]
    assert score_review.reviewable_units(year, people["DB"], data) == []

    refused = await score_review.review(year, people["TG"], "TG", "I.1", 5, "tự duyệt")
    assert refused is ReviewRefused.NOT_YOURS
    refused = await score_review.review(year, people["MA"], "DB", "I.1", 5, "không phải việc")
    assert refused is ReviewRefused.NOT_YOURS
    done = await score_review.review(year, people["MA"], "TG", "I.1", 7.5, "thiếu minh chứng")
    assert done == Reviewed("TG", "I.1", 10, 7.5)
    assert set(await year.scores.reviews()) == {("TG", "I.1")}
    told = await year.db.fetchall("SELECT chat_id, payload FROM outbox WHERE key LIKE '%review%'")
    assert [r["chat_id"] for r in told] == ["tg"]
    assert "đã được duyệt lại (bảng điểm của đơn vị Trưởng Cụm do Cụm phó" in told[0]["payload"]

    # the chair unit explains itself to its reviewer, not to itself
    await score_review.explain(year, people["TG"], "I.1", "Đã bổ sung biên bản.")
    now = year.clock.now()
    assert await _pending(year, explanation_key("TG", "I.1", now)) == {"ma"}
    assert vi(ReviewRefused.NOT_YOURS.value) != ReviewRefused.NOT_YOURS.value


async def test_without_a_deputy_the_province_board_reviews_the_chair_unit(
    services: Services,
) -> None:
    people = await unit_actors(services)
    _id, code = await services.invitations.create(
        None,
        Role.PROVINCE,
        services.clock.now(),
        timedelta(days=1),
        None,
        "test",
        province="Điện Biên",
    )
    await services.invitations.redeem(
        code, Claimant("memory", "board", "board", "Ban Thi đua tỉnh"), services.clock.now()
    )
    board = await services.officers.actor("memory", "board", services.clock.now())
    assert board is not None and board.province == "Điện Biên"
    await _score(services, people, "TG", "MA")
    assert await _pending(services, services.year_key(score_sent_key("TG", 1))) == {"board"}
    data = await score_review.sheets(services)
    assert data is not None
    assert score_review.reviewable_units(services, board, data) == ["TG"]
    assert score_review.reviewable_units(services, people["TG"], data) == ["MA"]
    done = await score_review.review(services, board, "TG", "II.2", 5, "báo cáo trễ hạn")
    assert isinstance(done, Reviewed)
    # a rule that always names the province board, even with a deputy
    year = await _year(services, deputy="DB", rules=FairRules(chair_reviewed_by="province"))
    data = await score_review.sheets(year)
    assert data is not None
    assert score_review.reviewable_units(year, people["DB"], data) == []
    assert year.cluster_year.cluster.rules.chair_reviewed_by is ChairReviewer.PROVINCE


async def test_the_chairs_inspection_answer_goes_to_the_deputy_not_the_chair(
    services: Services,
) -> None:
    year = await _year(services, deputy="DB")
    people = await unit_actors(year)
    pairs = (Pair("MA", "TG"), Pair("TG", "DB"), Pair("DB", "ML"), Pair("ML", "DBP"))
    pairs += (Pair("DBP", "MA"),)
    round_id = await cross_inspection.open_round(year, people["TG"], pairs, date(2022, 10, 31))
    answer = await cross_inspection.record_answer(year, people["TG"], round_id, "Đã bổ sung.")
    key = year.year_key(f"inspection-answer:{round_id}:{answer}")
    assert await _pending(year, key) == {"db"}
    member = await cross_inspection.record_answer(year, people["ML"], round_id, "Đã sửa.")
    key = year.year_key(f"inspection-answer:{round_id}:{member}")
    assert await _pending(year, key) == {"tg"}  # a member's answer: the chair


# The lock and the provisional ranking ---------------------------------------------------------


async def test_the_lock_waits_for_the_annual_report_unless_the_chair_gives_a_reason(
    services: Services, clock: FixedClock
) -> None:
    people = await unit_actors(services)
    await _score(services, people, "MA")
    clock.set(datetime(2022, 12, 15, 9, 0, tzinfo=TZ))
    assert await score_lock.lock(services, people["TG"]) == TooEarly(date(2023, 1, 1))
    assert TooEarly(date(2023, 1, 1)).due == date(2022, 12, 31)
    assert not await score_lock.is_locked(services)

    data = await ranking.standings(services)
    assert data is not None and not data.locked
    cluster = services.cluster_year.cluster
    text = ranking_text(cluster, data, vi, "vi")
    assert text.startswith("KẾT QUẢ XẾP HẠNG (TẠM TÍNH) — Cụm thi đua vùng thấp năm 2022")
    assert ranking_title(cluster, data, vi) == text.splitlines()[0]  # the chart's title too
    assert ranking_chart(cluster, data, vi, "vi").startswith(b"\x89PNG")
    book = load_workbook(io.BytesIO(ranking_workbook(cluster, data, vi)))
    assert "(TẠM TÍNH)" in str(book["Tổng hợp"]["A1"].value)
    assert str(book["MA"]["A1"].value).endswith("(tạm tính)")
    report = await draft(services, "bao-cao-nam")
    assert report is not None
    assert "kết quả tạm tính" in docx_text(render_document(report))

    assert await score_lock.lock(services, people["TG"], "Tỉnh tổ chức hội nghị sớm") is True
    [entry] = await services.audit.entries("score.locked")
    assert entry.action == "score.locked_early"
    assert entry.detail == {"early_reason": "Tỉnh tổ chức hội nghị sớm"}
    data = await ranking.standings(services)
    assert data is not None
    assert ranking_text(cluster, data, vi, "vi").startswith("KẾT QUẢ XẾP HẠNG — Cụm")
    assert await score_lock.lock(services, people["TG"], "lần nữa") is LockRefused.ALREADY


async def test_after_the_due_day_the_lock_needs_no_reason(
    services: Services, clock: FixedClock
) -> None:
    people = await unit_actors(services)
    clock.set(datetime(2023, 1, 1, 8, 0, tzinfo=TZ))
    assert await score_lock.lock(services, people["TG"]) is True
    [entry] = await services.audit.entries("score.locked")
    assert entry.action == "score.locked" and entry.detail == {}
    # a rule that lets the lock come any time
    year = await _year(services, rules=FairRules(lock_after_score_due=False))
    assert score_lock.early_lock(year) is None


# Award eligibility ----------------------------------------------------------------------------


async def test_a_unit_without_its_annual_report_is_proposed_for_nothing_and_told_why(
    services: Services, clock: FixedClock
) -> None:
    people = await unit_actors(services)
    await _score(services, people, "TG", "MA", "DB", "ML")
    await _submit(services, people["DB"], "bc-nam")
    await services.submissions.set_mark(
        "bc-nam", "ML", "excused", "sáp nhập", people["TG"].officer_id, clock.now()
    )
    data = await ranking.standings(services)
    assert data is not None
    assert set(data.barred) == {"MA"}  # the chair owes no report; DB sent; ML was excused
    assert [d.code for d in data.barred["MA"]] == ["bc-nam"]
    proposals = {r.score.unit_code: r.proposal for r in data.ranked}
    assert proposals["MA"] is None and proposals["DB"] == "flag"
    cluster = services.cluster_year.cluster
    text = ranking_text(cluster, data, vi, "vi")
    assert f"   (chưa đủ điều kiện đề nghị khen thưởng: chưa gửi {ANNUAL})" in text
    book = load_workbook(io.BytesIO(ranking_workbook(cluster, data, vi)))
    summary = {row[1]: row[5] for row in book["Tổng hợp"].iter_rows(min_row=3, values_only=True)}
    assert summary["Huyện Mường Ảng"] == f"chưa đủ điều kiện đề nghị khen thưởng: chưa gửi {ANNUAL}"
    for name in ("bao-cao-nam", "bien-ban", "to-trinh"):
        document = await draft(services, name)
        assert document is not None
        words = docx_text(render_document(document))
        assert f"Huyện Mường Ảng chưa đủ điều kiện đề nghị khen thưởng: chưa gửi {ANNUAL}." in (
            words
        ), name

    # the rules may name other deliverables, or none
    year = await _year(services, rules=FairRules(award_requires=()))
    data = await ranking.standings(year)
    assert data is not None and data.barred == {}


# The handover ---------------------------------------------------------------------------------


async def test_the_handover_lists_what_is_open_and_keeps_the_reason(
    services: Services, clock: FixedClock
) -> None:
    people = await unit_actors(services)
    await _score(services, people, "MA")
    await _submit(services, people["MA"], "bc-6-thang")
    clock.set(datetime(2023, 3, 15, 10, 0, tzinfo=TZ))
    left = await handover.open_items(services)
    assert left.any and left.scores_unlocked and left.votes == ()
    assert len(left.reports) == 7  # 4 annual reports and 3 six-month ones of the 8 owed
    assert ("MA", ANNUAL) in left.reports
    draft_ = handover.HandoverDraft("MA", "DB", None, flagged=True)
    await handover.hand_over(services, people["TG"], draft_, "Tỉnh yêu cầu bàn giao đúng lịch")
    [entry] = await services.audit.entries("handover.")
    assert entry.detail == {
        "reason": "Tỉnh yêu cầu bàn giao đúng lịch",
        "reports": 7,
        "scores_unlocked": True,
        "votes": [],
    }


# Bonuses and penalties with their reasons -----------------------------------------------------


async def test_a_declared_bonus_shows_with_its_reason_on_the_sheet_and_in_the_documents(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = await unit_actors(services)
    entries = _full(services, bonus=True).scored("III.3", 4.5, 4.5).noted("III.3", "sáng kiến")
    assert isinstance(await self_scoring.send(services, people["MA"], entries), self_scoring.Sent)
    data = await ranking.standings(services)
    assert data is not None
    cluster = services.cluster_year.cluster
    book = load_workbook(io.BytesIO(ranking_workbook(cluster, data, vi)))
    rows = {row[0]: row for row in book["MA"].iter_rows(min_row=3, values_only=True)}
    bonus = next(row for label, row in rows.items() if str(label).startswith("B.1 "))
    assert bonus[2] == 10 and bonus[4] == GROUNDS
    penalty = next(row for label, row in rows.items() if str(label).startswith("III.3 "))
    assert penalty[2] == 4.5 and penalty[4] == "sáng kiến"
    monkeypatch.setattr(ranking_files, "SHEETS_PER_UNIT_UP_TO", 1)  # a large bloc's workbook
    details = load_workbook(io.BytesIO(ranking_workbook(cluster, data, vi)))["Chi tiết"]
    rows = [row for row in details.iter_rows(min_row=3, values_only=True) if row[0] == "MA"]
    assert any(str(row[1]).startswith("B.1 ") and row[5] == GROUNDS for row in rows)
    for name in ("bao-cao-nam", "bien-ban", "to-trinh"):
        document = await draft(services, name)
        assert document is not None
        words = docx_text(render_document(document))
        assert "+10 điểm (đơn vị tự chấm; lý do: " + GROUNDS + ")." in words, name
        assert "Huyện Mường Ảng: III.3" in words and "+4,5 điểm" in words, name


# Overdue notices ------------------------------------------------------------------------------


async def test_an_overdue_notice_goes_only_to_who_owes_the_report(
    services: Services, clock: FixedClock
) -> None:
    plan = services.cluster_year.plan
    owed = Deliverable(
        code="bc-quy", title="Báo cáo quý III", task=3, due=date(2022, 9, 30), owed_by=("MA", "DB")
    )
    year_data = services.cluster_year.model_copy(
        update={"plan": plan.model_copy(update={"deliverables": (owed,)})}
    )
    record, _ = await services.years.import_year(year_data, "t", "t", clock.now())
    year = services.scoped(record.id)
    people = {u: await join(year, "memory", u.lower(), u, Role.MEMBER) for u in ("MA", "ML")}
    chair = await join(year, "memory", "tg", "TG", Role.CHAIR)
    ticker = ReminderTicker(year, timedelta(hours=12))
    clock.set(datetime(2022, 9, 29, 10, 0, tzinfo=TZ))
    ma = await year.officers.actor("memory", "ma", clock.now())
    assert ma is not None and people
    await _submit(year, ma, "bc-quy")  # Mường Ảng sent; Điện Biên has no officer; ML owes none
    while clock.now() < datetime(2022, 10, 20, tzinfo=TZ):
        clock.advance(timedelta(hours=1))
        await ticker.tick()
    rows = await year.db.fetchall("SELECT key, chat_id FROM outbox WHERE key LIKE '%remind:%'")
    # keys: y<id>:remind:<deliverable>:<unit>:<rung>:<channel>:<chat>
    planned = [(r["key"].split(":", 2)[2].rsplit(":", 2)[0], r["chat_id"]) for r in rows]
    about_it = {
        (key.split(":")[1], key.split(":")[2], chat)
        for key, chat in planned
        if key.startswith("bc-quy:")
    }
    # Mường Ảng sent (before the due day: its reminders stopped), Mường Lay owes nothing;
    # Điện Biên owes it but has no officer: only the chair hears, once, that it is late
    assert {(unit, rung, chat) for unit, rung, chat in about_it if rung != "escalate"} == set()
    assert {(unit, chat) for unit, rung, chat in about_it if rung == "escalate"} == {("DB", "tg")}
    assert people and chair


# The rules as data ----------------------------------------------------------------------------


def test_the_rules_are_read_from_cluster_yaml_with_defaults(tmp_path: Path) -> None:
    folder = tmp_path / "cluster"
    shutil.copytree(BUNDLED_CLUSTER, folder)
    assert load_cluster_year(folder).cluster.rules == FairRules()  # none written: the defaults
    with (folder / "cluster.yaml").open("a", encoding="utf-8") as written:
        written.write("rules:\n  chair_reviewed_by: province\n  award_requires: [bc-6-thang]\n")
    year = load_cluster_year(folder)
    assert year.cluster.rules.chair_reviewed_by is ChairReviewer.PROVINCE
    assert [d.code for d in award_deliverables(year)] == ["bc-6-thang"]
    assert lock_opens(year) == date(2023, 1, 1)
    text = (folder / "cluster.yaml").read_text(encoding="utf-8")
    (folder / "cluster.yaml").write_text(text.replace("province\n", "chair\n"), encoding="utf-8")
    with pytest.raises(ClusterDataError, match=r"rules\.chair_reviewed_by"):
        load_cluster_year(folder)
