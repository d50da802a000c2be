"""/bophieu: the year-end vote (bình xét, suy tôn) in chat, secret by design.

The chair opens a ballot (flow ``ballotnew``: title → candidates, by default the eligible units
in ranking order → how many to elect → closing time → preview); every unit's officers get it.
A unit's primary officer, or the delegate it names, ticks candidates (flow ``ballot``), sees a
preview and casts; the cast is final and goes in the event's own transaction with its receipt.
The ticks are kept sealed in the draft and shown in the message's text, never in a button's
stored label; a menu or preview that cannot be sent at once is deferred as a stand-in that
offers to show it again, so the outbox never holds a tick. The chair sees the turnout — never a
unit's choice — and may close early once every unit or the quorum has voted (confirmed); the
close counts, applies the cluster-year's rule and opens a second round where needed, or voids a
round with too few ballots.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.domain.access import Access
from bot.domain.ballots import ChoiceProblem, Title, check_choice
from bot.domain.formatting import local_datetime
from bot.domain.messages import Option, Reply
from bot.domain.strings import fold, row_id
from bot.engine.context import Context
from bot.engine.conversation import Flow, Step
from bot.engine.router import Router
from bot.i18n import N_
from bot.texts.roles import unit_label
from bot.texts.voting import leaders_decide, title_name
from bot.usecases.voting import (
    BALLOT_DRAFT,
    CloseConfirm,
    NewBallot,
    Person,
    StoredRound,
    Turnout,
    UnitRound,
    UnitStanding,
    VoidRound,
    VoteRefusal,
    ballot_round,
    cast_ballot,
    close_now,
    decide_by_record,
    draft_ticks,
    name_delegate,
    open_vote,
    proposed_candidates,
    seal_ticks,
    vote_view,
)

__all__ = ["BALLOT_FLOW", "NEW_BALLOT_FLOW", "voting_router"]

voting_router = Router("voting")

HOURS = (2, 24, 72)
"""The closing times offered, in hours from now; any other number of hours may be typed."""
MAX_HOURS = 30 * 24

CASTER_ONLY = N_(
    "Your unit's ballot is cast by its primary officer, or by the officer they name for it."
)
STALE = N_("That choice is no longer valid. Please use the latest message.")
REFUSALS = {
    VoteRefusal.CLOSED: N_("This vote is closed."),
    VoteRefusal.NOT_ELECTORATE: N_("Your unit does not vote in this ballot."),
    VoteRefusal.VOTED: N_(
        "Your unit has already voted in this round, thank you. A cast ballot is final, as on paper."
    ),
    VoteRefusal.NOT_CASTER: CASTER_ONLY,
    VoteRefusal.STALE: STALE,
}
VOID = N_(
    "The round is void: {cast} of {units} units voted, fewer than the {minimum} ballots a count "
    "needs to stay secret. No result is published; you may open the vote again."
)
"""What a unit's officer is told when the ballot may not be opened or cast."""


@voting_router.command(
    "bophieu",
    "vote",
    access=Access.OFFICER,
    description=N_("the year-end vote: open a ballot, vote for your unit, see the turnout"),
    private=True,
)
async def vote(ctx: Context) -> list[Reply]:
    actor = ctx.actor
    assert actor is not None
    view = await vote_view(ctx.services, actor)
    replies: list[Reply] = []
    if view.turnout is not None:
        replies.append(_turnout(ctx, view.turnout))
    replies += [_offer(ctx, mine) for mine in view.unit_rounds]
    if not replies:
        replies.append(ctx.reply(ctx._("No vote is open now.")))
    return replies


def _turnout(ctx: Context, turnout: Turnout) -> Reply:
    """What the chair sees: per open round who has voted, never what; close, decide, open."""
    services = ctx.services
    cluster = services.cluster_year.cluster
    lines: list[str] = []
    options: list[Option] = []
    for counted in turnout.rounds:
        stored, voted = counted.round, counted.voted
        lines.append(
            ctx._(
                "Vote for {title}, round {round}: {voted}/{units} units voted, closes {at}."
            ).format(
                title=title_name(stored.ballot.title, ctx.services.cluster_year.cluster, ctx._),
                round=stored.number,
                voted=len(voted),
                units=len(stored.ballot.electorate),
                at=local_datetime(stored.closes_at, cluster.timezone),
            )
        )
        for unit in cluster.units:
            if unit.code in stored.ballot.electorate:
                mark = "✅" if unit.code in voted else "⏳"
                lines.append(f"{mark} {unit_label(cluster, unit.code, ctx._)}")
        if not counted.may_close:
            lines.append(
                ctx._(
                    "The round may be closed early once every unit, or {quorum} of {units}, "
                    "have voted."
                ).format(quorum=counted.quorum, units=len(stored.ballot.electorate))
            )
            continue
        options.append(
            Option(
                ctx._("Close round {round} of {title} now").format(
                    round=stored.number,
                    title=title_name(stored.ballot.title, ctx.services.cluster_year.cluster, ctx._),
                ),
                f"ballotclose:{stored.id}",
            )
        )
    for pending in turnout.pending:
        lines.append(
            ctx._("{title}: the {chair} and {deputy} decide (by the record: {names}).").format(
                **leaders_decide(cluster, ctx._),
                title=title_name(
                    pending.round.ballot.title, ctx.services.cluster_year.cluster, ctx._
                ),
                names=", ".join(unit_label(cluster, c, ctx._) for c in pending.by_record),
            )
        )
        options.append(
            Option(ctx._("Confirm the units by the record"), f"ballotdecide:{pending.round.id}")
        )
    if not lines:
        lines.append(ctx._("No vote is open now."))
    if not services.read_only:
        options.append(Option(ctx._("Open a new ballot"), "ballotnew:"))
    return ctx.reply("\n".join(lines), options)


def _offer(ctx: Context, mine: UnitRound) -> Reply:
    """A unit's officer's view of one open round: vote, or why not."""
    stored = mine.round
    title = title_name(stored.ballot.title, ctx.services.cluster_year.cluster, ctx._)
    if mine.standing is UnitStanding.VOTED:
        return ctx.reply(
            ctx._("Your unit has voted in round {round} of the vote for {title}.").format(
                round=stored.number, title=title
            )
        )
    if mine.standing is UnitStanding.NOT_CASTER:
        return ctx.reply(ctx._(CASTER_ONLY))
    options = [Option(ctx._("Vote"), f"ballot:{stored.id}")]
    options += [
        Option(
            ctx._("Let {name} vote for the unit").format(name=colleague.name),
            f"ballotdelegate:{stored.ballot.id}:{colleague.officer_id}",
        )
        for colleague in mine.colleagues
    ]
    return ctx.reply(
        ctx._("Round {round} of the vote for {title} is open for your unit.").format(
            round=stored.number, title=title
        ),
        options,
    )


# The chair: close early, decide after the last round, name nobody's choice ---------------


@voting_router.option("ballotclose", access=Access.MANAGER)
async def close_round_now(ctx: Context) -> list[Reply]:
    assert ctx.actor is not None
    round_id, _, confirmed = (ctx.choice or "").partition(":")
    closed = await close_now(ctx.services, ctx.actor, row_id(round_id), confirmed == "yes")
    if closed is VoteRefusal.NO_QUORUM:
        return [
            ctx.reply(
                ctx._(
                    "Not yet: a round is closed early only when every unit, or the quorum the "
                    "rules set, has voted. /bophieu shows the turnout."
                )
            )
        ]
    if isinstance(closed, VoteRefusal):
        return [ctx.reply(ctx._("That round is closed already."))]
    if isinstance(closed, CloseConfirm):
        text = ctx._(
            "{voted} of {units} units have voted. Close the round now and count these {voted} "
            "ballots? The units that have not voted can no longer vote in it."
        ).format(voted=closed.voted, units=closed.units)
        confirm = Option(ctx._("Close and count now"), f"ballotclose:{closed.round.id}:yes")
        return [ctx.reply(text, [confirm])]
    if isinstance(closed, VoidRound):
        return [
            ctx.reply(
                ctx._(VOID).format(
                    cast=closed.cast,
                    units=len(closed.round.ballot.electorate),
                    minimum=closed.minimum,
                )
            )
        ]
    return [ctx.reply(ctx._("The round is closed; the results are on their way to every officer."))]


@voting_router.option("ballotdecide", access=Access.MANAGER)
async def confirm_by_record(ctx: Context) -> list[Reply]:
    assert ctx.actor is not None
    elected = await decide_by_record(ctx.services, ctx.actor, row_id(ctx.choice))
    if isinstance(elected, VoteRefusal):
        return [ctx.reply(ctx._(STALE))]
    cluster = ctx.services.cluster_year.cluster
    names = ", ".join(unit_label(cluster, c, ctx._) for c in elected)
    return [ctx.reply(ctx._("Recorded. Elected: {names}").format(names=names))]


@voting_router.option("ballotdelegate", access=Access.OFFICER)
async def let_colleague_vote(ctx: Context) -> list[Reply]:
    assert ctx.actor is not None
    ballot_id, _, officer_id = (ctx.choice or "").partition(":")
    named = await name_delegate(ctx.services, ctx.actor, row_id(ballot_id), row_id(officer_id))
    if isinstance(named, VoteRefusal):
        return [ctx.reply(ctx._(STALE))]
    return [ctx.reply(ctx._("{name} may now cast your unit's ballot.").format(name=named.name))]


# Opening a ballot (the chair) ---------------------------------------------------------------


@voting_router.option("ballotnew", access=Access.MANAGER)
async def new_ballot(ctx: Context) -> list[Reply]:
    if ctx.conversation is not None:
        return [ctx.reply(ctx._("Please finish or cancel (/huy) what you are doing first."))]
    ctx.begin(NEW_BALLOT_FLOW.name, "title")
    return await _title_prompt(ctx)


async def _title_prompt(ctx: Context) -> list[Reply]:
    options = [
        ctx.step_option(title_name(t, ctx.services.cluster_year.cluster, ctx._), t.value)
        for t in Title
    ]
    return [ctx.reply(ctx._("What is the ballot for?"), options)]


async def _title(ctx: Context) -> list[Reply]:
    if ctx.choice not in {t.value for t in Title}:
        return [ctx.reply(ctx._("Please choose one of the options above."))]
    title = Title(ctx.choice)
    candidates = await proposed_candidates(ctx.services, title)
    ctx.data.update(title=title.value, candidates=list(candidates), seats=1)
    ctx.goto("candidates")
    return []


async def _candidates_prompt(ctx: Context) -> list[Reply]:
    cluster = ctx.services.cluster_year.cluster
    names = "\n".join(
        f"{n}. {unit_label(cluster, c, ctx._)}" for n, c in enumerate(ctx.data["candidates"], 1)
    )
    text = "\n".join(
        (
            ctx._("Candidates, in this order:"),
            names,
            ctx._("Keep them, or type the unit codes of the candidates in order (e.g. MA DB)."),
        )
    )
    return [ctx.reply(text, [ctx.step_option(ctx._("Keep these candidates"), "keep")])]


async def _candidates(ctx: Context) -> list[Reply]:
    if ctx.choice == "keep":
        ctx.goto("seats")
        return []
    cluster = ctx.services.cluster_year.cluster
    typed = ctx.inbound.text.replace(",", " ").upper().split()[:50]
    codes = list(dict.fromkeys(typed))
    unknown = [c for c in codes if cluster.unit(c) is None]
    if not codes or unknown:
        known = ", ".join(u.code for u in cluster.units)
        return [
            ctx.reply(
                ctx._("Please type unit codes of this cluster ({known}).").format(known=known)
            )
        ]
    ctx.data["candidates"] = codes
    ctx.prompt_again()
    return []


async def _seats_prompt(ctx: Context) -> list[Reply]:
    most = len(ctx.data["candidates"])
    options = [
        ctx.step_option(ctx._("{count} unit(s)").format(count=n), str(n))
        for n in range(1, min(most, 5) + 1)
    ]
    return [
        ctx.reply(
            ctx._("How many units does the ballot elect (1 to {most})?").format(most=most),
            options,
        )
    ]


async def _seats(ctx: Context) -> list[Reply]:
    typed = ctx.choice or fold(ctx.inbound.text)
    most = len(ctx.data["candidates"])
    if not (typed.isascii() and typed.isdigit() and 1 <= int(typed) <= most):
        return [ctx.reply(ctx._("Please give a number from 1 to {most}.").format(most=most))]
    ctx.data["seats"] = int(typed)
    ctx.goto("closes")
    return []


async def _closes_prompt(ctx: Context) -> list[Reply]:
    options = [ctx.step_option(ctx._("In {hours} hours").format(hours=h), str(h)) for h in HOURS]
    text = ctx._("When does the vote close? Choose, or type a number of hours (1 to {most}).")
    return [ctx.reply(text.format(most=MAX_HOURS), options)]


async def _closes(ctx: Context) -> list[Reply]:
    typed = (ctx.choice or fold(ctx.inbound.text)).split()[:1]
    hours = typed[0] if typed else ""
    if not (hours.isascii() and hours.isdigit() and 1 <= int(hours) <= MAX_HOURS):
        return [
            ctx.reply(
                ctx._("Please give a number of hours from 1 to {most}.").format(most=MAX_HOURS)
            )
        ]
    ctx.data["hours"] = int(hours)
    ctx.goto("confirm")
    return []


async def _confirm_prompt(ctx: Context) -> list[Reply]:
    services = ctx.services
    cluster = services.cluster_year.cluster
    rule = cluster.election
    closes = services.clock.now() + timedelta(hours=ctx.data["hours"])
    share = round(rule.share * 100)
    lines = [
        ctx._("Ballot for {title}:").format(
            title=title_name(Title(ctx.data["title"]), ctx.services.cluster_year.cluster, ctx._)
        ),
        *(f"{n}. {unit_label(cluster, c, ctx._)}" for n, c in enumerate(ctx.data["candidates"], 1)),
        ctx._("Elects {seats}; every unit of the cluster ({units}) votes; closes at {at}.").format(
            seats=ctx.data["seats"],
            units=len(cluster.units),
            at=local_datetime(closes, cluster.timezone),
        ),
        (
            ctx._("Elected with more than {share} % of the units' votes; at most {rounds} rounds.")
            if rule.strictly_more
            else ctx._(
                "Elected with at least {share} % of the units' votes; at most {rounds} rounds."
            )
        ).format(share=share, rounds=rule.max_rounds),
    ]
    options = [
        ctx.step_option(ctx._("Open the vote"), "open"),
        ctx.step_option(ctx._("Cancel"), "cancel"),
    ]
    return [ctx.reply("\n".join(lines), options)]


async def _confirm(ctx: Context) -> list[Reply]:
    if ctx.choice == "cancel":
        ctx.finish()
        return [ctx.reply(ctx._("Cancelled. No vote was opened."))]
    if ctx.choice != "open":
        return [ctx.reply(ctx._("Please choose one of the options above."))]
    assert ctx.actor is not None
    new = NewBallot(
        Title(ctx.data["title"]),
        tuple(ctx.data["candidates"]),
        ctx.data["seats"],
        ctx.data["hours"],
    )
    ctx.finish()
    opened = await open_vote(ctx.services, ctx.actor, new)
    if isinstance(opened, VoteRefusal):
        minimum = ctx.services.cluster_year.cluster.election.min_ballots
        return [
            ctx.reply(
                ctx._(
                    "No vote was opened: a count needs at least {minimum} ballots to stay "
                    "secret, and the cluster has fewer units."
                ).format(minimum=minimum)
            )
        ]
    return [
        ctx.reply(
            ctx._("The vote is open: the ballot is on its way to {count} chat(s).").format(
                count=opened.queued
            )
        )
    ]


NEW_BALLOT_FLOW = voting_router.flow(
    Flow(
        name="ballotnew",
        title=N_("the ballot to open"),
        first="title",
        access=Access.MANAGER,
        steps={
            "title": Step(prompt=_title_prompt, handle=_title),
            "candidates": Step(prompt=_candidates_prompt, handle=_candidates),
            "seats": Step(prompt=_seats_prompt, handle=_seats),
            "closes": Step(prompt=_closes_prompt, handle=_closes),
            "confirm": Step(prompt=_confirm_prompt, handle=_confirm),
        },
    )
)


# Voting (a unit's primary officer or delegate) ----------------------------------------------


async def _voting_round(ctx: Context, round_id: int) -> StoredRound | Reply:
    """The open round a unit's officer may cast in, or the polite answer why not."""
    assert ctx.actor is not None
    found = await ballot_round(ctx.services, ctx.actor, round_id)
    return ctx.reply(ctx._(REFUSALS[found])) if isinstance(found, VoteRefusal) else found


@voting_router.option("ballot", access=Access.OFFICER)
async def open_ballot(ctx: Context) -> list[Reply]:
    found = await _voting_round(ctx, row_id(ctx.choice))
    if isinstance(found, Reply):
        return [found]
    if ctx.conversation is not None and ctx.conversation.flow != BALLOT_DRAFT:
        return [ctx.reply(ctx._("Please finish or cancel (/huy) what you are doing first."))]
    assert ctx.actor is not None
    ctx.begin(BALLOT_DRAFT, "pick", {"round": found.id, "unit": ctx.actor.unit_code, "ticks": ""})
    return await _pick_prompt(ctx)


def _unshown(ctx: Context, reply: Reply) -> Reply:
    """A reply that shows the draft's ticks: if it cannot be sent at once, the outbox keeps
    only a stand-in that offers to show the draft again."""
    stand_in = ctx.reply(
        ctx._("Your unit's ballot is kept as a draft. Press to see it again."),
        [ctx.resume_option(ctx._("Show my ballot"))],
    )
    return replace(reply, deferred_as=stand_in)


def _ticked(ctx: Context, picked: tuple[str, ...]) -> str:
    cluster = ctx.services.cluster_year.cluster
    return "\n".join(f"☑ {unit_label(cluster, c, ctx._)}" for c in picked)


async def _pick_prompt(ctx: Context) -> list[Reply]:
    found = await _voting_round(ctx, ctx.data["round"])
    if isinstance(found, Reply):
        ctx.finish()
        return [found]
    cluster = ctx.services.cluster_year.cluster
    picked = await draft_ticks(ctx.services, found, ctx.data["ticks"])
    options = [ctx.step_option(unit_label(cluster, c, ctx._), c) for c in found.candidates]
    options.append(ctx.step_option(ctx._("Review and cast"), "review"))
    text = ctx._(
        "Tick at most {seats} candidate(s) for {title} (choose again to untick), then review."
    ).format(
        seats=found.seats,
        title=title_name(found.ballot.title, ctx.services.cluster_year.cluster, ctx._),
    )
    ticked = _ticked(ctx, picked) if picked else ctx._("Nothing ticked yet.")
    return [_unshown(ctx, ctx.reply(f"{text}\n{ticked}", options))]


async def _pick(ctx: Context) -> list[Reply]:
    found = await _voting_round(ctx, ctx.data["round"])
    if isinstance(found, Reply):
        ctx.finish()
        return [found]
    if ctx.choice == "review":
        ctx.goto("preview")
        return []
    if ctx.choice not in found.candidates:
        return [ctx.reply(ctx._("Please choose one of the options above."))]
    before = await draft_ticks(ctx.services, found, ctx.data["ticks"])
    picked = tuple(c for c in before if c != ctx.choice)
    if len(picked) == len(before):
        picked = (*picked, ctx.choice)
    ctx.prompt_again()  # the menu again, with its ticks
    if check_choice(found.as_ballot, picked) is ChoiceProblem.TOO_MANY:
        return [
            ctx.reply(
                ctx._("At most {seats} candidate(s): untick one first.").format(seats=found.seats)
            )
        ]
    ctx.data["ticks"] = await seal_ticks(ctx.services, found, picked)
    return []


async def _preview_prompt(ctx: Context) -> list[Reply]:
    found = await _voting_round(ctx, ctx.data["round"])
    if isinstance(found, Reply):
        ctx.finish()
        return [found]
    picked = await draft_ticks(ctx.services, found, ctx.data["ticks"])
    text = (
        ctx._("Your unit's ballot:") + "\n" + _ticked(ctx, picked)
        if picked
        else ctx._("Your unit's ballot is blank (no candidate ticked).")
    )
    text += "\n" + ctx._("Once cast it cannot be changed.")
    options = [
        ctx.step_option(ctx._("Cast the ballot"), "cast"),
        ctx.step_option(ctx._("Change it"), "change"),
    ]
    return [_unshown(ctx, ctx.reply(text, options))]


async def _preview(ctx: Context) -> list[Reply]:
    if ctx.choice == "change":
        ctx.goto("pick")
        return []
    if ctx.choice != "cast":
        return [ctx.reply(ctx._("Please choose one of the options above."))]
    services, actor, inbound = ctx.services, ctx.actor, ctx.inbound
    assert actor is not None and actor.unit_code is not None
    found = await _voting_round(ctx, ctx.data["round"])
    if isinstance(found, Reply):
        ctx.finish()
        return [found]
    picked = await draft_ticks(services, found, ctx.data["ticks"])
    person = Person(inbound.channel, inbound.chat_id, inbound.user_id)
    cast = await cast_ballot(services, actor, found.id, picked, person, ctx.writes)
    if cast is VoteRefusal.INVALID_CHOICE:
        ctx.goto("pick")
        return []
    ctx.finish()
    if isinstance(cast, VoteRefusal):
        return [ctx.reply(ctx._(REFUSALS[cast]))]
    cluster = services.cluster_year.cluster
    receipt = ctx._(
        "Thank you: the ballot of {unit} for {title} (round {round}) is in the box ({when}). "
        "It is secret and final."
    ).format(
        unit=unit_label(cluster, actor.unit_code, ctx._),
        title=title_name(cast.round.ballot.title, ctx.services.cluster_year.cluster, ctx._),
        round=cast.round.number,
        when=local_datetime(cast.at, cluster.timezone),
    )
    return [ctx.reply(receipt).as_result()]


BALLOT_FLOW = voting_router.flow(
    Flow(
        name=BALLOT_DRAFT,
        title=N_("your unit's ballot"),
        first="pick",
        access=Access.OFFICER,
        offer_after_restart=True,
        steps={
            "pick": Step(prompt=_pick_prompt, handle=_pick),
            "preview": Step(prompt=_preview_prompt, handle=_preview),
        },
    )
)
