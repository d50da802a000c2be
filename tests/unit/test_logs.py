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


def test_an_error_raised_from_one_that_held_the_token_is_logged_without_details(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An HTTP client's error holds the URL, and the URL the token: the traceback would show
    it under the neutral error raised from it."""
    logger = logging.getLogger("test.redact.chain")
    logger.addFilter(RedactSecrets([TOKEN]))
    with caplog.at_level(logging.INFO, logger="test.redact.chain"):
        try:
            try:
                raise ValueError(f"cannot reach https://api.telegram.org/bot{TOKEN}/sendMessage")
            except ValueError as exc:
                raise ConnectionError("network error") from exc
        except ConnectionError:
            logger.exception("send failed")
    assert TOKEN not in caplog.text
    assert "send failed (exception details withheld" in caplog.text
