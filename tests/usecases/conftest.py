"""Use cases are tested on the real services (SQLite in a temporary folder), as handlers are."""

from tests.handlers.conftest import services

__all__ = ["services"]
