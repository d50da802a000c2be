"""The use cases run on the same real services as the handlers' tests."""

from tests.handlers.conftest import services

__all__ = ["services"]
