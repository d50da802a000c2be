"""/chamdiem: a unit scores itself against the scoring table, in a score form (XLSX) or
criterion by criterion in chat.

Flow ``score``: ``form`` (the unit's form, prefilled; sent back as a file on Telegram, through an
upload link on Zalo — first for a table of more than ``FORM_FIRST_ABOVE`` criteria) →
``formread`` (the total, the subtotals, the rows not taken; send to the chair). Or the walk:
``criterion`` (one at a time, group by group; a file sent there is evidence, a message starting
with "ghi chú" a note; "Bỏ qua" skips) → ``bonus`` (whole-table bonuses; each one declared asks
its grounds in ``bonusreason``) → ``review`` (running total, what is missing; send, or fix a
criterion via ``pick``). In the form steps and the review "2.3 7,5" sets criterion 2.3 to 7,5
points. The draft lives in the conversation state, so a restart resumes with every value entered.
"""

from __future__ import annotations

from bot.domain.access import Access
from bot.domain.formatting import number
from bot.domain.messages import Reply
from bot.domain.score_form_reading import FormProblem, corrected, parse_correction
from bot.domain.score_sheet import SheetEntries
from bot.domain.scoring import ValueProblem, parse_value, points_for, unit_score
from bot.domain.scoring_table import Criterion, CriterionKind, ScoringTable
from bot.domain.strings import fold
from bot.engine.context import Context
from bot.engine.conversation import Flow, Step
from bot.engine.router import Router
from bot.i18n import N_, Translator
from bot.texts.roles import Leader, title_of
from bot.texts.score_form_summary import FORM_READ_STEP, SCORE_FLOW_NAME, form_read_reply
from bot.usecases import one_time_links, self_scoring
from bot.usecases.self_scoring import FormRefused, Incomplete, Refusal, ScoringClosed

__all__ = ["SCORE_FLOW", "scoring_router"]

scoring_router = Router("scoring")

NOTE_PREFIXES = ("ghi chú", "ghi chu", "note")
BONUS_REASON_CHARS = 300
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


def _keep(
    ctx: Context, entries: SheetEntries, problems: tuple[FormProblem, ...] | None = None
) -> None:
    ctx.data.update(self_scoring.draft_fields(entries, problems))
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
    form = self_scoring.form_first(opened.table)
    if sheet is not None:
        fields = self_scoring.draft_fields(sheet.entries)
        step = "form" if form else "review"
        ctx.begin(SCORE_FLOW.name, step, {"i": 0, **fields, "version": sheet.version})
        loaded = ctx._(
            "Your last submitted scores are loaded: change what you need and send again."
        )
        return [ctx.reply(loaded)] + await (_form_prompt if form else _review_prompt)(ctx)
    step = "form" if form else "criterion"
    ctx.begin(SCORE_FLOW.name, step, {"i": 0, **self_scoring.draft_fields(SheetEntries())})
    return await (_form_prompt if form else _criterion_prompt)(ctx)


# Steps: form, formread ------------------------------------------------------------------------


async def _form_prompt(ctx: Context) -> list[Reply]:
    assert ctx.actor is not None and ctx.actor.unit_code is not None
    attachment = await self_scoring.form_attachment(
        ctx.services, ctx.actor.unit_code, _entries(ctx), ctx.language
    )
    count = len(_table(ctx).criteria())
    if ctx.capabilities.documents:
        text = ctx._(
            "Here is your unit's score form ({count} criteria), filled with what you have "
            "entered. Enter the points in the column “Điểm tự chấm” (Excel, LibreOffice or "
            "WPS), then send the file back here."
        ).format(count=count)
    else:
        url = await one_time_links.score_form_url(
            ctx.services, ctx.actor.officer_id, ctx.inbound.channel, ctx.inbound.chat_id
        )
        text = ctx._(
            "Here is your unit's score form ({count} criteria), filled with what you have "
            "entered. Enter the points in the column “Điểm tự chấm” (Excel, LibreOffice or "
            "WPS), then upload the file at this page (one time, within 24 hours): {url}"
        ).format(count=count, url=url)
    text += "\n" + ctx._("You can also score criterion by criterion in chat.")
    options = [
        ctx.step_option(ctx._("Score in chat"), "walk"),
        ctx.step_option(ctx._("Review"), "review"),
    ]
    return [ctx.reply(text, options, attachment)]


async def _form(ctx: Context) -> list[Reply]:
    if ctx.choice == "review":
        ctx.goto("review")
        return []
    answer = await _form_answer(ctx)
    if answer is None:
        text = ctx._("Please send the filled score form back as a file, or choose an option.")
        return [ctx.reply(text)]
    return answer


async def _form_answer(ctx: Context) -> list[Reply] | None:
    """What both form steps take: the form as a file, a correction, "walk" and "form" (None
    for anything else)."""
    if ctx.choice == "walk":
        missing = set(_entries(ctx).missing(_table(ctx).criterion_codes))
        codes = _table(ctx).criterion_codes
        ctx.data["i"] = next((i for i, code in enumerate(codes) if code in missing), 0)
        ctx.goto("criterion")
        return []
    if ctx.choice == "form":
        ctx.goto("form")
        return []
    if ctx.inbound.files:
        incoming = ctx.inbound.files[0]
        read = await self_scoring.read_form(ctx.services, incoming.data, _entries(ctx))
        if isinstance(read, FormRefused):
            return [ctx.reply(read.text(ctx._))]
        _keep(ctx, read.entries, read.problems)
        ctx.goto(FORM_READ_STEP)
        ctx.prompt_again()
        return []
    if ctx.choice is None:
        return _correction(ctx, FORM_READ_STEP)
    return None


def _correction(ctx: Context, then: str) -> list[Reply] | None:
    """ "2.3 7,5": criterion 2.3 set to 7,5 points in the draft, then the step ``then`` (None:
    the text is no correction)."""
    typed = parse_correction(ctx.inbound.text)
    if typed is None:
        return None
    result = corrected(_table(ctx), _entries(ctx), *typed)
    if isinstance(result, FormProblem):
        return [ctx.reply(result.text(ctx._, ctx.language))]
    code, entries = result
    problems = tuple(p for p in self_scoring.draft_problems(ctx.data) if p.code != code)
    _keep(ctx, entries, problems)
    ctx.goto(then)
    ctx.prompt_again()
    points = number(typed[1], ctx.language)
    return [ctx.reply(ctx._("{code}: {points} points.").format(code=code, points=points))]


async def _form_read_prompt(ctx: Context) -> list[Reply]:
    problems = self_scoring.draft_problems(ctx.data)
    return [form_read_reply(_table(ctx), _entries(ctx), problems, ctx._, ctx.language)]


async def _form_read(ctx: Context) -> list[Reply]:
    if ctx.choice == "send":
        return await _send(ctx)
    answer = await _form_answer(ctx)
    if answer is None:
        return [ctx.reply(ctx._("Please choose one of the options above."))]
    return answer


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
    if ctx.choice == "1":
        ctx.goto("bonusreason")
        return []
    return _next_bonus(ctx)


async def _bonus_reason_prompt(ctx: Context) -> list[Reply]:
    bonus = _table(ctx).bonuses[ctx.data["b"]]
    text = ctx._(
        "Please enter the grounds for {code} (for example the number and date of the decision);"
        " it is shown on your sheet, in the workbook and in the documents."
    ).format(code=bonus.code)
    return [ctx.reply(text)]


async def _bonus_reason(ctx: Context) -> list[Reply]:
    reason = ctx.inbound.text.strip()[:BONUS_REASON_CHARS]
    if len(reason) < 3:
        return [ctx.reply(ctx._("Please write a few words."))]
    code = _table(ctx).bonuses[ctx.data["b"]].code
    _keep(ctx, _entries(ctx).with_bonus_reason(code, reason))
    return _next_bonus(ctx)


def _next_bonus(ctx: Context) -> list[Reply]:
    table = _table(ctx)
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
        reason = entries.bonus_reasons.get(bonus.code) if entries.bonuses.get(bonus.code) else ""
        lines.append(f"{bonus.code} {bonus.name}: {mark}" + (f" ({reason})" if reason else ""))
    lines.append(
        ctx._("Total: {total} points").format(total=number(score.total(table), ctx.language))
    )
    missing = entries.missing(c.code for c in table.criteria())
    options = [ctx.step_option(ctx._("Send the scores"), "send")]
    if missing:
        lines.append(ctx._("Not scored yet: {codes}").format(codes=", ".join(missing)))
        options.append(ctx.step_option(ctx._("Score what is missing"), "missing"))
    options.append(ctx.step_option(ctx._("Change a criterion"), "pick"))
    options.append(ctx.step_option(ctx._("Get the score form (Excel)"), "form"))
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
    if ctx.choice == "form" or ctx.inbound.files:
        return await _form_answer(ctx) or []
    if ctx.choice is None and (answer := _correction(ctx, "review")) is not None:
        return answer
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
        name=SCORE_FLOW_NAME,
        title=N_("self-scoring"),
        first="criterion",
        access=Access.OFFICER,
        offer_after_restart=True,
        steps={
            "criterion": Step(prompt=_criterion_prompt, handle=_criterion),
            "bonus": Step(prompt=_bonus_prompt, handle=_bonus),
            "bonusreason": Step(prompt=_bonus_reason_prompt, handle=_bonus_reason),
            "review": Step(prompt=_review_prompt, handle=_review),
            "pick": Step(prompt=_pick_prompt, handle=_pick),
            "form": Step(prompt=_form_prompt, handle=_form),
            FORM_READ_STEP: Step(prompt=_form_read_prompt, handle=_form_read),
        },
    )
)
