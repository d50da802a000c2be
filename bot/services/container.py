"""The services handlers may use; built once by the composition root (``bot.app``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.clock import Clock
from bot.config import Settings
from bot.domain.cluster import ClusterYear
from bot.services.outbox import Outbox
from storage.announcements import AnnouncementRepository
from storage.audit import AuditLog
from storage.conversations import ConversationRepository
from storage.database import Database
from storage.files import FileStore
from storage.invitations import InvitationRepository
from storage.links import LinkRepository
from storage.options import OptionRepository
from storage.people import OfficerRepository
from storage.plans import PlanRepository
from storage.preferences import MetaRepository, PreferenceRepository
from storage.reminder_log import ReminderLog
from storage.scores import ScoreRepository
from storage.submissions import SubmissionRepository

if TYPE_CHECKING:
    from bot.services.operations import OperationsProbe

__all__ = ["Services"]


@dataclass
class Services:
    settings: Settings
    clock: Clock
    cluster_year: ClusterYear
    db: Database
    conversations: ConversationRepository
    options: OptionRepository
    preferences: PreferenceRepository
    meta: MetaRepository
    files: FileStore
    officers: OfficerRepository
    invitations: InvitationRepository
    audit: AuditLog
    outbox: Outbox
    submissions: SubmissionRepository
    reminders: ReminderLog
    links: LinkRepository
    scores: ScoreRepository
    announcements: AnnouncementRepository
    plans: PlanRepository
    web_url: str = ""
    """The public base URL of the bot's web server, known once it has started."""
    operations: OperationsProbe | None = None
    """The running bot's state for the operator's page; none outside a running bot."""
