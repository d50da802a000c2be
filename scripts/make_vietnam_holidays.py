"""Writes bot/domain/vietnam_holidays.py: Vietnam's public holidays from the ``holidays`` library,
as a table of the years the bot plans in.

The library builds a country's calendar only by importing every country it knows (about 280
modules, 8 MB in the bot's process); the table keeps that out of the process for the years it
holds, and tests/unit/test_vietnam_holidays.py fails when the library no longer agrees (a new
decree moving Tết's days off, a new version): then run
`.venv/bin/python scripts/make_vietnam_holidays.py` and commit the module.
"""

from __future__ import annotations

from pathlib import Path

import holidays

YEARS = range(2015, 2046)
TARGET = Path(__file__).resolve().parents[1] / "bot" / "domain" / "vietnam_holidays.py"


def table() -> dict[int, str]:
    found = holidays.country_holidays("VN", years=list(YEARS))
    return {year: " ".join(sorted(f"{d:%m%d}" for d in found if d.year == year)) for year in YEARS}


def main() -> None:
    rows = "\n".join(f'    {year}: "{days}",' for year, days in table().items())
    TARGET.write_text(
        '"""Vietnam\'s public holidays by year, as month and day (MMDD), written by\n'
        "scripts/make_vietnam_holidays.py from the ``holidays`` library "
        f'{holidays.__version__}: do not edit."""\n\n'
        '__all__ = ["VIETNAM_HOLIDAYS"]\n\n'
        f"VIETNAM_HOLIDAYS: dict[int, str] = {{\n{rows}\n}}\n"
    )


if __name__ == "__main__":
    main()
