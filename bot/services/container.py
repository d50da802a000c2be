"""The services handlers may use; built once by the composition root (``bot.app``).

Year-scoped repositories (submissions, scores, scoring tables, reminders, links, announcements,
plans) and the officer and invitation lists are bound to one cluster-year: :meth:`Services.scoped`
gives the services of another, so a handler reads and writes only the year it was given.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from bot.clock import Clock
from bot.config import Settings
from bot.delivery import outbox_keys
from bot.delivery.outbox import Outbox
from bot.domain.cluster import ClusterYear
from bot.services.years import YearRegistry
from storage.announcements import AnnouncementRepository
from storage.audit import AuditLog
from storage.ballot_seals import BallotSeals
from storage.ballots import BallotRepository
from storage.clusters import YearRecord
from storage.conversations import ConversationRepository
from storage.database import Database
from storage.files import FileStore
from storage.inspections import InspectionRepository
from storage.invitations import InvitationRepository
from storage.links import LinkRepository
from storage.officers import OfficerRepository, OfficerScope
from storage.options import OptionRepository
from storage.pacts import PactRepository
from storage.plans import PlanRepository
from storage.preferences import MetaRepository, PreferenceRepository
from storage.reminder_log import ReminderLog
from storage.scores import ScoreRepository
from storage.scoring_tables import ScoringTableRepository
from storage.submissions import SubmissionRepository

if TYPE_CHECKING:
    from bot.operations.probe import OperationsProbe

__all__ = ["Services", "year_repositories"]


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
    seals: BallotSeals
    """The keys of the open rounds' ballots (outside the database)."""
    officers: OfficerRepository
    invitations: InvitationRepository
    audit: AuditLog
    outbox: Outbox
    submissions: SubmissionRepository
    reminders: ReminderLog
    links: LinkRepository
    scores: ScoreRepository
    scoring_tables: ScoringTableRepository
    announcements: AnnouncementRepository
    plans: PlanRepository
    pacts: PactRepository
    ballots: BallotRepository
    inspections: InspectionRepository
    years: YearRegistry
    year: YearRecord
    """The cluster-year these services act on."""
    web_url: str = ""
    """The public base URL of the bot's web server, known once it has started."""
    operations: OperationsProbe | None = None
    """The running bot's state for the operator's page; none outside a running bot."""

    def scoped(self, year_id: int) -> Services:
        """These services bound to another cluster-year (made once per year, then reused)."""
        found = self.years.scoped.get(year_id)
        if not isinstance(found, Services):
            found = _bind(self, self.years.get(year_id))
            self.years.scoped[year_id] = found
        found.web_url = self.web_url
        return found

    def year_key(self, key: str) -> str:
        """An outbox key made unique to this cluster-year (codes and versions repeat yearly)."""
        return outbox_keys.year_key(self.year.id, key)

    @property
    def read_only(self) -> bool:
        """A closed year is kept to be read, never changed."""
        return not self.year.is_open


def year_repositories(db: Database, year: YearRecord, seals: BallotSeals) -> dict[str, Any]:
    """The repositories bound to one cluster-year (and its cluster), by field name."""
    return {
        "cluster_year": year.data,
        "year": year,
        "officers": OfficerRepository(
            db, OfficerScope(year.cluster_id, year.units, year.data.cluster.chair)
        ),
        "invitations": InvitationRepository(db, year.cluster_id),
        "submissions": SubmissionRepository(db, year.id),
        "reminders": ReminderLog(db, year.id),
        "links": LinkRepository(db, year.id),
        "scores": ScoreRepository(db, year.id),
        "scoring_tables": ScoringTableRepository(db, year.id),
        "announcements": AnnouncementRepository(db, year.id, year.cluster_id),
        "plans": PlanRepository(db, year.id),
        "pacts": PactRepository(db, year.id),
        "ballots": BallotRepository(db, year.id, seals),
        "inspections": InspectionRepository(db, year.id),
    }


def _bind(services: Services, year: YearRecord) -> Services:
    return replace(services, **year_repositories(services.db, year, services.seals))
