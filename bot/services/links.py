"""Making one-time links of the bot's web server (upload a report, fetch a document or image)."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.messages import Attachment
from bot.services.container import Services

__all__ = ["attachment_url", "upload_url"]


def _valid(services: Services) -> timedelta:
    return timedelta(hours=services.settings.link_valid_hours)


async def upload_url(
    services: Services, officer_id: int, deliverable: str, channel: str, chat_id: str
) -> str:
    """A single-use page where this officer uploads files for this deliverable."""
    token = await services.links.create(
        "upload", channel, chat_id, services.clock.now(), _valid(services), officer_id, deliverable
    )
    return f"{services.web_url}/u/{token}"


async def attachment_url(
    services: Services, channel: str, chat_id: str, attachment: Attachment
) -> str:
    """A link to a document (single use) or an image (for the platform to fetch) the bot sends."""
    now = services.clock.now()
    sha = await services.files.put(attachment.data, attachment.mime, now)
    kind = "image" if attachment.is_image else "download"
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
    return f"{services.web_url}/{'i' if kind == 'image' else 'd'}/{token}"
