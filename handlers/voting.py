"""/bophieu: the year-end vote (bình xét, suy tôn) in chat, secret by design.

The chair opens a ballot (flow ``ballotnew``: title → candidates, by default the eligible units
in ranking order → how many to elect → closing time → preview); every unit's officers get it.
A unit's primary officer, or the delegate it names, ticks candidates (flow ``ballot``), sees a
preview and casts; the cast is final and the draft, menus and buttons go with it (see
``storage.ballots``). The chair sees the turnout — never a unit's choice — and may close early;
the close counts, applies the cluster-year's rule and opens a second round where needed.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.domain.access import Access, Actor
from bot.domain.ballots import (
    ChoiceProblem,
    OutcomeStatus,
    Title,
    check_choice,
    decide,
    default_candidates,
)
from bot.domain.formatting import local_datetime
from bot.domain.messages import Option, Reply
from bot.domain.text import fold
from bot.engine.context import Context
from bot.engine.conversation import Flow, Step
from bot.engine.router import Router
from bot.i18n import N_
from bot.services.ranking_data import load_ranking
from bot.services.voting import (
    TITLE_NAMES,
    close_round,
    outcome,
    send_ballot,
)
from bot.texts.roles import unit_label
from storage.ballots import Person, StoredRound

__all__ = ["BALLOT_FLOW", "NEW_BALLOT_FLOW", "voting_router"]

log = logging.getLogger(__name__)

voting_router = Router("voting")

HOURS = (2, 24, 72)
"""The closing times offered, in hours from now; any other number of hours may be typed."""
MAX_HOURS = 30 * 24


@voting_router.command(
    "bophieu",
    "vote",
    access=Access.OFFICER,
    description=N_("the year-end vote: open a ballot, vote for your unit, see the turnout"),
    private=True,
)
async def vote(ctx: Context) -> list[Reply]:
    actor, services = ctx.actor, ctx.services
    assert actor is not None
    rounds = await services.ballots.open_rounds()
    replies: list[Reply] = []
    if actor.can_manage:
        replies.append(await _turnout(ctx, rounds))
    for stored in rounds:
        if actor.unit_code in stored.ballot.electorate:
            replies.append(await _offer(ctx, stored))
    if not replies:
        replies.append(ctx.reply(ctx._("No vote is open now.")))
    return replies


async def _turnout(ctx: Context, rounds: list[StoredRound]) -> Reply:
    """What the chair sees: per open round who has voted, never what; close, decide, open."""
    services = ctx.services
    cluster = services.cluster_year.cluster
    lines: list[str] = []
    options: list[Option] = []
    for stored in rounds:
        voted = await services.ballots.voters(stored.id)
        lines.append(
            ctx._(
                "Vote for {title}, round {round}: {voted}/{units} units voted, closes {at}."
            ).format(
                title=ctx._(TITLE_NAMES[stored.ballot.title]),
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
        options.append(
            Option(
                ctx._("Close round {round} of {title} now").format(
                    round=stored.number, title=ctx._(TITLE_NAMES[stored.ballot.title])
                ),
                f"ballotclose:{stored.id}",
            )
        )
    for stored in await _awaiting_decision(ctx):
        result = await outcome(services, stored)
        lines.append(
            ctx._("{title}: the chair and deputy decide (by the record: {names}).").format(
                title=ctx._(TITLE_NAMES[stored.ballot.title]),
                names=", ".join(unit_label(cluster, c, ctx._) for c in result.by_record),
            )
        )
        options.append(
            Option(ctx._("Confirm the units by the record"), f"ballotdecide:{stored.id}")
        )
    if not lines:
        lines.append(ctx._("No vote is open now."))
    if not services.read_only:
        options.append(Option(ctx._("Open a new ballot"), "ballotnew:"))
    return ctx.reply("\n".join(lines), options)


async def _awaiting_decision(ctx: Context) -> list[StoredRound]:
    last: dict[int, StoredRound] = {}
    for stored in await ctx.services.ballots.rounds():
        last[stored.ballot.id] = stored
    waiting = []
    for stored in last.values():
        if stored.closed_at is None or stored.ballot.decided is not None:
            continue
        if (await outcome(ctx.services, stored)).status is OutcomeStatus.DECISION:
            waiting.append(stored)
    return waiting


def _may_cast(actor: Actor, delegate: int | None) -> bool:
    return actor.officer_id == delegate if delegate is not None else actor.is_primary


async def _offer(ctx: Context, stored: StoredRound) -> Reply:
    """A unit's officer's view of one open round: vote, or why not."""
    actor, services = ctx.actor, ctx.services
    assert actor is not None and actor.unit_code is not None
    title = ctx._(TITLE_NAMES[stored.ballot.title])
    if actor.unit_code in await services.ballots.voters(stored.id):
        return ctx.reply(
            ctx._("Your unit has voted in round {round} of the vote for {title}.").format(
                round=stored.number, title=title
            )
        )
    if not _may_cast(actor, await services.ballots.delegate(stored.ballot.id, actor.unit_code)):
        return ctx.reply(_caster_only(ctx))
    options = [Option(ctx._("Vote"), f"ballot:{stored.id}")]
    others = [
        o
        for o in await services.officers.active()
        if o.unit_code == actor.unit_code and o.id != actor.officer_id
    ]
    if actor.is_primary:
        options += [
            Option(
                ctx._("Let {name} vote for the unit").format(name=o.name),
                f"ballotdelegate:{stored.ballot.id}:{o.id}",
            )
            for o in others[:5]
        ]
    return ctx.reply(
        ctx._("Round {round} of the vote for {title} is open for your unit.").format(
            round=stored.number, title=title
        ),
        options,
    )


def _caster_only(ctx: Context) -> str:
    return ctx._(
        "Your unit's ballot is cast by its primary officer, or by the officer they name for it."
    )


# The chair: close early, decide after the last round, name nobody's choice ---------------


@voting_router.option("ballotclose", access=Access.MANAGER)
async def close_now(ctx: Context) -> list[Reply]:
    services, actor = ctx.services, ctx.actor
    assert actor is not None
    stored = await services.ballots.round(
        int(ctx.choice or 0) if (ctx.choice or "").isdigit() else 0
    )
    if stored is None or stored.closed_at is not None:
        return [ctx.reply(ctx._("That round is closed already."))]
    await close_round(services, stored, actor.officer_id, services.clock.now())
    return [ctx.reply(ctx._("The round is closed; the results are on their way to every officer."))]


@voting_router.option("ballotdecide", access=Access.MANAGER)
async def decide_by_record(ctx: Context) -> list[Reply]:
    services, actor = ctx.services, ctx.actor
    assert actor is not None
    waiting = {str(r.id): r for r in await _awaiting_decision(ctx)}
    stored = waiting.get(ctx.choice or "")
    if stored is None:
        return [ctx.reply(ctx._("That choice is no longer valid. Please use the latest message."))]
    result = await outcome(services, stored)
    await services.ballots.decide(
        stored.ballot.id, result.by_record, actor.officer_id, services.clock.now()
    )
    cluster = services.cluster_year.cluster
    names = ", ".join(unit_label(cluster, c, ctx._) for c in decide(result, result.by_record))
    return [ctx.reply(ctx._("Recorded. Elected: {names}").format(names=names))]


@voting_router.option("ballotdelegate", access=Access.OFFICER)
async def name_delegate(ctx: Context) -> list[Reply]:
    services, actor = ctx.services, ctx.actor
    assert actor is not None
    ballot_id, _, officer_id = (ctx.choice or "").partition(":")
    delegate = await services.officers.get(int(officer_id)) if officer_id.isdigit() else None
    rounds = [r for r in await services.ballots.open_rounds() if str(r.ballot.id) == ballot_id]
    if (
        not actor.is_primary
        or not rounds
        or delegate is None
        or delegate.unit_code != actor.unit_code
    ):
        return [ctx.reply(ctx._("That choice is no longer valid. Please use the latest message."))]
    await services.ballots.name_delegate(
        rounds[0].ballot.id,
        actor.unit_code or "",
        delegate.id,
        actor.officer_id,
        services.clock.now(),
    )
    return [ctx.reply(ctx._("{name} may now cast your unit's ballot.").format(name=delegate.name))]


# Opening a ballot (the chair) ---------------------------------------------------------------


@voting_router.option("ballotnew", access=Access.MANAGER)
async def new_ballot(ctx: Context) -> list[Reply]:
    if ctx.conversation is not None:
        return [ctx.reply(ctx._("Please finish or cancel (/huy) what you are doing first."))]
    ctx.begin(NEW_BALLOT_FLOW.name, "title")
    return await _title_prompt(ctx)


async def _title_prompt(ctx: Context) -> list[Reply]:
    options = [ctx.step_option(ctx._(TITLE_NAMES[t]), t.value) for t in Title]
    return [ctx.reply(ctx._("What is the ballot for?"), options)]


async def _title(ctx: Context) -> list[Reply]:
    if ctx.choice not in {t.value for t in Title}:
        return [ctx.reply(ctx._("Please choose one of the options above."))]
    title = Title(ctx.choice)
    services = ctx.services
    ranking = await load_ranking(services)
    units = [u.code for u in services.cluster_year.cluster.units]
    candidates = default_candidates(title, ranking.ranked if ranking else [], units)
    ctx.data.update(title=title.value, candidates=list(candidates or units), seats=1)
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
    options = [ctx.step_option(str(n), str(n)) for n in range(1, min(most, 5) + 1)]
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
        ctx._("Ballot for {title}:").format(title=ctx._(TITLE_NAMES[Title(ctx.data["title"])])),
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
    services, actor = ctx.services, ctx.actor
    assert actor is not None
    cluster = services.cluster_year.cluster
    now = services.clock.now()
    try:
        round_id = await services.ballots.open(
            Title(ctx.data["title"]),
            tuple(ctx.data["candidates"]),
            ctx.data["seats"],
            cluster.election,
            frozenset(u.code for u in cluster.units),
            now + timedelta(hours=ctx.data["hours"]),
            actor.officer_id,
            now,
        )
    finally:
        ctx.finish()
    stored = await services.ballots.round(round_id)
    assert stored is not None
    queued = await send_ballot(services, stored)
    return [
        ctx.reply(
            ctx._("The vote is open: the ballot is on its way to {count} chat(s).").format(
                count=queued
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


async def _voting_round(ctx: Context, round_id: str) -> StoredRound | Reply:
    """The open round a unit's officer may cast in, or the polite answer why not."""
    actor, services = ctx.actor, ctx.services
    assert actor is not None
    stored = await services.ballots.round(int(round_id)) if round_id.isdigit() else None
    if stored is None or stored.closed_at is not None:
        return ctx.reply(ctx._("This vote is closed."))
    if actor.unit_code not in stored.ballot.electorate:
        return ctx.reply(ctx._("Your unit does not vote in this ballot."))
    if actor.unit_code in await services.ballots.voters(stored.id):
        return ctx.reply(
            ctx._(
                "Your unit has already voted in this round, thank you. A cast ballot is final, "
                "as on paper."
            )
        )
    if not _may_cast(actor, await services.ballots.delegate(stored.ballot.id, actor.unit_code)):
        return ctx.reply(_caster_only(ctx))
    return stored


@voting_router.option("ballot", access=Access.OFFICER)
async def open_ballot(ctx: Context) -> list[Reply]:
    found = await _voting_round(ctx, ctx.choice or "")
    if isinstance(found, Reply):
        return [found]
    if ctx.conversation is not None and ctx.conversation.flow != BALLOT_FLOW.name:
        return [ctx.reply(ctx._("Please finish or cancel (/huy) what you are doing first."))]
    ctx.begin(BALLOT_FLOW.name, "pick", {"round": found.id, "picked": []})
    return await _pick_prompt(ctx)


async def _pick_prompt(ctx: Context) -> list[Reply]:
    found = await _voting_round(ctx, str(ctx.data["round"]))
    if isinstance(found, Reply):
        ctx.finish()
        return [found]
    cluster = ctx.services.cluster_year.cluster
    picked = set(ctx.data["picked"])
    options = [
        ctx.step_option(("☑ " if c in picked else "☐ ") + unit_label(cluster, c, ctx._), c)
        for c in found.candidates
    ]
    options.append(ctx.step_option(ctx._("Review and cast"), "review"))
    text = ctx._(
        "Tick at most {seats} candidate(s) for {title} (choose again to untick), then review."
    ).format(seats=found.seats, title=ctx._(TITLE_NAMES[found.ballot.title]))
    return [ctx.reply(text, options)]


async def _pick(ctx: Context) -> list[Reply]:
    found = await _voting_round(ctx, str(ctx.data["round"]))
    if isinstance(found, Reply):
        ctx.finish()
        return [found]
    if ctx.choice == "review":
        ctx.goto("preview")
        return []
    if ctx.choice not in found.candidates:
        return [ctx.reply(ctx._("Please choose one of the options above."))]
    picked = [c for c in ctx.data["picked"] if c != ctx.choice]
    if len(picked) == len(ctx.data["picked"]):
        picked.append(ctx.choice)
    ctx.prompt_again()  # the menu again, with its ticks
    if check_choice(found.as_ballot, picked) is ChoiceProblem.TOO_MANY:
        return [
            ctx.reply(
                ctx._("At most {seats} candidate(s): untick one first.").format(seats=found.seats)
            )
        ]
    ctx.data["picked"] = picked
    return []


async def _preview_prompt(ctx: Context) -> list[Reply]:
    cluster = ctx.services.cluster_year.cluster
    picked = ctx.data["picked"]
    chosen = "\n".join(f"• {unit_label(cluster, c, ctx._)}" for c in picked)
    text = (
        ctx._("Your unit's ballot:") + "\n" + chosen
        if picked
        else ctx._("Your unit's ballot is blank (no candidate ticked).")
    )
    text += "\n" + ctx._("Once cast it cannot be changed.")
    options = [
        ctx.step_option(ctx._("Cast the ballot"), "cast"),
        ctx.step_option(ctx._("Change it"), "change"),
    ]
    return [ctx.reply(text, options)]


async def _preview(ctx: Context) -> list[Reply]:
    if ctx.choice == "change":
        ctx.goto("pick")
        return []
    if ctx.choice != "cast":
        return [ctx.reply(ctx._("Please choose one of the options above."))]
    found = await _voting_round(ctx, str(ctx.data["round"]))
    if isinstance(found, Reply):
        ctx.finish()
        return [found]
    services, actor, inbound = ctx.services, ctx.actor, ctx.inbound
    assert actor is not None and actor.unit_code is not None
    picked = tuple(ctx.data["picked"])
    if check_choice(found.as_ballot, picked) is not None:
        ctx.goto("pick")
        return []
    now = services.clock.now()
    person = Person(inbound.channel, inbound.chat_id, inbound.user_id)
    ctx.finish()
    if not await services.ballots.cast(
        found, actor.unit_code, picked, actor.officer_id, person, now
    ):
        return [ctx.reply(ctx._("Your unit has already voted in this round, thank you."))]
    log.info("ballot cast in round %s", found.id)
    cluster = services.cluster_year.cluster
    receipt = ctx._(
        "Thank you: the ballot of {unit} for {title} (round {round}) is in the box ({when}). "
        "It is secret and final."
    ).format(
        unit=unit_label(cluster, actor.unit_code, ctx._),
        title=ctx._(TITLE_NAMES[found.ballot.title]),
        round=found.number,
        when=local_datetime(now, cluster.timezone),
    )
    return [ctx.reply(receipt).as_result()]


BALLOT_FLOW = voting_router.flow(
    Flow(
        name="ballot",
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
