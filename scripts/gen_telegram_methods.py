"""Generate ``bot/fakes/telegram_methods.json`` from the Telegram Bot API spec.

The spec (MIT, PaulSonOfLars/telegram-bot-api-spec) is large; the fake server only needs, per
method, the names of its parameters and which of them are required. Run it when the spec changes:

    python scripts/gen_telegram_methods.py path/to/api.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "bot" / "fakes" / "telegram_methods.json"


def compact(spec: dict) -> dict:
    methods = {}
    for name, method in sorted(spec["methods"].items()):
        fields = method.get("fields", [])
        methods[name] = {
            "required": [f["name"] for f in fields if f.get("required")],
            "optional": [f["name"] for f in fields if not f.get("required")],
        }
    return {"version": spec.get("version", ""), "methods": methods}


def main(argv: list[str]) -> int:
    source = Path(argv[1] if len(argv) > 1 else "../shared/specs/telegram-bot-api/api.json")
    table = compact(json.loads(source.read_text(encoding="utf-8")))
    OUT.write_text(json.dumps(table, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(table['methods'])} methods, {table['version']} -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
