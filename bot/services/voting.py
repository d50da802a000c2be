"""The vote around the stored ballots: the ballot as the units receive it, the reminders for the
units that have not voted, the close (counts, the rule, a second round, the results to every
officer) and what the votes decided, for the ranking, the handover and the documents."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.ballots import Outcome, OutcomeStatus, Title
from bot.domain.formatting import local_datetime
from bot.domain.messages import Option, Reply
from bot.domain.officer_records import OfficerRecord
from bot.i18n import N_, Translator
from bot.services.container import Services
from bot.services.notices import notify_officers
from bot.services.ranking_data import final_scores, strongest_first
from bot.services.vote_count import closed_outcomes, counted, elected
from bot.texts.roles import unit_label
from storage.ballots import StoredRound

__all__ = [
    "TITLE_NAMES",
    "ballot_reply",
    "close_due",
    "close_round",
    "decided",
    "outcome",
    "outcomes",
    "record",
    "remind_unvoted",
    "result_text",
    "send_ballot",
]

TITLE_NAMES = {
    Title.FLAG: N_("the Emulation Flag"),
    Title.MERIT: N_("Certificates of Merit"),
    Title.LEADING: N_("the leading unit of the cluster (suy tôn)"),
    Title.CHAIR: N_("next year's chair unit"),
    Title.DEPUTY: N_("next year's deputy chair unit"),
}

REMIND_BEFORE = timedelta(hours=1)
"""The last reminder comes this long before the close; the first half-way through the round."""


def ballot_reply(
    services: Services, stored: StoredRound, _: Translator, reminder: bool = False
) -> Reply:
    """The ballot as a unit's officers receive it, with the button that opens it."""
    cluster = services.cluster_year.cluster
    head = (
        _("⏰ Reminder: your unit has not voted yet. The vote for {title} closes at {closes}.")
        if reminder
        else _("🗳 Vote for {title}, {cluster} {year} (round {round}): closes at {closes}.")
    ).format(
        title=_(TITLE_NAMES[stored.ballot.title]),
        cluster=cluster.name,
        year=services.year.year,
        round=stored.number,
        closes=local_datetime(stored.closes_at, cluster.timezone),
    )
    names = "\n".join(f"• {unit_label(cluster, code, _)}" for code in stored.candidates)
    text = "\n".join(
        (
            head,
            _("Candidates:"),
            names,
            _("Choose at most {seats}. The ballot is secret and final once cast.").format(
                seats=stored.seats
            ),
        )
    )
    return Reply(text, (Option(_("Vote"), f"ballot:{stored.id}"),))


async def record(services: Services) -> list[str]:
    """Unit codes strongest first: the score ranking, then the units not ranked."""
    scores = final_scores(await services.scores.latest(), await services.scores.reviews())
    units = [u.code for u in services.cluster_year.cluster.units]
    return strongest_first(services.cluster_year.scoring, scores, units)


async def outcome(services: Services, stored: StoredRound) -> Outcome:
    return await counted(services, stored, await record(services))


async def decided(services: Services) -> dict[Title, tuple[str, ...]]:
    """Who each finished vote elected."""
    return await elected(services, await record(services))


async def outcomes(services: Services) -> list[Outcome]:
    """The outcome of every closed round, in the order held (counts only, never voters)."""
    return await closed_outcomes(services, await record(services))


def result_text(services: Services, result: Outcome, _: Translator) -> str:
    """The counts and who is elected, as every officer receives them."""
    cluster = services.cluster_year.cluster
    ballot, counted = result.ballot, result.tally
    lines = [
        _("Result of the vote for {title}, round {round}: {cast}/{units} units voted.").format(
            title=_(TITLE_NAMES[ballot.title]),
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
                "{seats} seat(s) still open after the last round: the chair and deputy decide "
                "(by the record: {suggested})."
            ).format(seats=result.seats_left, suggested=suggested)
        )
    elif result.seats_left:
        lines.append(_("{seats} seat(s) stay open.").format(seats=result.seats_left))
    return "\n".join(lines)


async def close_round(
    services: Services, stored: StoredRound, officer_id: int | None, now: datetime
) -> Outcome | None:
    """Close a round, count it under the rule, open the next round where needed and send the
    results to every officer; None when it was closed already."""
    if not await services.ballots.close(stored.id, officer_id, now):
        return None
    result = await outcome(services, stored)
    everyone = await services.officers.active()

    def build(_: Translator) -> Reply:
        return Reply(result_text(services, result, _))

    await notify_officers(
        services, everyone, services.year_key(f"ballot-result:{stored.id}"), build
    )
    runoff = result.next_round
    if runoff is not None:
        closes = now + (stored.closes_at - stored.opened_at)
        round_id = await services.ballots.next_round(
            stored.ballot.id,
            runoff.round,
            runoff.candidates,
            runoff.seats,
            runoff.elected_before,
            closes,
            now,
        )
        following = await services.ballots.round(round_id)
        assert following is not None
        await send_ballot(services, following)
    return result


async def send_ballot(services: Services, stored: StoredRound) -> int:
    """The ballot to every officer of the electorate's units."""
    units = stored.ballot.electorate
    officers: list[OfficerRecord] = [
        o for o in await services.officers.active() if o.unit_code in units
    ]

    def build(_: Translator) -> Reply:
        return ballot_reply(services, stored, _)

    return await notify_officers(
        services, officers, services.year_key(f"ballot:{stored.id}"), build
    )


async def close_due(services: Services, now: datetime) -> int:
    """Close the rounds whose time has come; returns how many."""
    closed = 0
    for stored in await services.ballots.open_rounds():
        if stored.closes_at <= now and await close_round(services, stored, None, now):
            closed += 1
    return closed


async def remind_unvoted(services: Services, now: datetime) -> int:
    """Remind the units that have not voted: half-way through a round and an hour before its
    close, each once (the reminder log); returns how many messages were queued."""
    queued = 0
    for stored in await services.ballots.open_rounds():
        halfway = stored.opened_at + (stored.closes_at - stored.opened_at) / 2
        rungs = {"half": halfway, "last": stored.closes_at - REMIND_BEFORE}
        due = [name for name, at in rungs.items() if stored.opened_at < at <= now]
        if not due:
            continue
        voted = await services.ballots.voters(stored.id)
        handled = await services.reminders.handled(f"ballot-{stored.id}:")
        officers = await services.officers.active()

        def build(_: Translator, stored: StoredRound = stored) -> Reply:
            return ballot_reply(services, stored, _, reminder=True)

        for unit_code in sorted(stored.ballot.electorate - voted):
            keys = [f"ballot-{stored.id}:{unit_code}:{name}" for name in due]
            if keys[-1] in handled:
                continue
            for passed in keys[:-1]:  # an earlier rung missed (the bot was down): not both
                if passed not in handled:
                    await services.reminders.record(passed, "skipped", now)
            own = [o for o in officers if o.unit_code == unit_code]
            remind = services.year_key(f"remind:{keys[-1]}")
            if await notify_officers(services, own, remind, build):
                queued += 1
            await services.reminders.record(keys[-1], "enqueued", now)
    return queued
