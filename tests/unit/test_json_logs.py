"""Optional JSON log lines: one object per line, secrets still redacted."""

from __future__ import annotations

import io
import json
import logging

from bot.logs import JsonLines, RedactSecrets

TOKEN = "123456:SECRET-abcdef"


def test_a_record_is_one_json_line_with_the_secret_redacted() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLines())
    handler.addFilter(RedactSecrets([TOKEN]))
    logger = logging.getLogger("test.json")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("polling https://api.telegram.org/bot%s/getUpdates", TOKEN)
        try:
            raise ValueError('a quote " and a line\nbreak')
        except ValueError:
            logger.exception("handler failed for %s", "telegram")
    finally:
        logger.removeHandler(handler)
    first, second = stream.getvalue().splitlines()
    line = json.loads(first)
    assert line["level"] == "WARNING" and line["logger"] == "test.json"
    assert line["message"] == "polling https://api.telegram.org/bot***/getUpdates"
    assert line["time"].endswith("+00:00")
    failure = json.loads(second)
    assert failure["message"] == "handler failed for telegram"
    assert failure["exception"].startswith("Traceback") and "ValueError" in failure["exception"]
    assert TOKEN not in stream.getvalue()
