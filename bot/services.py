"""The services handlers may use; built once by the composition root (``bot.app``)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.cluster import ClusterYear
from bot.config import Settings
from storage.conversations import ConversationRepository
from storage.database import Database
from storage.files import FileStore
from storage.options import OptionRepository
from storage.preferences import MetaRepository, PreferenceRepository

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
