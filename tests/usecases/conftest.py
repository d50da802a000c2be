"""The use cases are tested on the same services as the handlers (real SQLite)."""

from tests.handlers.conftest import dispatcher, services

__all__ = ["dispatcher", "services"]
