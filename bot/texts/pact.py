"""The words of the emulation pact that reach officers through the outbox: the pact itself (and
its reminder) and the chair's notice of a signature."""

from __future__ import annotations

from datetime import date

from bot.domain.cluster import Cluster
from bot.domain.formatting import short_date
from bot.domain.messages import Attachment, Option, Reply
from bot.i18n import Translator
from bot.texts.roles import unit_label

__all__ = ["pact_message", "signed_notice"]


def pact_message(
    cluster: Cluster,
    year: int,
    pact_id: int,
    text: str,
    due: date,
    document: Attachment | None,
    _: Translator,
    reminder: bool = False,
) -> Reply:
    """The pact with its document and the "Đồng ý ký kết" button (signing for the unit)."""
    head = (
        _("⏰ Reminder: your unit has not yet signed the pact of {year} (by {due}).")
        if reminder
        else _(
            "📜 The emulation pact of {cluster}, {year}: please read it and sign for your unit "
            "by {due}."
        )
    ).format(cluster=cluster.name, year=year, due=short_date(due))
    body = head + ("\n\n" + text if text else "")
    return Reply(body, (Option(_("Agree and sign"), f"pactsign:{pact_id}"),), document)


def signed_notice(
    cluster: Cluster, year: int, unit_code: str, officer_name: str, _: Translator
) -> Reply:
    return Reply(
        _("✍️ {unit} signed the pact of {year} ({name}).").format(
            unit=unit_label(cluster, unit_code, _), year=year, name=officer_name
        )
    )
