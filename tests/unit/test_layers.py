"""The folders are the architecture: the code's own imports must point down the layers."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLATFORM_LIBRARIES = ("telegram", "aiohttp", "httpx", "bot.channels", "bot.fakes", "bot.web")

# (package, imports it must not make). A prefix matches the module and its submodules.
RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "bot.domain",
        (
            "storage",
            "handlers",
            "aiosqlite",
            "sqlite3",
            "asyncio",
            "socket",
            *PLATFORM_LIBRARIES,
            "bot.engine",
            "bot.services",
            "bot.usecases",
            "bot.delivery",
            "bot.operations",
            "bot.texts",
            "bot.outputs",
            "bot.app",
            "bot.config",
            "bot.scheduler",
        ),
    ),
    ("bot.texts", ("storage", "handlers", *PLATFORM_LIBRARIES, "bot.engine", "bot.services")),
    ("bot.services", ("handlers", "bot.engine", "bot.outputs", "bot.app", "telegram", "aiohttp")),
    (
        "bot.usecases",
        ("handlers", "bot.engine", "bot.app", "bot.cli", *PLATFORM_LIBRARIES),
    ),
    (
        "bot.delivery",
        ("handlers", "bot.engine", "bot.outputs", "bot.usecases", "bot.app", "telegram", "aiohttp"),
    ),
    ("bot.operations", ("handlers", "bot.engine", "bot.usecases", "bot.app", "telegram")),
    ("bot.engine", ("handlers", "bot.channels", "bot.web", "bot.app")),
    ("bot.outputs", ("storage", "handlers", *PLATFORM_LIBRARIES, "bot.engine")),
    ("bot.web", ("handlers", "bot.engine", "bot.app")),
    ("handlers", (*PLATFORM_LIBRARIES, "aiosqlite", "sqlite3", "bot.app")),
    (
        "storage",
        (
            *PLATFORM_LIBRARIES,
            "handlers",
            "bot.engine",
            "bot.services",
            "bot.usecases",
            "bot.delivery",
            "bot.operations",
            "bot.app",
        ),
    ),
)
ALLOWED_EXCEPTIONS = {
    # The sender drives adapters through their neutral interface only.
    ("bot.delivery.sender", "bot.channels.base"),
    ("bot.delivery.answers", "bot.channels.base"),
}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(root: Path) -> list[str]:
    """Every import that points the wrong way, as 'module -> imported'."""
    found = []
    for folder in ("bot", "handlers", "storage"):
        for path in sorted((root / folder).rglob("*.py")):
            module = module_name(path, root)
            imported = imports_of(path)
            for target in sorted(imported):
                cli_user = within(module, "bot.cli") or module == "bot.__main__"
                if within(target, "bot.cli") and not cli_user:
                    found.append(f"{module} -> {target}")
                for package, forbidden in RULES:
                    if not within(module, package):
                        continue
                    if (module, target) in ALLOWED_EXCEPTIONS:
                        continue
                    if any(within(target, prefix) for prefix in forbidden):
                        found.append(f"{module} -> {target}")
    return sorted(set(found))


def test_the_imports_point_down_the_layers() -> None:
    assert violations(ROOT) == []


def test_the_checker_catches_a_wrong_import(tmp_path: Path) -> None:
    def write(relative: str, text: str) -> None:
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    write("bot/__init__.py", "")
    write("bot/domain/__init__.py", "")
    write("bot/domain/rule.py", "def f():\n    import asyncio\n    from storage.people import X\n")
    write("storage/__init__.py", "")
    write("storage/repo.py", "from handlers.reports import y\nimport telegram\n")
    write("handlers/__init__.py", "")
    write("handlers/reports.py", "from bot.cli.main import main\nfrom bot.channels.zalo import Z\n")
    write("bot/services/__init__.py", "")
    write("bot/delivery/sender.py", "from bot.channels.base import Channel\n")
    assert violations(tmp_path) == [
        "bot.domain.rule -> asyncio",
        "bot.domain.rule -> storage.people",
        "bot.domain.rule -> storage.people.X",
        "handlers.reports -> bot.channels.zalo",
        "handlers.reports -> bot.channels.zalo.Z",
        "handlers.reports -> bot.cli.main",
        "handlers.reports -> bot.cli.main.main",
        "storage.repo -> handlers.reports",
        "storage.repo -> handlers.reports.y",
        "storage.repo -> telegram",
    ]
