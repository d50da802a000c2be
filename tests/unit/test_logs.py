from __future__ import annotations

import logging

import pytest

from bot.logs import RedactSecrets, configure_logging

TOKEN = "123456:SECRET-abcdef"


def test_secrets_are_redacted_from_messages_and_arguments(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.redact")
    logger.addFilter(RedactSecrets([TOKEN]))
    with caplog.at_level(logging.INFO, logger="test.redact"):
        logger.info("POST https://api.telegram.org/bot%s/getUpdates", TOKEN)
    assert TOKEN not in caplog.text
    assert "bot***/getUpdates" in caplog.text


def test_http_client_loggers_are_silenced() -> None:
    configure_logging("DEBUG", [TOKEN])
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("httpcore").getEffectiveLevel() == logging.WARNING
