"""The pact's use cases on real storage: its document checked and stored, sent to the member
units' officers, signed once per member unit (the chair told), and who has signed."""

from __future__ import annotations

from datetime import date, timedelta

from bot.services.container import Services
from bot.usecases.pact import (
    SIGN_DAYS,
    PactDocument,
    PactRefusal,
    Refusal,
    Signed,
    pact_status,
    send_pact,
    sign_pact,
    signing_due,
    take_document,
)
from tests.documents import docx_bytes
from tests.usecases.officers import unit_actors

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def _outbox(services: Services, prefix: str) -> list[str]:
    rows = await services.db.fetchall("SELECT key FROM outbox ORDER BY key")
    return [r["key"] for r in rows if r["key"].startswith(services.year_key(prefix))]


async def test_the_document_is_checked_before_it_is_kept(services: Services) -> None:
    refused = await take_document(services, "giao-uoc.docx", b"", DOCX)
    assert isinstance(refused, Refusal)
    document = docx_bytes("Giao ước")  # made once: a DOCX carries the time it was made
    taken = await take_document(services, "giao-uoc.docx", document, None)
    assert isinstance(taken, PactDocument)
    assert (taken.name, taken.mime) == ("giao-uoc.docx", "application/octet-stream")
    assert services.files.read(taken.sha256) == document


async def test_the_pact_goes_to_the_member_units_and_each_signs_once(
    services: Services,
) -> None:
    people = await unit_actors(services)
    assert await pact_status(services) is None
    due = signing_due(date(2022, 3, 15))
    assert due == date(2022, 3, 15) + timedelta(days=SIGN_DAYS)
    sent = await send_pact(services, people["TG"], "Giao ước thi đua 2022", None, due)
    members = {u.code for u in services.cluster_year.cluster.members}
    assert sent.queued == len(members) and (sent.pact.text, sent.pact.due) == (
        "Giao ước thi đua 2022",
        due,
    )
    status = await pact_status(services)
    assert status is not None and status.pact == sent.pact and status.signatures == {}
    signed = await sign_pact(services, people["MA"], sent.pact.id, "memory")
    assert signed == Signed("MA", services.clock.now())
    assert await sign_pact(services, people["MA"], sent.pact.id, "zalo") is PactRefusal.SIGNED
    assert await sign_pact(services, people["DB"], sent.pact.id + 1, "memory") is (
        PactRefusal.STALE
    )
    chair_unit = await sign_pact(services, people["TG"], sent.pact.id, "memory")
    assert chair_unit is PactRefusal.STALE  # the chair unit sends the pact, members sign it
    status = await pact_status(services)
    assert status is not None and list(status.signatures) == ["MA"]
    assert status.signatures["MA"].channel == "memory"
    told = await _outbox(services, f"pact-signed:{sent.pact.id}:MA:")
    assert told and all(key.endswith(":memory:tg") for key in told)
