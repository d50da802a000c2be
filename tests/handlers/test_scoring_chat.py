"""Self-scoring in chat keeps a note and an evidence file with a criterion's value in the draft,
shows what was entered when a criterion is changed, and the chair sees the evidence of the sent
sheet."""

from __future__ import annotations

from bot.domain.access import Role
from bot.domain.messages import InboundFile
from bot.domain.scoring_table import CriterionKind
from bot.engine.dispatcher import Dispatcher
from bot.i18n import translator
from bot.services.container import Services
from tests.clusters import join
from tests.crafted_files import pdf_document
from tests.memory_channel import MemoryChat

VI = translator("vi")


async def test_note_evidence_and_value_then_the_chair_sees_the_evidence(
    services: Services, dispatcher: Dispatcher
) -> None:
    await join(services, "memory", "tg", "TG", Role.CHAIR)
    await join(services, "memory", "ma", "MA", Role.MEMBER)
    table = services.cluster_year.scoring
    assert table is not None
    ma = MemoryChat(dispatcher, "ma")
    await ma.say("/chamdiem")
    assert "I.1. " in ma.text
    await ma.say("ghi chú có biên bản kèm theo")
    assert ma.text == VI("Note kept for {code}.").format(code="I.1")
    evidence = pdf_document(b"bien ban")
    await ma._send(files=(InboundFile("bien-ban.pdf", evidence),))
    assert ma.text == VI("Evidence {name} kept for {code}.").format(name="bien-ban.pdf", code="I.1")
    await ma.say("4")  # of the target 8
    assert ma.text.startswith("I.1: 5 ")
    for criterion in table.criteria()[1:]:
        if criterion.kind is CriterionKind.QUALITATIVE:
            await ma.choose(VI("Met"))
        else:
            await ma.say("1")
    await ma.choose(VI("No"))  # the bonus
    await ma.choose(VI("Change a criterion"))
    await ma.choose("I.1 ")
    assert VI("Entered: {points} points.").format(points="5") in ma.text
    await ma.say("6")
    await ma.choose(VI("Send the scores"))
    assert ma.text.startswith("Đã gửi: lần 1, ")

    [sheet] = (await services.scores.latest()).values()
    entry = sheet.entries.entry("I.1")
    assert (entry.value, entry.note) == (6.0, "có biên bản kèm theo")
    assert [f.name for f in entry.evidence] == ["bien-ban.pdf"]

    chair = MemoryChat(dispatcher, "tg")
    await chair.say("/duyetdiem")
    await chair.choose("Mường Ảng")
    assert "I.1: 7,5 / 10 📎" in chair.text
    await chair.choose(VI("See the evidence"))
    [shown] = chair.last
    assert shown.text == "I.1: bien-ban.pdf"
    assert shown.attachment is not None and shown.attachment.data == evidence
