"""/kiemtra: the cross-inspection round (kiểm tra chéo).

The chair creates it (flow ``inspection``: the proposed pairs — each unit inspects one other,
nobody itself, no two each other, last years' pairs avoided — swapped by typing two unit codes,
then the date the minutes are due, then a preview); each inspecting unit is told, and its
minutes are a deliverable of the year's plan, sent with /nopbaocao. The inspected unit is told
when minutes about it arrive and may answer (flow ``inspectionanswer``)."""

from __future__ import annotations

from datetime import date, datetime

from bot.domain.access import Access
from bot.domain.cluster import Cluster
from bot.domain.formatting import short_date
from bot.domain.messages import Reply
from bot.domain.pairing import Pair, PairingProblem, swap
from bot.domain.strings import row_id
from bot.engine.context import Context
from bot.engine.conversation import Flow, Step
from bot.engine.router import Router
from bot.i18n import N_, Translator
from bot.texts.roles import Leader, title_of, unit_label
from bot.usecases.cross_inspection import (
    answerable_round,
    inspection_status,
    open_round,
    proposed_pairs,
    record_answer,
    repeats_earlier_years,
    reviewed_by_someone,
)

__all__ = ["ANSWER_FLOW", "INSPECTION_FLOW", "inspection_router"]

inspection_router = Router("inspection")

PROBLEMS = {
    PairingProblem.UNKNOWN_UNIT: N_("Please type two unit codes of this cluster."),
    PairingProblem.SAME_UNIT: N_("Please type two different units."),
    PairingProblem.NOT_ONE_EACH: N_("Every unit must inspect exactly one other."),
    PairingProblem.SELF: N_("That swap would make a unit inspect itself."),
    PairingProblem.MUTUAL: N_("That swap would make two units inspect each other."),
}


@inspection_router.command(
    "kiemtra",
    "inspection",
    access=Access.REGISTERED,
    description=N_("the cross-inspection round: the pairs, the minutes, the answers"),
    private=True,
)
async def inspection(ctx: Context) -> list[Reply]:
    services, actor = ctx.services, ctx.actor
    assert actor is not None
    status = await inspection_status(services)
    if status is None:
        if not actor.can_manage or services.read_only:
            return [ctx.reply(ctx._("No cross-inspection round has been set up this year."))]
        if ctx.conversation is not None:
            return [ctx.reply(ctx._("Please finish or cancel (/huy) what you are doing first."))]
        drafted = [[p.inspector, p.inspected] for p in await proposed_pairs(services)]
        ctx.begin(INSPECTION_FLOW.name, "pairs", {"pairs": drafted})
        return await _pairs_prompt(ctx)
    cluster = services.cluster_year.cluster
    lines = [
        ctx._("Cross-inspection {year}: minutes due by {due}.").format(
            year=services.year.year, due=short_date(status.due)
        )
    ]
    for progress in status.pairs:
        mark = "✅" if progress.sent else "⏳"
        lines.append(f"{mark} " + _pair_line(ctx._, cluster, progress.pair))
    for answer in status.answers:
        lines.append(
            ctx._("💬 {unit} answered: {text}").format(
                unit=unit_label(cluster, answer.unit_code, ctx._), text=answer.text
            )
        )
    return [ctx.reply("\n".join(lines))]


def _pair_line(_: Translator, cluster: Cluster, pair: Pair) -> str:
    return _("{inspector} inspects {inspected}").format(
        inspector=unit_label(cluster, pair.inspector, _),
        inspected=unit_label(cluster, pair.inspected, _),
    )


def _pairs(ctx: Context) -> tuple[Pair, ...]:
    return tuple(Pair(a, b) for a, b in ctx.data["pairs"])


async def _pairs_prompt(ctx: Context) -> list[Reply]:
    services = ctx.services
    cluster = services.cluster_year.cluster
    pairs = _pairs(ctx)
    lines = [ctx._("Proposed pairs:")]
    lines += [f"{n}. " + _pair_line(ctx._, cluster, p) for n, p in enumerate(pairs, 1)]
    if await repeats_earlier_years(services, pairs):
        lines.append(ctx._("Some pairs repeat an earlier year's."))
    lines.append(ctx._("Keep them, or type two unit codes (e.g. MA DB) to swap whom they inspect."))
    return [ctx.reply("\n".join(lines), [ctx.step_option(ctx._("Keep these pairs"), "keep")])]


async def _pairs_answer(ctx: Context) -> list[Reply]:
    if ctx.choice == "keep":
        ctx.goto("due")
        return []
    typed = ctx.inbound.text.replace(",", " ").upper().split()[:3]
    ctx.prompt_again()  # the pairs again, swapped or not
    if len(typed) != 2:
        return [ctx.reply(ctx._(PROBLEMS[PairingProblem.UNKNOWN_UNIT]))]
    swapped = swap(_pairs(ctx), typed[0], typed[1])
    if isinstance(swapped, PairingProblem):
        return [ctx.reply(ctx._(PROBLEMS[swapped]))]
    ctx.data["pairs"] = [[p.inspector, p.inspected] for p in swapped]
    return []


async def _due_prompt(ctx: Context) -> list[Reply]:
    return [
        ctx.reply(
            ctx._("By which date are the minutes due? (e.g. 30/11/{year})").format(
                year=ctx.services.year.year
            )
        )
    ]


def _typed_date(text: str) -> date | None:
    try:
        return datetime.strptime(text.strip()[:10], "%d/%m/%Y").date()
    except ValueError:
        return None


async def _due(ctx: Context) -> list[Reply]:
    due = _typed_date(ctx.inbound.text)
    if due is None or due < ctx.today():
        return [ctx.reply(ctx._("Please type a date from today on, as day/month/year."))]
    ctx.data["due"] = due.isoformat()
    ctx.goto("confirm")
    return []


async def _confirm_prompt(ctx: Context) -> list[Reply]:
    cluster = ctx.services.cluster_year.cluster
    lines = [
        ctx._("Cross-inspection round, minutes due by {due}:").format(
            due=short_date(date.fromisoformat(ctx.data["due"]))
        )
    ]
    lines += [_pair_line(ctx._, cluster, p) for p in _pairs(ctx)]
    options = [
        ctx.step_option(ctx._("Set up the round"), "open"),
        ctx.step_option(ctx._("Cancel"), "cancel"),
    ]
    return [ctx.reply("\n".join(lines), options)]


async def _confirm(ctx: Context) -> list[Reply]:
    if ctx.choice == "cancel":
        ctx.finish()
        return [ctx.reply(ctx._("Cancelled."))]
    if ctx.choice != "open":
        return [ctx.reply(ctx._("Please choose one of the options above."))]
    assert ctx.actor is not None
    pairs, due = _pairs(ctx), date.fromisoformat(ctx.data["due"])
    ctx.finish()
    await open_round(ctx.services, ctx.actor, pairs, due)
    return [ctx.reply(ctx._("The round is set up: every inspecting unit has been told."))]


INSPECTION_FLOW = inspection_router.flow(
    Flow(
        name="inspection",
        title=N_("the cross-inspection round"),
        first="pairs",
        access=Access.MANAGER,
        steps={
            "pairs": Step(prompt=_pairs_prompt, handle=_pairs_answer),
            "due": Step(prompt=_due_prompt, handle=_due),
            "confirm": Step(prompt=_confirm_prompt, handle=_confirm),
        },
    )
)


@inspection_router.option("inspectanswer", access=Access.OFFICER)
async def answer_start(ctx: Context) -> list[Reply]:
    assert ctx.actor is not None
    round_id = row_id(ctx.choice)
    if not await answerable_round(ctx.services, ctx.actor, round_id):
        return [ctx.reply(ctx._("That choice is no longer valid. Please use the latest message."))]
    if ctx.conversation is not None:
        return [ctx.reply(ctx._("Please finish or cancel (/huy) what you are doing first."))]
    ctx.begin(ANSWER_FLOW.name, "text", {"round": round_id})
    return await _answer_prompt(ctx)


async def _answer_prompt(ctx: Context) -> list[Reply]:
    return [ctx.reply(ctx._("Type your unit's explanation of the inspection's findings."))]


async def _answer(ctx: Context) -> list[Reply]:
    text = ctx.inbound.text.strip()[:3500]
    if not text:
        return [ctx.reply(ctx._("Please type the explanation."))]
    assert ctx.actor is not None and ctx.actor.unit_code is not None
    await record_answer(ctx.services, ctx.actor, ctx.data["round"], text)
    ctx.finish()
    if ctx.actor.unit_code == ctx.services.cluster_year.cluster.chair:
        told = ctx._(
            "Thank you: your explanation is recorded, and those who review the chair unit "
            "(the deputy unit or the province board) are told."
        )
        if not await reviewed_by_someone(ctx.services, ctx.actor.unit_code):
            told = ctx._(
                "Thank you: your explanation is recorded. Nobody reviews the chair unit yet "
                "(no deputy unit or province board officer is registered): it waits for them."
            )
        return [ctx.reply(told)]
    chair = title_of(ctx.services.cluster_year.cluster, Leader.CHAIR, ctx._)
    return [
        ctx.reply(
            ctx._("Thank you: your explanation is recorded and the {chair} is told.").format(
                chair=chair
            )
        )
    ]


ANSWER_FLOW = inspection_router.flow(
    Flow(
        name="inspectionanswer",
        title=N_("your answer to the cross-inspection"),
        first="text",
        access=Access.OFFICER,
        steps={"text": Step(prompt=_answer_prompt, handle=_answer)},
    )
)
