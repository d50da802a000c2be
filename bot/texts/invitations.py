"""An invitation as people receive it: the code, the Telegram deep link and its QR code."""

from __future__ import annotations

import io
from datetime import datetime

from bot.domain.cluster import Cluster
from bot.domain.formatting import local_datetime
from bot.domain.invitations import NewInvitation
from bot.domain.invite_codes import display
from bot.domain.messages import Attachment, Reply
from bot.i18n import Translator
from bot.texts.roles import role_name, unit_label

__all__ = ["deep_link", "invitation_reply", "invitation_text", "qr_png"]


def deep_link(username: str, code: str) -> str:
    return f"https://t.me/{username}?start={code}"


def qr_png(text: str) -> bytes:
    import segno  # loaded on the first QR code, not at start

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def invitation_reply(
    code: str,
    unit: str,
    role: str,
    expires: datetime,
    timezone: str,
    username: str | None,
    _: Translator,
) -> Reply:
    lines = [
        _("Invitation for {unit} ({role}).").format(unit=unit, role=role),
        _("Code: {code}").format(code=display(code)),
        _("Valid until {when}, once.").format(when=local_datetime(expires, timezone)),
    ]
    if username is None:
        lines.append(
            _(
                "The Telegram link will be available once the bot has connected to Telegram; "
                "until then the code can be typed in a chat with the bot (Zalo or Telegram)."
            )
        )
        return Reply("\n".join(lines))
    link = deep_link(username, code)
    lines += [
        _("Telegram link: {link}").format(link=link),
        _("On Zalo, send the code to the bot in a private chat."),
    ]
    return Reply("\n".join(lines), attachment=Attachment("moi.png", qr_png(link), "image/png"))


def invitation_text(made: NewInvitation, cluster: Cluster, _: Translator) -> Reply:
    """A new invitation of ``cluster`` as its maker sees it (in chat or on the command line)."""
    return invitation_reply(
        made.code,
        unit_label(cluster, made.unit_code, _),
        role_name(made.role, cluster, _),
        made.expires_at,
        cluster.timezone,
        made.bot_username,
        _,
    )
