"""The Zalo quota: messages sent per Zalo bot and calendar month (the cluster's time zone),
and one warning to the administrators a month when the count reaches the configured share."""

from __future__ import annotations

import logging
import math
from zoneinfo import ZoneInfo

from bot.domain.access import Role
from bot.domain.messages import Reply
from bot.i18n import Translator
from bot.services.container import Services
from bot.services.notices import notify_officers
from storage.operator_figures import OperationsRepository

__all__ = ["ZaloQuota", "zalo_bot_id"]

log = logging.getLogger(__name__)


def zalo_bot_id(token: str) -> str:
    """The bot's public id: the part of its token before the colon (never the secret part)."""
    return token.split(":", 1)[0] if ":" in token else "zalo"


class ZaloQuota:
    def __init__(self, services: Services, bot_id: str) -> None:
        self._services = services
        self._repo = OperationsRepository(services.db)
        self.bot_id = bot_id

    @property
    def quota(self) -> int:
        return self._services.settings.zalo_monthly_quota

    def month(self) -> str:
        zone = ZoneInfo(self._services.cluster_year.cluster.timezone)
        return self._services.clock.now().astimezone(zone).strftime("%Y-%m")

    async def sent_this_month(self) -> int:
        return (await self._repo.zalo_counts(self.month())).get(self.bot_id, 0)

    async def count_one(self) -> None:
        """Count one message sent; never fails the send it counts (it already left)."""
        settings = self._services.settings
        warn_at = math.ceil(self.quota * settings.zalo_quota_warn_share)
        try:
            counted = await self._repo.count_zalo(self.bot_id, self.month(), 1, warn_at)
            if counted.newly_warned:
                await self._warn(counted.month, counted.sent)
        except Exception:
            log.warning("the Zalo quota counter could not be updated", exc_info=True)

    async def _warn(self, month: str, sent: int) -> None:
        quota = self.quota

        def build(_: Translator) -> Reply:
            return Reply(
                _(
                    "Zalo quota: the bot has sent {sent} of the {quota} messages a month its plan"
                    " allows ({month}). Past the quota Zalo may refuse messages: consider a"
                    " paid plan, or ask officers to use Telegram."
                ).format(sent=sent, quota=quota, month=month)
            )

        admins = [o for o in await self._services.officers.active() if o.role is Role.ADMIN]
        await notify_officers(self._services, admins, f"zalo-quota:{self.bot_id}:{month}", build)
