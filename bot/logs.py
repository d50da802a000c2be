"""Logging set-up: quiet HTTP client loggers (their lines hold the token), redact secrets, and
optionally write one JSON object per line for a log collector."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime

__all__ = ["JsonLines", "RedactSecrets", "configure_logging", "secrets_of"]

NOISY = ("httpx", "httpcore", "aiohttp.access", "apscheduler.executors.default", "telegram.ext")


class RedactSecrets(logging.Filter):
    """Replace every known secret in a record's final message by ``***``."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self._secrets):
            for secret in self._secrets:
                message = message.replace(secret, "***")
            record.msg, record.args = message, None
        if record.exc_info and record.exc_info[1] is not None:
            text = str(record.exc_info[1])
            if any(secret in text for secret in self._secrets):
                record.exc_info = None
                record.msg = f"{record.msg} (exception details withheld: they held a secret)"
        return True


class JsonLines(logging.Formatter):
    """``{"time", "level", "logger", "message"[, "exception"]}`` on one line (after redaction:
    the filter runs before any formatter)."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def secrets_of(settings: object) -> list[str]:
    """Every SecretStr value of a settings object, for the redacting filter."""
    values = []
    for value in vars(settings).values():
        reveal = getattr(value, "get_secret_value", None)
        if reveal is not None:
            values.append(str(reveal()))
    return values


def configure_logging(level: str, secrets: Iterable[str], json_lines: bool = False) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonLines()
        if json_lines
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.WARNING)
