"""One-time links: a document link is spent by its first download, an image link serves the
platform as often as it asks until it expires, and a token of another kind is unknown."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.messages import Attachment
from bot.services.container import Services
from bot.usecases.one_time_links import (
    LinkedFile,
    LinkKind,
    LinkProblem,
    attachment_url,
    fetch_linked_file,
)

WORKBOOK = Attachment("xep-hang.xlsx", b"PK\x03\x04 workbook", "application/vnd.ms-excel")
CHART = Attachment("bieu-do.png", b"\x89PNG chart", "image/png")


def _token(url: str, path: str) -> str:
    assert f"/{path}/" in url
    return url.rsplit("/", 1)[1]


async def test_a_document_link_serves_once(services: Services) -> None:
    token = _token(await attachment_url(services, "zalo", "z1", WORKBOOK), "d")
    found = await fetch_linked_file(services, token, LinkKind.DOWNLOAD)
    assert found == LinkedFile(WORKBOOK.name, WORKBOOK.data, WORKBOOK.mime)
    assert await fetch_linked_file(services, token, LinkKind.DOWNLOAD) is LinkProblem.USED


async def test_an_image_link_serves_until_it_expires(services: Services) -> None:
    token = _token(await attachment_url(services, "zalo", "z1", CHART), "i")
    for _ in range(2):
        found = await fetch_linked_file(services, token, LinkKind.IMAGE)
        assert isinstance(found, LinkedFile) and found.data == CHART.data
    assert await fetch_linked_file(services, token, LinkKind.DOWNLOAD) is LinkProblem.UNKNOWN
    hours = services.settings.link_valid_hours
    services.clock.advance(timedelta(hours=hours, seconds=1))
    assert await fetch_linked_file(services, token, LinkKind.IMAGE) is LinkProblem.EXPIRED
