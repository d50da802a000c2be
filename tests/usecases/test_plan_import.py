"""Importing the plan as a use case: read in the capped worker, confirmed as a new version that
the cluster-year follows from then on, audited."""

from __future__ import annotations

import pytest

from bot.domain.access import Role
from bot.domain.file_types import UnsafeFile
from bot.domain.plan_documents import UnreadableDocument
from bot.services.container import Services
from bot.usecases import plan_import
from tests.clusters import join
from tests.documents import plan_docx, seed_rows


async def test_a_plan_document_is_read_and_confirmed_as_the_next_version(
    services: Services,
) -> None:
    imported = await plan_import.read(services, plan_docx(seed_rows()))
    assert not imported.flagged and len(imported.tasks) == 9
    await join(services, "telegram", "1", "TG", Role.CHAIR)
    chair = await services.officers.actor("telegram", "1", services.clock.now())
    version = await plan_import.confirm(services, imported, chair, "ke-hoach.docx")
    assert version == 1
    assert await plan_import.confirm(services, imported, None, "ke-hoach.docx") == 2
    assert len(services.cluster_year.plan.tasks) == 9
    assert services.years.get(services.year.id).data == services.cluster_year
    actors = [e.actor for e in await services.audit.entries("plan.")]
    assert actors == [f"officer:{chair.officer_id}" if chair else "", "cli"]


async def test_a_document_that_is_no_plan_is_refused(services: Services) -> None:
    with pytest.raises((UnreadableDocument, UnsafeFile)):
        await plan_import.read(services, b"Mot van ban khong co bang nhiem vu.")
