"""A token bucket: ``burst`` events at once, then ``per_second`` on average."""

from __future__ import annotations

__all__ = ["TokenBucket"]


class TokenBucket:
    def __init__(self, burst: int, per_second: float, now: float) -> None:
        self.burst = burst
        self.per_second = per_second
        self.tokens = float(burst)
        self._at = now
        self.warned = False
        """Whether the sender has been told to slow down since their last admitted event."""

    def take(self, now: float) -> bool:
        """Spend one token if there is one; True when the event may go ahead."""
        self.tokens = min(self.burst, self.tokens + (now - self._at) * self.per_second)
        self._at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True
