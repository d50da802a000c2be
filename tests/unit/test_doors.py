"""The doors — chat handlers, web routes, CLI commands — call use cases; they never import
storage nor reach a repository through the services container."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

from tests.unit.test_layers import imports_of, module_name, within

ROOT = Path(__file__).resolve().parents[2]
DOORS = ("handlers", "bot/web", "bot/cli")
REPOSITORIES = frozenset(
    {
        "conversations",
        "options",
        "preferences",
        "meta",
        "files",
        "officers",
        "invitations",
        "audit",
        "outbox",
        "submissions",
        "reminders",
        "links",
        "scores",
        "announcements",
        "plans",
        "pacts",
        "ballots",
        "inspections",
        "years",
        "db",
    }
)


def _door_files(root: Path) -> list[Path]:
    return [path for door in DOORS for path in sorted((root / door).rglob("*.py"))]


def _through_services(tree: ast.AST) -> list[str]:
    """Each ``services.<repository>`` or ``<x>.services.<repository>`` in a module."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or node.attr not in REPOSITORIES:
            continue
        holder = node.value
        named = isinstance(holder, ast.Name) and holder.id == "services"
        if named or (isinstance(holder, ast.Attribute) and holder.attr == "services"):
            found.append(node.attr)
    return found


def door_violations(root: Path) -> Counter[str]:
    """Per door module, how many storage imports and repository reaches it makes."""
    found: Counter[str] = Counter()
    for path in _door_files(root):
        module = module_name(path, root)
        storage = {t.split(".")[1] for t in imports_of(path) if within(t, "storage") and "." in t}
        reaches = _through_services(ast.parse(path.read_text(encoding="utf-8")))
        if count := len(storage) + len(reaches):
            found[module] = count
    return found


def test_the_doors_call_use_cases_only() -> None:
    assert door_violations(ROOT) == {}


def test_the_checker_catches_a_door_that_reaches_storage(tmp_path: Path) -> None:
    def write(relative: str, text: str) -> None:
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    write("handlers/reports.py", "from storage.submissions import SubmissionRepository\n")
    write("handlers/clean.py", "from bot.usecases.submit_report import submit\n")
    write(
        "bot/web/server.py",
        "async def f(ctx, services):\n"
        "    await ctx.services.submissions.latest()\n"
        "    await services.audit.write()\n"
        "    return services.settings, ctx.services.clock\n",
    )
    write("bot/cli/export.py", "def g(app):\n    return app.services.db\n")
    assert door_violations(tmp_path) == {
        "handlers.reports": 1,
        "bot.web.server": 2,
        "bot.cli.export": 1,
    }
