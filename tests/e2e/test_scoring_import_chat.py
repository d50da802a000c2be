"""/nhapbangdiem on Telegram: a table whose sums disagree is shown with its rows and cannot be
applied; after a unit's self-score the chair applies a table as a new version and every unit's
officer is told in chat."""

from __future__ import annotations

from bot.domain.access import Role
from bot.domain.score_sheet import SheetEntries
from bot.fakes.telegram_server import FakeTelegram
from bot.usecases import self_scoring
from bot.usecases.self_scoring import Sent
from tests.harness import Harness
from tests.people import register
from tests.scoring_corpus import COMMUNES_2026, WRONG_SUMS


async def test_the_chair_sees_the_sums_then_applies_a_new_version(
    bot: Harness, telegram: FakeTelegram
) -> None:
    chair, member = telegram.user(7100, "Trưởng Cụm"), telegram.user(7101, "Cán bộ Mường Ảng")
    await register(bot.app, chair, "TG", Role.CHAIR)
    await register(bot.app, member, "MA", Role.MEMBER)
    await chair.next_message()  # MA joined

    await chair.ask("/nhapbangdiem")
    chair.send_document("bang-diem-sai.docx", WRONG_SUMS.data())
    shown = await chair.next_message()
    assert "⚠️ Các tổng điểm không khớp:\n" in shown.text
    assert "   1 (dòng 3): điểm tối đa ghi 25 nhưng tổng các dòng 4, 5 là 20." in shown.text
    assert "Chưa áp dụng được" in shown.text
    assert [label for label, _ in shown.buttons] == ["Hủy"]
    chair.press(shown, "Hủy")
    assert (await chair.next_message()).text.startswith("Đã hủy.")

    services = bot.app.services
    actor = await services.officers.actor("telegram", "7101", services.clock.now())
    assert actor is not None
    table = services.cluster_year.scoring
    assert table is not None
    entries = SheetEntries()
    for criterion in table.criteria():
        entries = entries.scored(criterion.code, 0.0, 0.0)
    assert isinstance(await self_scoring.send(services, actor, entries), Sent)
    await chair.next_message()  # MA's self-score

    await chair.ask("/nhapbangdiem")
    chair.send_document("bang-diem-2026.xlsx", COMMUNES_2026.data())
    preview = await chair.next_message()
    assert "Đã có đơn vị gửi điểm tự chấm" in preview.text
    chair.press(preview, "Áp dụng thành phiên bản mới")
    done = await chair.next_message()
    assert done.text == (
        "Bảng chấm điểm phiên bản 1 được áp dụng cho năm thi đua của Cụm từ bây giờ. "
        "Đã thông báo cho tất cả các đơn vị."
    )
    told = await member.next_message()
    assert told.text.startswith("Trưởng Cụm đã áp dụng bảng chấm điểm phiên bản mới (1):")
    assert services.cluster_year.scoring is not None
    assert services.cluster_year.scoring.criterion_codes[:3] == ("1", "2.a", "2.b")
