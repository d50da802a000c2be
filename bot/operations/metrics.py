"""``/metrics`` in the Prometheus text format (prometheus_client), one registry per bot.

Counted in the process: updates handled, replies handed back and handler errors per channel;
sent and failed attempts per sender. Read from the database at each scrape: the outbox (pending,
the oldest due row's age, failed rows), reminders enqueued, unreachable officers, links issued
and used, and this month's Zalo messages against the quota. Labels are channels, link kinds and
Zalo bot ids: never a person or a chat.
"""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.delivery.answers import Dispatch
from bot.delivery.sender import SenderState
from bot.domain.messages import Inbound, Reply
from bot.operations.probe import OperationsProbe, Snapshot

__all__ = ["CONTENT_TYPE", "Metrics"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    def __init__(self, probe: OperationsProbe, handler_errors: Tally[str]) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._probe = probe
        self._updates = Counter(
            "cumthidua_updates", "Updates handled", ["channel"], registry=self.registry
        )
        self._replies = Counter(
            "cumthidua_replies",
            "Direct replies handed to the channel",
            ["channel"],
            registry=self.registry,
        )
        self._state = _StateCollector(probe, handler_errors)
        self.registry.register(self._state)

    def counted(self, dispatch: Dispatch) -> Dispatch:
        """The same entry point, counting each update and the replies it produced."""

        async def handle(inbound: Inbound) -> list[Reply]:
            replies = await dispatch(inbound)
            self._updates.labels(inbound.channel).inc()
            self._replies.labels(inbound.channel).inc(len(replies))
            return replies

        return handle

    async def render(self) -> bytes:
        self._state.latest = await self._probe.snapshot()
        return generate_latest(self.registry)


class _StateCollector(Collector):
    """Families built from the latest snapshot and the senders' own counts."""

    def __init__(self, probe: OperationsProbe, handler_errors: Tally[str]) -> None:
        self._probe = probe
        self._handler_errors = handler_errors
        self.latest: Snapshot | None = None

    def describe(self) -> list[Metric]:
        return []

    def collect(self) -> Iterator[Metric]:
        errors = CounterMetricFamily(
            "cumthidua_handler_errors", "Updates whose handler failed", labels=["channel"]
        )
        for channel in sorted({*self._probe.senders, *self._handler_errors}):
            errors.add_metric([channel], self._handler_errors[channel])
        yield errors
        yield from self._senders()
        if self.latest is not None:
            yield from _from_snapshot(self.latest, self._probe)

    def _senders(self) -> Iterator[Metric]:
        sent = CounterMetricFamily("cumthidua_sends", "Outbox rows delivered", labels=["channel"])
        failed = CounterMetricFamily(
            "cumthidua_sends_failed",
            "Failed send attempts (retried or given up)",
            labels=["channel"],
        )
        up = GaugeMetricFamily("cumthidua_sender_up", "1 while the sender runs", labels=["channel"])
        restarts = CounterMetricFamily(
            "cumthidua_sender_restarts", "Sender loops restarted after an error", labels=["channel"]
        )
        for name, sender in self._probe.senders.items():
            sent.add_metric([name], sender.delivered)
            failed.add_metric([name], sender.failed_attempts)
            up.add_metric([name], 1 if sender.state is SenderState.RUNNING else 0)
            restarts.add_metric([name], sender.restarts)
        yield from (sent, failed, up, restarts)


def _from_snapshot(snapshot: Snapshot, probe: OperationsProbe) -> Iterator[Metric]:
    outbox, totals = snapshot.outbox, snapshot.totals
    yield GaugeMetricFamily("cumthidua_outbox_pending", "Due rows not yet sent", outbox.pending)
    yield GaugeMetricFamily(
        "cumthidua_outbox_oldest_pending_seconds",
        "Age of the oldest due row not yet sent",
        snapshot.oldest_pending_seconds,
    )
    yield GaugeMetricFamily(
        "cumthidua_outbox_scheduled", "Rows waiting for a later send time", outbox.scheduled
    )
    yield GaugeMetricFamily("cumthidua_outbox_failed", "Rows given up as failed", outbox.failed)
    yield CounterMetricFamily(
        "cumthidua_reminders_enqueued", "Reminders enqueued", totals.reminders_enqueued
    )
    yield GaugeMetricFamily(
        "cumthidua_officers_unreachable",
        "Officers with a chat that blocked the bot",
        totals.unreachable_officers,
    )
    issued = CounterMetricFamily("cumthidua_links_issued", "One-time links", labels=["kind"])
    used = CounterMetricFamily("cumthidua_links_used", "One-time links used", labels=["kind"])
    for kind, count in sorted(totals.links_issued.items()):
        issued.add_metric([kind], count)
        used.add_metric([kind], totals.links_used.get(kind, 0))
    yield from (issued, used)
    yield GaugeMetricFamily(
        "cumthidua_database_bytes", "Size of the SQLite database", snapshot.database_bytes
    )
    if probe.zalo_quota is not None:
        month = GaugeMetricFamily(
            "cumthidua_zalo_messages_month", "Zalo messages sent this month", labels=["bot"]
        )
        for bot, count in snapshot.zalo_sent.items():
            month.add_metric([bot], count)
        yield month
        yield GaugeMetricFamily(
            "cumthidua_zalo_monthly_quota", "The configured monthly quota", probe.zalo_quota.quota
        )
