"""The chair's documents as a use case: a document of one of the cluster's years comes back as
its Word draft; another cluster's year or an unknown document is refused."""

from __future__ import annotations

from bot.domain.access import Role
from bot.services.container import Services
from bot.usecases.year_documents import DOCUMENT_NAMES, DocumentRefused, make_document
from tests.clusters import add_highland
from tests.usecases.conftest import MakeActor

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def test_a_document_of_the_clusters_year(services: Services, actor_of: MakeActor) -> None:
    chair = await actor_of("TG", Role.CHAIR)
    files = await make_document(services, chair, services.year.id, "to-trinh")
    assert not isinstance(files, DocumentRefused)
    assert files[0].name.endswith(".docx") and files[0].mime == DOCX
    assert files[0].data.startswith(b"PK")


async def test_other_years_and_names_are_refused(services: Services, actor_of: MakeActor) -> None:
    chair = await actor_of("TG", Role.CHAIR)
    highland = await add_highland(services)
    assert "bao-cao" not in DOCUMENT_NAMES
    for year_id, name in ((highland.year.id, "to-trinh"), (services.year.id, "bao-cao")):
        assert await make_document(services, chair, year_id, name) is DocumentRefused.GONE
