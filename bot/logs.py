"""Logging set-up: quiet HTTP client loggers (their lines hold the token), redact secrets, and
optionally write one JSON object per line for a log collector, and keep other libraries'
DEBUG lines out (they print SQL parameters, API payloads and document text: names, drafts,
messages)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import TextIO

__all__ = ["JsonLines", "OwnDebugOnly", "RedactSecrets", "configure_logging", "secrets_of"]

NOISY = ("httpx", "httpcore", "aiohttp.access", "apscheduler.executors.default", "telegram.ext")
OWN_PACKAGES = frozenset({"bot", "handlers", "storage", "__main__"})
CHATTY = ("aiosqlite", "telegram", "pdfminer", "pdfplumber", "PIL", "matplotlib", "asyncio")
"""Libraries whose DEBUG lines hold what users sent; held at INFO (and filtered regardless)."""


class OwnDebugOnly(logging.Filter):
    """Let DEBUG records through only from the project's own code, whose lines carry ids and
    counts, never what a user wrote or is called."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG or record.name.split(".")[0] in OWN_PACKAGES


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
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and any(s in t for t in _chain(error) for s in self._secrets):
            record.exc_info = None
            record.msg = f"{record.msg} (exception details withheld: they held a secret)"
        return True


def _chain(exc: BaseException) -> Iterator[str]:
    """The texts of an exception and of those it was raised from or during (a traceback shows
    them all: an HTTP client's error holds the URL, and the URL the token)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield str(current)
        current = current.__cause__ or current.__context__


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


def configure_logging(
    level: str, secrets: Iterable[str], json_lines: bool = False, stream: TextIO | None = None
) -> None:
    """Log to ``stream`` (standard error by default) at ``level``, as text or JSON lines."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        JsonLines()
        if json_lines
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(RedactSecrets(secrets))
    handler.addFilter(OwnDebugOnly())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in CHATTY:
        logging.getLogger(name).setLevel(max(logging.INFO, root.level))
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.WARNING)
