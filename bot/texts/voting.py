"""The words of the year-end vote that reach officers through the outbox: the ballot (and its
reminder) and the result of a round."""

from __future__ import annotations

from datetime import datetime

from bot.domain.ballots import Ballot, Outcome, OutcomeStatus, Title
from bot.domain.cluster import Cluster
from bot.domain.formatting import local_datetime
from bot.domain.messages import Option, Reply
from bot.i18n import N_, Translator
from bot.texts.roles import Leader, title_of, unit_label

__all__ = [
    "TITLE_NAMES",
    "ballot_reply",
    "leaders_decide",
    "result_text",
    "title_name",
    "void_text",
]

TITLE_NAMES = {
    Title.FLAG: N_("the Emulation Flag"),
    Title.MERIT: N_("Certificates of Merit"),
    Title.LEADING: N_("the leading unit of the cluster (suy tôn)"),
    Title.CHAIR: N_("next year's chair unit"),
    Title.DEPUTY: N_("next year's deputy chair unit"),
}
"""The ballots' titles in words that fit any cluster (see :func:`title_name` for one)."""
_LEADERS = {Title.CHAIR: Leader.CHAIR, Title.DEPUTY: Leader.DEPUTY}


def title_name(title: Title, cluster: Cluster, _: Translator) -> str:
    """What a ballot elects, next year's chair or deputy named as ``cluster`` names them."""
    leader = _LEADERS.get(title)
    if leader is None:
        return _(TITLE_NAMES[title])
    return _("next year's {title}").format(title=title_of(cluster, leader, _))


def leaders_decide(cluster: Cluster, _: Translator) -> dict[str, str]:
    """The ``{chair}`` and ``{deputy}`` of "the chair and deputy decide" sentences."""
    return {
        "chair": title_of(cluster, Leader.CHAIR, _),
        "deputy": title_of(cluster, Leader.DEPUTY, _),
    }


def ballot_reply(
    cluster: Cluster,
    year: int,
    ballot: Ballot,
    round_id: int,
    closes_at: datetime,
    _: Translator,
    reminder: bool = False,
) -> Reply:
    """The ballot as a unit's officers receive it, with the button that opens round
    ``round_id``."""
    head = (
        _("⏰ Reminder: your unit has not voted yet. The vote for {title} closes at {closes}.")
        if reminder
        else _("🗳 Vote for {title}, {cluster} {year} (round {round}): closes at {closes}.")
    ).format(
        title=title_name(ballot.title, cluster, _),
        cluster=cluster.name,
        year=year,
        round=ballot.round,
        closes=local_datetime(closes_at, cluster.timezone),
    )
    names = "\n".join(f"• {unit_label(cluster, code, _)}" for code in ballot.candidates)
    text = "\n".join(
        (
            head,
            _("Candidates:"),
            names,
            _("Choose at most {seats}. The ballot is secret and final once cast.").format(
                seats=ballot.seats
            ),
        )
    )
    return Reply(text, (Option(_("Vote"), f"ballot:{round_id}"),))


def result_text(cluster: Cluster, result: Outcome, _: Translator) -> str:
    """The counts and who is elected, as every officer receives them."""
    ballot, counted = result.ballot, result.tally
    lines = [
        _("Result of the vote for {title}, round {round}: {cast}/{units} units voted.").format(
            title=title_name(ballot.title, cluster, _),
            round=ballot.round,
            cast=counted.cast,
            units=counted.electorate,
        )
    ]
    for code, votes in counted.counts.items():
        lines.append(
            _("{unit}: {votes} vote(s)").format(unit=unit_label(cluster, code, _), votes=votes)
        )
    names = ", ".join(unit_label(cluster, c, _) for c in result.elected) or "—"
    lines.append(_("Elected: {names}").format(names=names))
    if result.status is OutcomeStatus.NEXT_ROUND:
        among = ", ".join(unit_label(cluster, c, _) for c in result.contenders)
        lines.append(
            _("{seats} seat(s) still open: a new round among {among}.").format(
                seats=result.seats_left, among=among
            )
        )
    elif result.status is OutcomeStatus.DECISION:
        suggested = ", ".join(unit_label(cluster, c, _) for c in result.by_record)
        lines.append(
            _(
                "{seats} seat(s) still open after the last round: the {chair} and {deputy} "
                "decide (by the record: {suggested})."
            ).format(seats=result.seats_left, suggested=suggested, **leaders_decide(cluster, _))
        )
    elif result.seats_left:
        lines.append(_("{seats} seat(s) stay open.").format(seats=result.seats_left))
    return "\n".join(lines)


def void_text(ballot: Ballot, cast: int, minimum: int, _: Translator) -> str:
    """A round closed with too few ballots, as every officer receives it: void, not counted."""
    return _(
        "Round {round} of the vote for {title} is void: {cast} of {units} units voted, fewer "
        "than the {minimum} ballots a count needs to stay secret. The ballots were not counted "
        "and no result is published; the chair may open the vote again."
    ).format(
        round=ballot.round,
        title=_(TITLE_NAMES[ballot.title]),
        cast=cast,
        units=len(ballot.electorate),
        minimum=minimum,
    )
