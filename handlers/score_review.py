"""The chair reviews self-scores (/duyetdiem): sets a reviewed score with a mandatory reason, the
unit may explain (giải trình), and the chair locks the cluster's scores (/chotdiem). The chair
unit's own sheet is reviewed by the deputy unit's officers (or the province board) through the
same command, and only that sheet; before the self-score is due, locking asks for a reason."""

from __future__ import annotations

import re

from bot.domain.access import Access
from bot.domain.formatting import number, short_date
from bot.domain.messages import Attachment, Option, Reply
from bot.domain.scoring_table import CriterionKind
from bot.engine.context import Context
from bot.engine.conversation import Flow, Step
from bot.engine.router import Router
from bot.i18n import N_
from bot.texts.roles import Leader, title_of, unit_label
from bot.usecases import score_lock, score_review
from bot.usecases.score_lock import LockRefused, TooEarly
from bot.usecases.score_review import OutOfRange, ReviewRefused

__all__ = ["score_review_router"]

score_review_router = Router("score_review")

_REVIEW = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)\s+(.{3,})$", re.DOTALL)


@score_review_router.command(
    "duyetdiem",
    "review",
    access=Access.REGISTERED,
    description=N_("review the units' self-scores (chair; the deputy for the chair unit)"),
    private=True,
)
async def review_menu(ctx: Context) -> list[Reply]:
    assert ctx.actor is not None
    data = await score_review.sheets(ctx.services)
    if data is None or not data.sheets:
        return [ctx.reply(ctx._("No unit has sent its self-score yet."))]
    codes = score_review.reviewable_units(ctx.services, ctx.actor, data)
    if not codes:
        return [ctx.reply(ctx._("There is no self-score for you to review."))]
    cluster = ctx.services.cluster_year.cluster
    options = [Option(unit_label(cluster, code, ctx._), f"sreview:{code}") for code in codes]
    return [ctx.reply(ctx._("Whose scores?"), options)]


@score_review_router.option("sreview", access=Access.REGISTERED)
async def review_unit(ctx: Context) -> list[Reply]:
    assert ctx.actor is not None
    services = ctx.services
    data = await score_review.sheets(services)
    code, _sep, criterion_code = (ctx.choice or "").partition(":")
    if data is None or code not in data.sheets:
        return [ctx.reply(ctx._("That choice is no longer valid. Please use the latest message."))]
    if not score_review.may_review_unit(services, ctx.actor, code):
        return [ctx.reply(ctx._(ReviewRefused.NOT_YOURS.value))]
    entries = data.sheets[code].entries
    cluster = services.cluster_year.cluster
    if criterion_code == "evidence":
        replies = [
            ctx.reply(f"{f.criterion}: {f.name}", attachment=Attachment(f.name, f.data, f.mime))
            for f in await score_review.evidence_of(services, code)
        ]
        return replies or [ctx.reply(ctx._("No evidence was sent."))]
    if criterion_code:
        if data.locked:
            return [ctx.reply(ctx._("The scores are locked; they can no longer change."))]
        criterion = data.table.criterion(criterion_code)
        if criterion is None:
            return [
                ctx.reply(ctx._("That choice is no longer valid. Please use the latest message."))
            ]
        ctx.begin(REVIEW_FLOW.name, "points", {"unit": code, "criterion": criterion.code})
        return await _points_prompt(ctx)
    lines = [
        ctx._("Self-score of {unit} (version {version}):").format(
            unit=unit_label(cluster, code, ctx._), version=data.sheets[code].version
        )
    ]
    for criterion in data.table.criteria():
        entry = entries.entry(criterion.code)
        got = number(entry.points, ctx.language)
        line = f"{criterion.code}: {got} / {number(criterion.max, ctx.language)}"
        if entry.evidence:
            line += " 📎"
        review = data.reviews.get((code, criterion.code))
        if review:
            line += " → " + ctx._("reviewed {points} ({reason})").format(
                points=number(review.points, ctx.language), reason=review.reason
            )
        explanation = data.explanations.get((code, criterion.code))
        if explanation:
            line += "\n   " + ctx._("Explanation: {text}").format(text=explanation)
        if entry.note and criterion.kind is CriterionKind.BONUS_PENALTY:
            line += "\n   " + ctx._("Reason: {text}").format(text=entry.note)
        lines.append(line)
    for bonus in data.table.bonuses:
        if entries.bonuses.get(bonus.code):
            reason = entries.bonus_reasons.get(bonus.code) or ctx._("no reason given")
            lines.append(
                ctx._("{code} {name}: +{points} points ({reason})").format(
                    code=bonus.code,
                    name=bonus.name,
                    points=number(bonus.points, ctx.language),
                    reason=reason,
                )
            )
    lines.append(
        ctx._("Total: {total} points").format(total=number(data.self_total(code), ctx.language))
    )
    options = [Option(ctx._("See the evidence"), f"sreview:{code}:evidence")]
    if not data.locked:
        options += [
            Option(ctx._("Adjust {code}").format(code=c.code), f"sreview:{code}:{c.code}")
            for c in data.table.criteria()
        ]
    return [ctx.reply("\n".join(lines), options)]


async def _points_prompt(ctx: Context) -> list[Reply]:
    table = ctx.services.cluster_year.scoring
    criterion = table.criterion(ctx.data["criterion"]) if table else None
    assert criterion is not None
    return [
        ctx.reply(
            ctx._(
                "{code} {name}: type the reviewed points ({low} to {high}) and the reason, "
                "for example: 7,5 thiếu minh chứng"
            ).format(
                code=criterion.code,
                name=criterion.name,
                low=number(criterion.min, ctx.language),
                high=number(criterion.max, ctx.language),
            )
        )
    ]


async def _points(ctx: Context) -> list[Reply]:
    assert ctx.actor is not None
    match = _REVIEW.match(ctx.inbound.text)
    if match is None:
        return [
            ctx.reply(ctx._("Please type the points and then the reason (the reason is required)."))
        ]
    points = float(match.group(1).replace(",", "."))
    unit_code = ctx.data["unit"]
    done = await score_review.review(
        ctx.services, ctx.actor, unit_code, ctx.data["criterion"], points, match.group(2)
    )
    if isinstance(done, OutOfRange):
        return [
            ctx.reply(
                ctx._(
                    "That is outside the allowed range: from {low} to {high}. Please type again."
                ).format(low=number(done.low, ctx.language), high=number(done.high, ctx.language))
            )
        ]
    ctx.finish()
    if isinstance(done, ReviewRefused):
        return [ctx.reply(ctx._(done.value))]
    return [
        ctx.reply(
            ctx._("Recorded: {code} of {unit} is {points} points. The unit is told.").format(
                code=done.criterion, unit=unit_code, points=number(points, ctx.language)
            )
        )
    ]


REVIEW_FLOW = score_review_router.flow(
    Flow(
        name="sreview",
        title=N_("score review"),
        first="points",
        access=Access.REGISTERED,
        steps={"points": Step(prompt=_points_prompt, handle=_points)},
    )
)


@score_review_router.option("explain", access=Access.OFFICER)
async def explain_start(ctx: Context) -> list[Reply]:
    table = ctx.services.cluster_year.scoring
    if (
        table is None
        or table.criterion(ctx.choice or "") is None
        or ctx.actor is None
        or ctx.actor.unit_code is None
    ):
        return [ctx.reply(ctx._("That choice is no longer valid. Please use the latest message."))]
    ctx.begin(EXPLAIN_FLOW.name, "text", {"criterion": ctx.choice})
    return await _explain_prompt(ctx)


async def _explain_prompt(ctx: Context) -> list[Reply]:
    return [
        ctx.reply(ctx._("Write your explanation for {code}:").format(code=ctx.data["criterion"]))
    ]


async def _explain(ctx: Context) -> list[Reply]:
    text = ctx.inbound.text.strip()
    if len(text) < 3:
        return [ctx.reply(ctx._("Please write a few words."))]
    assert ctx.actor is not None and ctx.actor.unit_code is not None
    await score_review.explain(ctx.services, ctx.actor, ctx.data["criterion"], text)
    ctx.finish()
    if ctx.actor.unit_code == ctx.services.cluster_year.cluster.chair:
        return [ctx.reply(ctx._("Your explanation was sent to those who review the chair unit."))]
    chair = title_of(ctx.services.cluster_year.cluster, Leader.CHAIR, ctx._)
    return [ctx.reply(ctx._("Your explanation was sent to the {chair}.").format(chair=chair))]


EXPLAIN_FLOW = score_review_router.flow(
    Flow(
        name="explain",
        title=N_("explanation"),
        first="text",
        access=Access.OFFICER,
        steps={"text": Step(prompt=_explain_prompt, handle=_explain)},
    )
)


@score_review_router.command(
    "chotdiem",
    "lockscores",
    access=Access.MANAGER,
    description=N_("lock the cluster's scores (chair)"),
)
async def lock_ask(ctx: Context) -> list[Reply]:
    if await score_lock.is_locked(ctx.services):
        return [ctx.reply(ctx._(LockRefused.ALREADY.value))]
    too_early = score_lock.early_lock(ctx.services)
    if too_early is not None:
        ctx.begin(LOCK_FLOW.name, "reason")
        return await _lock_reason_prompt(ctx)
    question = ctx._(
        "Lock the scores? After this nobody can change them, and the ranking is final."
    )
    return [
        ctx.reply(
            question, [Option(ctx._("Yes, lock"), "lock:yes"), Option(ctx._("No"), "lock:no")]
        )
    ]


@score_review_router.option("lock", access=Access.MANAGER)
async def lock(ctx: Context) -> list[Reply]:
    if ctx.choice != "yes":
        return [ctx.reply(ctx._("Nothing was changed."))]
    return await _locked(ctx, "")


async def _locked(ctx: Context, reason: str) -> list[Reply]:
    assert ctx.actor is not None
    done = await score_lock.lock(ctx.services, ctx.actor, reason)
    if isinstance(done, TooEarly):
        ctx.begin(LOCK_FLOW.name, "reason")
        return await _lock_reason_prompt(ctx)
    if isinstance(done, LockRefused):
        return [ctx.reply(ctx._(done.value))]
    return [ctx.reply(ctx._("The scores are locked. /xephang gives the final ranking."))]


async def _lock_reason_prompt(ctx: Context) -> list[Reply]:
    too_early = score_lock.early_lock(ctx.services) or TooEarly(ctx.today())
    return [
        ctx.reply(
            ctx._(
                "The self-score is due until {due}: the scores can be locked from {opens}. To "
                "lock them now, enter the reason (it is kept in the audit log), or /huy."
            ).format(due=short_date(too_early.due), opens=short_date(too_early.opens))
        )
    ]


async def _lock_reason(ctx: Context) -> list[Reply]:
    reason = ctx.inbound.text.strip()
    if len(reason) < 3:
        return [ctx.reply(ctx._("Please write a few words."))]
    ctx.finish()
    return await _locked(ctx, reason)


LOCK_FLOW = score_review_router.flow(
    Flow(
        name="lockearly",
        title=N_("early lock of the scores"),
        first="reason",
        access=Access.MANAGER,
        steps={"reason": Step(prompt=_lock_reason_prompt, handle=_lock_reason)},
    )
)
