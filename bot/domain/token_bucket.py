"""A token bucket with a pause: ``burst`` events at once, then ``per_second`` on average; a
sender who runs dry is held until the bucket is full again (so a flood gets no trickle through)."""

from __future__ import annotations

__all__ = ["TokenBucket"]


class TokenBucket:
    def __init__(self, burst: int, per_second: float, now: float, pauses: bool = True) -> None:
        self.burst = burst
        self.per_second = per_second
        self.pauses = pauses
        """Whether running dry holds the sender until the bucket is full again (a shared budget
        trickles instead: each token that comes back admits one event)."""
        self.tokens = float(burst)
        self.held = False
        self.warned = False
        """Whether the sender has been told to slow down since their last admitted event."""
        self._at = now

    def take(self, now: float) -> bool:
        """Spend one token if the sender may go ahead; False while they are held."""
        self.tokens = min(self.burst, self.tokens + (now - self._at) * self.per_second)
        self._at = now
        if self.held and self.tokens < self.burst:
            return False
        self.held = False
        if self.tokens < 1:
            self.held = self.pauses
            return False
        self.tokens -= 1
        return True

    def hold(self, now: float) -> None:
        """Hold the sender as if they had run dry (their chat has too much in work)."""
        self.tokens, self.held, self._at = 0.0, True, now
