"""The fair rules in chat: the deputy reviews the chair unit's sheet through /duyetdiem and only
that one, the chair sees every sheet but its own; /chotdiem before the self-score is due takes
a reason, which the audit log keeps."""

from __future__ import annotations

from bot.domain.access import Role
from bot.domain.cluster import ClusterYear
from bot.domain.score_sheet import SheetEntries
from bot.engine.dispatcher import Dispatcher
from bot.services.container import Services
from bot.usecases import self_scoring
from tests.clusters import join
from tests.memory_channel import MemoryChat


async def test_the_deputy_reviews_the_chair_unit_and_the_lock_waits(
    dispatcher: Dispatcher, services: Services
) -> None:
    year = services.cluster_year
    cluster = year.cluster.model_copy(update={"deputy": "MA"})
    data = ClusterYear.model_validate(year.model_copy(update={"cluster": cluster}).model_dump())
    await services.years.import_year(data, "tests", "test", services.clock.now())
    bound = services.scoped(services.year.id)
    for user, unit in (("tg", "TG"), ("ma", "MA"), ("db", "DB")):
        await join(bound, "memory", user, unit, Role.CHAIR if unit == "TG" else Role.MEMBER)
    table = bound.cluster_year.scoring
    assert table is not None
    entries = SheetEntries()
    for criterion in table.criteria():
        entries = entries.scored(criterion.code, 1.0, criterion.max)
    for user in ("tg", "db"):
        actor = await bound.officers.actor("memory", user, bound.clock.now())
        assert actor is not None
        assert isinstance(await self_scoring.send(bound, actor, entries), self_scoring.Sent)

    tg, ma, db = (MemoryChat(dispatcher, who) for who in ("tg", "ma", "db"))
    await tg.say("/duyetdiem")
    labels = [o.label for r in tg.last for o in r.options]
    assert labels == ["Huyện Điện Biên (DB)"]  # never its own
    await ma.say("/duyetdiem")
    assert [o.label for r in ma.last for o in r.options] == ["Huyện Tuần Giáo (TG)"]
    await ma.choose("Huyện Tuần Giáo")
    assert "Điểm tự chấm của Huyện Tuần Giáo (TG)" in ma.text
    await ma.choose("Điều chỉnh II.2")
    await ma.say("8 thiếu biên bản họp")
    assert ma.text.startswith("Đã ghi: II.2 của TG là 8 điểm.")
    await db.say("/duyetdiem")
    assert db.text == "Hiện không có bảng tự chấm điểm nào để anh/chị duyệt."

    await tg.say("/chotdiem")
    assert tg.text.startswith("Hạn gửi bảng tự chấm điểm là hết ngày 31/12/2022")
    await tg.say("ok")
    assert tg.text == "Anh/chị vui lòng viết vài từ."
    await tg.say("Tỉnh tổ chức hội nghị sớm")
    assert tg.text.startswith("Đã chốt điểm.")
    [entry] = await bound.audit.entries("score.locked")
    assert entry.detail == {"early_reason": "Tỉnh tổ chức hội nghị sớm"}
