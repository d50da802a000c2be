"""/vanhanh: the operator's page for administrators — version, uptime, database size, last
backup, outbox, senders, the Zalo quota and who cannot be reached."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.delivery.sender import SenderState
from bot.domain.access import Access, Role
from bot.domain.formatting import file_size, local_datetime
from bot.domain.messages import Reply
from bot.engine.context import Context
from bot.engine.router import Router
from bot.i18n import N_, Translator
from bot.operations.probe import OperationsProbe, Snapshot, version
from bot.texts.roles import unit_label
from bot.usecases import officer_roster

__all__ = ["operations_router"]

operations_router = Router("operations")

LISTED_UNREACHABLE = 10
SENDER_STATES = {
    SenderState.RUNNING: N_("running"),
    SenderState.RESTARTING: N_("restarting after an error"),
    SenderState.STOPPED: N_("stopped"),
}


@operations_router.command(
    "vanhanh",
    "operations",
    access=Access.MANAGER,
    keeps_draft=True,
    description=N_("the operator's page (administrators)"),
)
async def operations(ctx: Context) -> list[Reply]:
    actor, probe = ctx.actor, ctx.services.operations
    if actor is None or actor.role is not Role.ADMIN:
        return [ctx.reply(ctx._("This page is for the installation's administrators."))]
    if probe is None:
        return [ctx.reply(ctx._("The operator's page is available only in the running bot."))]
    snapshot = await probe.snapshot()
    lines = [
        ctx._("Operations — cumthidua {version}").format(version=version()),
        _uptime(ctx, probe.started_at, snapshot.now),
        ctx._("Database: {size}").format(size=file_size(snapshot.database_bytes, ctx.language)),
        _backup(ctx, snapshot),
        ctx._(
            "Outbox: {pending} waiting (oldest {seconds} s), {scheduled} scheduled,"
            " {failed} failed, {unreachable} unreachable"
        ).format(
            pending=snapshot.outbox.pending,
            seconds=round(snapshot.oldest_pending_seconds),
            scheduled=snapshot.outbox.scheduled,
            failed=snapshot.outbox.failed,
            unreachable=snapshot.outbox.unreachable,
        ),
        *_senders(ctx._, probe),
        *_quota(ctx, probe, snapshot),
        *await _unreachable(ctx),
    ]
    return [ctx.reply("\n".join(lines))]


def _uptime(ctx: Context, started: datetime, now: datetime) -> str:
    minutes = int((now - started) / timedelta(minutes=1))
    return ctx._("Running since {start} ({days} d {hours} h {minutes} min)").format(
        start=local_datetime(started, ctx.services.cluster_year.cluster.timezone),
        days=minutes // 1440,
        hours=minutes // 60 % 24,
        minutes=minutes % 60,
    )


def _backup(ctx: Context, snapshot: Snapshot) -> str:
    last = snapshot.last_backup
    if last is None:
        return ctx._("Last backup: none recorded. Run `cumthidua backup` or set a nightly one.")
    at = datetime.fromisoformat(str(last["at"]))
    return ctx._("Last backup: {at}, {size}, {files} stored files").format(
        at=local_datetime(at, ctx.services.cluster_year.cluster.timezone),
        size=file_size(int(str(last["size"])), ctx.language),
        files=last["files"],
    )


def _senders(_: Translator, probe: OperationsProbe) -> list[str]:
    return [
        _("Sender {channel}: {state} ({restarts} restarts)").format(
            channel=name, state=_(SENDER_STATES[sender.state]), restarts=sender.restarts
        )
        for name, sender in probe.senders.items()
    ]


def _quota(ctx: Context, probe: OperationsProbe, snapshot: Snapshot) -> list[str]:
    quota = probe.zalo_quota
    if quota is None:
        return []
    sent = snapshot.zalo_sent.get(quota.bot_id, 0)
    return [
        ctx._("Zalo this month: {sent} of {quota} messages ({share}%)").format(
            sent=sent, quota=quota.quota, share=round(100 * sent / quota.quota)
        )
    ]


async def _unreachable(ctx: Context) -> list[str]:
    cluster = ctx.services.cluster_year.cluster
    blocked = await officer_roster.unreachable(ctx.services)
    if not blocked:
        return [ctx._("Unreachable officers: none")]
    names = [f"{o.name} ({unit_label(cluster, o.unit_code, ctx._)})" for o in blocked]
    shown = ", ".join(names[:LISTED_UNREACHABLE]) + ("…" if len(names) > LISTED_UNREACHABLE else "")
    return [ctx._("Unreachable officers: {count} — {names}").format(count=len(names), names=shown)]
