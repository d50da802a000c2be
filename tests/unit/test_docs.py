"""The README is a map: short, linking every docs/ page, and no relative link leads nowhere.

docs/notes/ holds engineers' notes waiting to be merged into the pages; it is not counted."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README_MAX_LINES = 200
NOTES = Path("docs/notes")

FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(`+).+?\1", re.DOTALL)
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def pages(root: Path) -> list[Path]:
    """README.md and every docs/ page but the notes, relative to ``root``."""
    docs = sorted(p.relative_to(root) for p in (root / "docs").rglob("*.md"))
    return [Path("README.md"), *(p for p in docs if not p.is_relative_to(NOTES))]


def prose(text: str) -> str:
    """The text without code blocks and code spans, where a link is only an example."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def anchors(text: str) -> set[str]:
    """GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces to
    hyphens, a repeated one numbered. Code spans keep their words, as on GitHub."""
    found: set[str] = set()
    for heading in HEADING.findall(FENCE.sub("", text)):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        candidate, n = slug, 0
        while candidate in found:
            n += 1
            candidate = f"{slug}-{n}"
        found.add(candidate)
    return found


def links(root: Path, page: Path) -> list[tuple[Path, str]]:
    """Every relative link of a page: (target relative to ``root``, anchor or "")."""
    found = []
    for target in LINK.findall(prose((root / page).read_text(encoding="utf-8"))):
        if EXTERNAL.match(target):
            continue
        path, _, anchor = target.partition("#")
        resolved = posixpath.normpath((page.parent / path).as_posix()) if path else str(page)
        found.append((Path(resolved), anchor))
    return found


def _anchors_of(path: Path) -> set[str]:
    return anchors(path.read_text(encoding="utf-8"))


def readme_too_long(root: Path) -> list[str]:
    count = len((root / "README.md").read_text(encoding="utf-8").splitlines())
    return [f"README.md has {count} lines"] if count > README_MAX_LINES else []


def unlinked_pages(root: Path) -> list[str]:
    linked = {target for target, _ in links(root, Path("README.md"))}
    return [
        f"{page} is not linked from README.md" for page in pages(root)[1:] if page not in linked
    ]


def broken_links(root: Path) -> list[str]:
    found = []
    for page in pages(root):
        for target, anchor in links(root, page):
            where = f"{page} -> {target}{'#' + anchor if anchor else ''}"
            if not (root / target).exists():
                found.append(f"{where}: no such file")
            elif anchor and target.suffix == ".md" and anchor not in _anchors_of(root / target):
                found.append(f"{where}: no such heading")
    return found


def test_the_readme_is_a_short_map() -> None:
    assert readme_too_long(ROOT) == []


def test_the_readme_links_every_page() -> None:
    assert len(pages(ROOT)) > 1
    assert unlinked_pages(ROOT) == []


def test_every_relative_link_leads_somewhere() -> None:
    assert broken_links(ROOT) == []


def test_the_checks_catch_each_problem(tmp_path: Path) -> None:
    def write(relative: str, text: str) -> None:
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    write(
        "README.md",
        "# Map\n\n[ops](docs/operating.md#backups) [gone](docs/gone.md) [ext](https://x.org/a.md)\n"
        "[code](docs/code.md) `[not a link](docs/nowhere.md)`\n"
        "```\n[example](docs/example.md)\n```\n" + "line\n" * README_MAX_LINES,
    )
    write(
        "docs/operating.md", "# Operating\n\n## Backups\n\n[up](../README.md#map) [bad](#restore)\n"
    )
    write(
        "docs/code.md",
        "# `cumthidua run`\n\n[self](#cumthidua-run) [other](operating.md#backups)\n",
    )
    write("docs/lonely.md", "# Lonely\n")
    write("docs/notes/someone.md", "# Notes\n\n[anything](../../nowhere.md)\n")

    assert readme_too_long(tmp_path) == [f"README.md has {README_MAX_LINES + 7} lines"]
    assert unlinked_pages(tmp_path) == ["docs/lonely.md is not linked from README.md"]
    assert broken_links(tmp_path) == [
        "README.md -> docs/gone.md: no such file",
        "docs/operating.md -> docs/operating.md#restore: no such heading",
    ]
