"""The words of the cross-inspection round that reach officers through the outbox: the pair an
inspecting unit is given, the minutes about a unit, and an inspected unit's answer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.domain.cluster import Cluster
from bot.domain.formatting import short_date
from bot.domain.messages import Option, Reply
from bot.i18n import Translator
from bot.texts.roles import unit_label

__all__ = ["answer_notice", "inspector_notice", "minutes_notice"]


def inspector_notice(
    cluster: Cluster, year: int, inspected: str, due: date, _: Translator
) -> Reply:
    return Reply(
        _(
            "🔎 Cross-inspection {year}: your unit inspects {unit}. Please send the "
            "minutes (biên bản kiểm tra) by {due} with /nopbaocao."
        ).format(year=year, unit=unit_label(cluster, inspected, _), due=short_date(due))
    )


def minutes_notice(
    cluster: Cluster,
    inspector: str,
    version: int,
    file_names: Sequence[str],
    round_id: int,
    _: Translator,
) -> Reply:
    """To the inspected unit, with the button to answer."""
    return Reply(
        _(
            "🔎 {unit} sent the minutes of its inspection of your unit (version {version}: "
            "{files}). You may answer with an explanation."
        ).format(
            unit=unit_label(cluster, inspector, _),
            version=version,
            files=", ".join(file_names),
        ),
        (Option(_("Explain"), f"inspectanswer:{round_id}"),),
    )


def answer_notice(cluster: Cluster, unit_code: str, text: str, _: Translator) -> Reply:
    return Reply(
        _("💬 {unit} answered the cross-inspection: {text}").format(
            unit=unit_label(cluster, unit_code, _), text=text
        )
    )
