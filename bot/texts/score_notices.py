"""How the notices of self-scoring are worded: a unit's sent score and its explanation (to the
chair), the chair's review (to the unit). Each builder words its facts in any language."""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.cluster import Cluster
from bot.domain.formatting import number
from bot.domain.messages import Option, Reply
from bot.i18n import Translator
from bot.texts.roles import Leader, title_of, unit_label

__all__ = ["explanation_notice", "review_notice", "score_sent_notice", "scoring_changed_notice"]

Notice = Callable[[Translator], Reply]


def score_sent_notice(cluster: Cluster, unit_code: str, version: int, total: float) -> Notice:
    def build(_: Translator) -> Reply:
        return Reply(
            _("📊 {unit} sent its self-score (version {version}): {total} points.").format(
                unit=unit_label(cluster, unit_code, _), version=version, total=number(total, "vi")
            ),
            gathered=True,
        )

    return build


def review_notice(
    cluster: Cluster, criterion: str, old: float, new: float, reason: str, by_chair: bool = True
) -> Notice:
    """``by_chair`` False: the chair unit's own sheet, reviewed by its deputy or the board."""

    def build(_: Translator) -> Reply:
        template = (
            _("The {chair} reviewed {code} of your self-score: {old} → {new}. Reason: {reason}")
            if by_chair
            else _(
                "Your self-score's {code} was reviewed (the chair unit's sheet is reviewed by "
                "the deputy unit or the province board): {old} → {new}. Reason: {reason}"
            )
        )
        text = template.format(
            chair=title_of(cluster, Leader.CHAIR, _),
            code=criterion,
            old=number(old, "vi"),
            new=number(new, "vi"),
            reason=reason,
        )
        return Reply(text, (Option(_("Explain"), f"explain:{criterion}"),))

    return build


def explanation_notice(cluster: Cluster, unit_code: str, criterion: str, text: str) -> Notice:
    def build(_: Translator) -> Reply:
        return Reply(
            _("{unit} explains {code}: {text}").format(
                unit=unit_label(cluster, unit_code, _), code=criterion, text=text
            )
        )

    return build


def scoring_changed_notice(title: str, version: int) -> Notice:
    def build(_: Translator) -> Reply:
        return Reply(
            _(
                "The chair has made the cluster's scoring table a new version ({version}): "
                "{title}. Please score your unit again against it with /chamdiem."
            ).format(version=version, title=title)
        )

    return build
