"""Report drafts stored before drafts had a version still resume after the upgrade: the person
continues where they were, and what is recorded is the draft's."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from bot.domain.access import Role
from bot.engine.dispatcher import Dispatcher
from bot.services.container import Services
from storage.timestamps import to_db
from tests.documents import pdf_bytes
from tests.memory_channel import MemoryChat
from tests.usecases.officers import join


async def _old_row(
    services: Services, chat: str, flow: str, step: str, data: dict[str, Any]
) -> None:
    """The row exactly as the flows wrote it before (no ``version`` in its data)."""
    now = services.clock.now()
    await services.db.execute(
        "INSERT INTO conversations"
        " (channel, chat_id, user_id, flow, step, data, started_at, updated_at, expires_at)"
        " VALUES ('memory', ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            chat,
            chat,
            flow,
            step,
            json.dumps(data, ensure_ascii=False),
            to_db(now),
            to_db(now),
            to_db(now + timedelta(hours=24)),
        ),
    )


async def _old_report_draft(services: Services, chat: str, pdf: bytes) -> None:
    sha = await services.files.put(pdf, "application/pdf", services.clock.now())
    data = {
        "files": [
            {
                "sha256": sha,
                "name": "bao-cao-6-thang.pdf",
                "size": len(pdf),
                "kind": "pdf",
                "pages": 2,
                "caption": "",
            }
        ],
        "note": "Bản có chữ ký",
        "key": "0f1e2d3c4b5a6978",
        "deliverable": "bc-6-thang",
    }
    await _old_row(services, chat, "report", "confirm", data)


async def test_an_unversioned_report_draft_resumes_and_is_submitted(
    dispatcher: Dispatcher, services: Services
) -> None:
    await join(services, "c1", "TG", Role.CHAIR)
    await join(services, "m1", "MA", Role.MEMBER)
    pdf = pdf_bytes(2)
    await _old_report_draft(services, "m1", pdf)

    member = MemoryChat(dispatcher, "m1")
    await member.say("/nopbaocao")
    assert "đang làm dở" in member.text
    await member.choose("Làm tiếp")
    assert member.text.startswith("Anh/chị vui lòng kiểm tra trước khi gửi:")
    assert "1. bao-cao-6-thang.pdf — " in member.text and "Ghi chú: Bản có chữ ký" in member.text
    await member.choose("Gửi Trưởng Cụm")
    assert member.text.startswith("BIÊN NHẬN")
    assert f"SHA-256 {hashlib.sha256(pdf).hexdigest()[:8]}" in member.text

    [submission] = await services.submissions.history()
    assert submission.note == "Bản có chữ ký" and submission.files[0].size == len(pdf)
    row = await services.db.fetchone("SELECT draft_key FROM submissions")
    assert row["draft_key"] == "memory:m1:0f1e2d3c4b5a6978"  # the old draft's own key
    assert await services.conversations.get("memory", "m1") is None


async def test_an_unversioned_mark_draft_takes_its_reason(
    dispatcher: Dispatcher, services: Services
) -> None:
    await join(services, "c1", "TG", Role.CHAIR)
    data = {"status": "excused", "unit": "MA", "deliverable": "bc-6-thang"}
    await _old_row(services, "c1", "mark", "reason", data)

    chair = MemoryChat(dispatcher, "c1")
    await chair.say("Đơn vị sáp nhập")
    assert chair.text == "Đã ghi nhận và thông báo cho đơn vị."
    mark = (await services.submissions.marks())[("bc-6-thang", "MA")]
    assert (mark.status, mark.reason) == ("excused", "Đơn vị sáp nhập")
