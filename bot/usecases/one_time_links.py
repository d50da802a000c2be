"""One-time links of the bot's web server: made for a person (upload a report, fetch a document
or an image the bot sends where the platform carries none), checked and spent when followed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from bot.domain.messages import Attachment
from bot.services.container import Services
from storage.links import Link, LinkProblem

__all__ = [
    "Link",
    "LinkKind",
    "LinkProblem",
    "LinkedFile",
    "attachment_url",
    "check_link",
    "fetch_linked_file",
    "score_form_url",
    "spend_link",
    "upload_url",
]


class LinkKind(StrEnum):
    UPLOAD = "upload"
    DOWNLOAD = "download"
    """A document, single use."""
    IMAGE = "image"
    """An image the platform fetches itself, as often as it likes until the link expires."""
    SCORE_FORM = "score_form"
    """A page where an officer uploads the unit's filled score form, single use."""


@dataclass(frozen=True, slots=True)
class LinkedFile:
    name: str
    """The name to save it under; empty when none was given."""
    data: bytes
    mime: str


def _valid(services: Services) -> timedelta:
    return timedelta(hours=services.settings.link_valid_hours)


async def upload_url(
    services: Services, officer_id: int, deliverable: str, channel: str, chat_id: str
) -> str:
    """A single-use page where this officer uploads files for this deliverable."""
    token = await services.links.create(
        LinkKind.UPLOAD,
        channel,
        chat_id,
        services.clock.now(),
        _valid(services),
        officer_id,
        deliverable,
    )
    return f"{services.web_url}/u/{token}"


async def score_form_url(services: Services, officer_id: int, channel: str, chat_id: str) -> str:
    """A single-use page where this officer sends the unit's filled score form back."""
    token = await services.links.create(
        LinkKind.SCORE_FORM, channel, chat_id, services.clock.now(), _valid(services), officer_id
    )
    return f"{services.web_url}/f/{token}"


async def attachment_url(
    services: Services, channel: str, chat_id: str, attachment: Attachment
) -> str:
    """A link to a document (single use) or an image (for the platform to fetch) the bot sends."""
    now = services.clock.now()
    sha = await services.files.put(attachment.data, attachment.mime, now)
    kind = LinkKind.IMAGE if attachment.is_image else LinkKind.DOWNLOAD
    token = await services.links.create(
        kind,
        channel,
        chat_id,
        now,
        _valid(services),
        sha256=sha,
        file_name=attachment.name,
        mime=attachment.mime,
    )
    return f"{services.web_url}/{'i' if kind is LinkKind.IMAGE else 'd'}/{token}"


async def check_link(services: Services, token: str, kind: LinkKind) -> Link | LinkProblem:
    """The link behind ``token`` if it is of this kind and still usable."""
    return await services.links.check(token, kind, services.clock.now())


async def spend_link(services: Services, link: Link) -> bool:
    """Spend a single-use link; False when somebody spent it first."""
    return await services.links.use(link, services.clock.now())


async def fetch_linked_file(
    services: Services, token: str, kind: LinkKind
) -> LinkedFile | LinkProblem:
    """The file behind a download or image link; a download link is spent by it."""
    link = await check_link(services, token, kind)
    if isinstance(link, LinkProblem):
        return link
    if kind is LinkKind.DOWNLOAD and not await spend_link(services, link):
        return LinkProblem.USED
    assert link.sha256 is not None
    return LinkedFile(
        link.file_name or "",
        services.files.read(link.sha256),
        link.mime or "application/octet-stream",
    )
