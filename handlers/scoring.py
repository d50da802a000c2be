"""/chamdiem: a unit scores itself against the scoring table, criterion by criterion.

Flow ``score``: ``criterion`` (one at a time, group by group; a file sent there is evidence, a
message starting with "ghi chú" a note; "Bỏ qua" skips) → ``bonus`` (whole-table bonuses) →
``review`` (running total, what is missing; send, or fix a criterion via ``pick``). The draft
lives in the conversation state, so a restart resumes with every value entered.
"""

from __future__ import annotations

from bot.domain.access import Access
from bot.domain.formatting import number
from bot.domain.messages import Reply
from bot.domain.score_sheet import SheetEntries
from bot.domain.scoring import ValueProblem, parse_value, points_for, unit_score
from bot.domain.scoring_table import Criterion, CriterionKind, ScoringTable
from bot.domain.text import fold
from bot.engine.context import Context
from bot.engine.conversation import Flow, Step
from bot.engine.router import Router
from bot.i18n import N_, Translator
from bot.texts.roles import Leader, title_of
from bot.usecases import self_scoring
from bot.usecases.self_scoring import Incomplete, Refusal, ScoringClosed

__all__ = ["SCORE_FLOW", "scoring_router"]

scoring_router = Router("scoring")

NOTE_PREFIXES = ("ghi chú", "ghi chu", "note")
RULES = {
    CriterionKind.QUANTITATIVE: N_(
        "Type the actual value ({unit}); the target {target} earns the full {max} points."
    ),
    CriterionKind.QUALITATIVE: N_("Met earns {max} points, not met 0."),
    CriterionKind.PER_OCCURRENCE: N_(
        "Type how many times; each earns {each} points, at most {max}."
    ),
    CriterionKind.BONUS_PENALTY: N_(
        "Type the points, from {min} to {max} (negative for deductions)."
    ),
}


def _chair(ctx: Context) -> str:
    return title_of(ctx.services.cluster_year.cluster, Leader.CHAIR, ctx._)


def _table(ctx: Context) -> ScoringTable:
    table = ctx.services.cluster_year.scoring
    assert table is not None
    return table


def _entries(ctx: Context) -> SheetEntries:
    return self_scoring.draft_entries(ctx.data)


def _keep(ctx: Context, entries: SheetEntries) -> None:
    ctx.data.update(self_scoring.draft_fields(entries))
    ctx.touch()


@scoring_router.command(
    "chamdiem",
    "score",
    access=Access.OFFICER,
    description=N_("self-score your unit"),
    private=True,
)
async def start_scoring(ctx: Context) -> list[Reply]:
    assert ctx.actor is not None
    opened = await self_scoring.open_scoring(ctx.services, ctx.actor)
    if isinstance(opened, ScoringClosed):
        return [ctx.reply(ctx._(opened.value).format(chair=_chair(ctx)))]
    sheet = opened.last
    if sheet is not None:
        fields = self_scoring.draft_fields(sheet.entries)
        ctx.begin(SCORE_FLOW.name, "review", {"i": 0, **fields, "version": sheet.version})
        return [
            ctx.reply(
                ctx._("Your last submitted scores are loaded: change what you need and send again.")
            )
        ] + await _review_prompt(ctx)
    ctx.begin(SCORE_FLOW.name, "criterion", {"i": 0, **self_scoring.draft_fields(SheetEntries())})
    return await _criterion_prompt(ctx)


# Step: criterion ------------------------------------------------------------------------------


def _current(ctx: Context) -> Criterion:
    return _table(ctx).criteria()[ctx.data["i"]]


def _rule(criterion: Criterion, _: Translator, language: str) -> str:
    return _(RULES[criterion.kind]).format(
        unit=criterion.unit,
        target=number(criterion.target or 0, language),
        max=number(criterion.max, language),
        each=number(criterion.points_each or 0, language),
        min=number(criterion.min, language),
    )


async def _criterion_prompt(ctx: Context) -> list[Reply]:
    table, criterion = _table(ctx), _current(ctx)
    group = table.group_of(criterion.code)
    lines = []
    if group.criteria()[0].code == criterion.code:
        lines.append(f"{group.code}. {group.name}")
    lines += [
        f"{criterion.code}. {criterion.name}",
        ctx._("Maximum {max} points.").format(max=number(criterion.max, ctx.language)),
        _rule(criterion, ctx._, ctx.language),
    ]
    entry = _entries(ctx).criteria.get(criterion.code)
    if entry is not None:
        lines.append(
            ctx._("Entered: {points} points.").format(points=number(entry.points, ctx.language))
        )
    lines.append(
        ctx._("A file sent now is kept as evidence; a message starting “ghi chú” as a note.")
    )
    options = []
    if criterion.kind is CriterionKind.QUALITATIVE:
        options += [ctx.step_option(ctx._("Met"), "1"), ctx.step_option(ctx._("Not met"), "0")]
    options += [ctx.step_option(ctx._("Skip"), "skip"), ctx.step_option(ctx._("Review"), "review")]
    numbered = criterion.kind is CriterionKind.QUALITATIVE
    return [Reply("\n".join(lines), tuple(options), numbered=numbered)]


async def _criterion(ctx: Context) -> list[Reply]:
    criterion = _current(ctx)
    if ctx.choice == "review":
        ctx.goto("review")
        return []
    if ctx.choice == "skip":
        return _advance(ctx)
    if ctx.inbound.files:
        return await _evidence(ctx, criterion)
    text = ctx.inbound.text.strip()
    if ctx.choice is None and fold(text).startswith(NOTE_PREFIXES):
        note = text.split(maxsplit=2)[-1] if len(text.split()) > 2 else ""
        _keep(ctx, _entries(ctx).noted(criterion.code, note[:1000]))
        return [ctx.reply(ctx._("Note kept for {code}.").format(code=criterion.code))]
    value = parse_value(criterion, ctx.choice if ctx.choice is not None else text)
    if isinstance(value, ValueProblem):
        return [ctx.reply(_problem(value, criterion, ctx))]
    points = points_for(criterion, value)
    _keep(ctx, _entries(ctx).scored(criterion.code, value, points))
    answer = ctx.reply(
        ctx._("{code}: {points} points.").format(
            code=criterion.code, points=number(points, ctx.language)
        )
    )
    return [answer, *_advance(ctx)]


def _problem(problem: ValueProblem, criterion: Criterion, ctx: Context) -> str:
    if problem.reason == "range" and problem.high != float("inf"):
        return ctx._(
            "That is outside the allowed range: from {low} to {high}. Please type again."
        ).format(low=number(problem.low, ctx.language), high=number(problem.high, ctx.language))
    if problem.reason == "range":
        return ctx._("The value cannot be negative. Please type again.")
    if problem.reason == "count":
        return ctx._("Please type a whole number of times (0, 1, 2…).")
    if problem.reason == "choose":
        return ctx._("Please choose Met or Not met.")
    return ctx._("Please type a number, for example 8,5.")


async def _evidence(ctx: Context, criterion: Criterion) -> list[Reply]:
    replies = []
    for incoming in ctx.inbound.files:
        taken = await self_scoring.keep_evidence(ctx.services, incoming.name, incoming.data)
        if isinstance(taken, Refusal):
            replies.append(ctx.reply(taken.text(ctx._)))
            continue
        _keep(ctx, _entries(ctx).with_evidence(criterion.code, taken))
        replies.append(
            ctx.reply(
                ctx._("Evidence {name} kept for {code}.").format(
                    name=taken.name, code=criterion.code
                )
            )
        )
    return replies


def _advance(ctx: Context) -> list[Reply]:
    """The next criterion, or the bonuses after the last one (or the review when fixing one)."""
    if ctx.data.pop("fixing", False):
        ctx.goto("review")
        return []
    if ctx.data["i"] + 1 < len(_table(ctx).criteria()):
        ctx.data["i"] += 1
        ctx.prompt_again()
        return []
    ctx.data["b"] = 0
    ctx.goto("bonus" if _table(ctx).bonuses else "review")
    return []


# Step: bonus ----------------------------------------------------------------------------------


async def _bonus_prompt(ctx: Context) -> list[Reply]:
    bonus = _table(ctx).bonuses[ctx.data["b"]]
    text = ctx._("Bonus: {name} (+{points} points). Does it apply to your unit?").format(
        name=bonus.name, points=number(bonus.points, ctx.language)
    )
    return [
        ctx.reply(text, [ctx.step_option(ctx._("Yes"), "1"), ctx.step_option(ctx._("No"), "0")])
    ]


async def _bonus(ctx: Context) -> list[Reply]:
    if ctx.choice not in ("0", "1"):
        return [ctx.reply(ctx._("Please answer Yes or No."))]
    table = _table(ctx)
    _keep(ctx, _entries(ctx).with_bonus(table.bonuses[ctx.data["b"]].code, ctx.choice == "1"))
    if ctx.data["b"] + 1 < len(table.bonuses):
        ctx.data["b"] += 1
        ctx.prompt_again()
        return []
    ctx.goto("review")
    return []


# Step: review ---------------------------------------------------------------------------------


async def _review_prompt(ctx: Context) -> list[Reply]:
    table, entries = _table(ctx), _entries(ctx)
    points = entries.scored_points()
    score = unit_score("", points, dict(entries.bonuses), reviewed=False)
    lines = [ctx._("Your self-score so far:")]
    for group in table.groups:
        subtotal = number(score.subtotal(table, group.code), ctx.language)
        lines.append(f"{group.code}. {group.name}: {subtotal}")
        for c in group.criteria():
            shown = number(points[c.code], ctx.language) if c.code in points else "—"
            lines.append(f"   {c.code}: {shown} / {number(c.max, ctx.language)}")
    for bonus in table.bonuses:
        mark = ctx._("yes") if entries.bonuses.get(bonus.code) else ctx._("no")
        lines.append(f"{bonus.code} {bonus.name}: {mark}")
    lines.append(
        ctx._("Total: {total} points").format(total=number(score.total(table), ctx.language))
    )
    missing = entries.missing(c.code for c in table.criteria())
    options = [ctx.step_option(ctx._("Send the scores"), "send")]
    if missing:
        lines.append(ctx._("Not scored yet: {codes}").format(codes=", ".join(missing)))
        options.append(ctx.step_option(ctx._("Score what is missing"), "missing"))
    options.append(ctx.step_option(ctx._("Change a criterion"), "pick"))
    return [ctx.reply("\n".join(lines), options)]


async def _review(ctx: Context) -> list[Reply]:
    table = _table(ctx)
    codes = [c.code for c in table.criteria()]
    if ctx.choice == "missing":
        missing = set(_entries(ctx).missing(codes))
        ctx.data["i"] = next((i for i, code in enumerate(codes) if code in missing), 0)
        ctx.goto("criterion")
        return []
    if ctx.choice == "pick":
        ctx.goto("pick")
        return []
    if ctx.choice != "send":
        return [ctx.reply(ctx._("Please choose one of the options above."))]
    return await _send(ctx)


async def _send(ctx: Context) -> list[Reply]:
    assert ctx.actor is not None
    sent = await self_scoring.send(ctx.services, ctx.actor, _entries(ctx))
    if isinstance(sent, Incomplete):
        text = ctx._("Please score every criterion first: {codes}")
        return [ctx.reply(text.format(codes=", ".join(sent.missing)))]
    ctx.finish()
    if isinstance(sent, ScoringClosed):
        return [ctx.reply(ctx._(sent.value).format(chair=_chair(ctx)))]
    return [
        ctx.reply(
            ctx._(
                "Sent: version {version}, {total} points. You can change it with /chamdiem "
                "until the {chair} locks the scores."
            ).format(
                version=sent.version, total=number(sent.total, ctx.language), chair=_chair(ctx)
            )
        ).as_result()
    ]


# Step: pick -----------------------------------------------------------------------------------


async def _pick_prompt(ctx: Context) -> list[Reply]:
    options = [
        ctx.step_option(f"{c.code} {c.name}", str(i)) for i, c in enumerate(_table(ctx).criteria())
    ]
    return [ctx.reply(ctx._("Which criterion?"), options)]


async def _pick(ctx: Context) -> list[Reply]:
    count = len(_table(ctx).criteria())
    if not (ctx.choice or "").isdigit() or int(ctx.choice or 0) >= count:
        return [ctx.reply(ctx._("Please choose one of the options above."))]
    ctx.data["i"], ctx.data["fixing"] = int(ctx.choice or 0), True
    ctx.goto("criterion")
    return []


SCORE_FLOW = scoring_router.flow(
    Flow(
        name="score",
        title=N_("self-scoring"),
        first="criterion",
        access=Access.OFFICER,
        offer_after_restart=True,
        steps={
            "criterion": Step(prompt=_criterion_prompt, handle=_criterion),
            "bonus": Step(prompt=_bonus_prompt, handle=_bonus),
            "review": Step(prompt=_review_prompt, handle=_review),
            "pick": Step(prompt=_pick_prompt, handle=_pick),
        },
    )
)
