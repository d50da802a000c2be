"""The first stretch of the one road: an event's replies, sent at once and in order.

A reply that fails for a reason that may pass (flood control, 5xx, network) is deferred to the
outbox with every reply after it, so a receipt is never lost to a passing fault; a refused or
blocked one is logged; a journaled reply sent directly is marked delivered. A reply that shows
a secret is deferred as its stand-in (``Reply.deferred_as``): the outbox never holds it. What
the outbox holds goes the rest of the way with the sender (``bot.delivery.sender``)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.channels.base import Channel, DeliveryError, DeliveryFailure
from bot.delivery.outbox import Outbox
from bot.domain.messages import Inbound, Reply

__all__ = ["Dispatch", "answer_events"]

log = logging.getLogger(__name__)

Dispatch = Callable[[Inbound], Awaitable[list[Reply]]]
"""The core's entry point: one event in, the (already tokenised) replies out."""


def answer_events(
    channel: Channel, dispatch: Dispatch, outbox: Outbox
) -> Callable[[Inbound], Awaitable[None]]:
    """What a channel calls with each event it translated."""

    async def answer(inbound: Inbound) -> None:
        with outbox.answering(channel.name, inbound.chat_id):
            await _send_in_order(channel, inbound, await dispatch(inbound), outbox)

    return answer


async def _send_in_order(
    channel: Channel, inbound: Inbound, replies: list[Reply], outbox: Outbox
) -> None:
    for n, reply in enumerate(replies):
        try:
            await channel.send(reply.chat_id or inbound.chat_id, reply)
        except DeliveryError as exc:
            if exc.failure in (DeliveryFailure.BLOCKED, DeliveryFailure.PERMANENT):
                log.warning("a reply on %s was not delivered: %s", channel.name, exc.failure)
                continue
            log.info("replies on %s deferred to the outbox: %s", channel.name, exc.failure)
            for later in replies[n:]:  # each to its own chat (a flow may have moved to private)
                moved = later.chat_id not in (None, inbound.chat_id)
                chat_id = later.chat_id if moved else inbound.chat_id
                in_group = not moved and not inbound.is_private
                await outbox.defer(channel.name, chat_id, [later.deferred_as or later], in_group)
            return
        if reply.journal is not None:
            await outbox.delivered(reply.journal)
