"""The bot's process does not load what idle does not need: the heavy file libraries are
imported by the code that makes or reads a file, not by the start (see docs/benchmarks.md)."""

import json
import subprocess
import sys
from pathlib import Path

NOT_AT_START = (
    *("openpyxl", "numpy", "PIL", "lxml", "docx", "docxtpl", "matplotlib", "pdfplumber"),
    *("icalendar", "segno", "holidays", "jinja2"),
)


def test_importing_the_bot_loads_no_file_library() -> None:
    probe = "import json, sys, bot.cli.main; print(json.dumps(sorted(sys.modules)))"
    loaded = json.loads(
        subprocess.run(
            [sys.executable, "-c", probe],
            cwd=Path(__file__).parents[2],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    top = {name.split(".")[0] for name in loaded}
    assert top.isdisjoint(NOT_AT_START), sorted(top.intersection(NOT_AT_START))
