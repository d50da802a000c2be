"""``cumthidua migrate --check`` and the refusal of a database from a newer release."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.cli.main import main
from storage.database import Database, Migration, known_migrations, schema_version


async def create(data: Path, migrations: list[Migration], then: str = "") -> None:
    db = await Database.open(data / "cumthidua.sqlite3", migrations=migrations)
    if then:
        await db.execute(then)
    await db.close()


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("CUMTHIDUA_DATA_DIR", str(folder))
    monkeypatch.chdir(tmp_path)  # no .env from the working folder
    return folder


def test_check_names_the_migrations_that_would_run_and_changes_nothing(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    older = known_migrations()[:-2]
    asyncio.run(create(data, older))
    assert main(["migrate", "--check"]) == 1
    out = capsys.readouterr().out
    names = [name for _n, name, _s in known_migrations()[-2:]]
    assert out.splitlines() == [
        f"Lược đồ {older[-1][0]}; các bản nâng cấp sau sẽ được áp dụng:",
        *(f"  {name}" for name in names),
    ]
    assert schema_version(data / "cumthidua.sqlite3") == older[-1][0]
    assert not (data / "backups").exists()

    assert main(["migrate"]) == 0  # applies them, after a backup
    assert schema_version(data / "cumthidua.sqlite3") == known_migrations()[-1][0]
    assert len(list((data / "backups").glob("pre-migration-*.tar"))) == 1
    assert main(["migrate", "--check"]) == 0
    assert "Cơ sở dữ liệu đã cập nhật" in capsys.readouterr().out


def test_a_newer_database_is_refused_by_every_command(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(create(data, known_migrations(), "PRAGMA user_version = 900"))
    assert main(["migrate", "--check"]) == 2
    assert "schema version 900" in capsys.readouterr().err
    assert main(["audit"]) == 2
    assert "written by a newer release" in capsys.readouterr().err
    assert schema_version(data / "cumthidua.sqlite3") == 900
