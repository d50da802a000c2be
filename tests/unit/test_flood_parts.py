"""The pure parts of flood control: the token bucket and the bounded map."""

from __future__ import annotations

from bot.domain.bounded import BoundedMap
from bot.domain.token_bucket import TokenBucket


def test_a_bucket_admits_its_burst_then_holds_the_sender_until_full_again() -> None:
    bucket = TokenBucket(burst=3, per_second=1.0, now=0.0)
    assert [bucket.take(0.0) for _ in range(5)] == [True, True, True, False, False]
    assert not bucket.take(2.0)  # two tokens back, but held until the bucket is full
    assert bucket.take(3.0)
    assert bucket.take(3.0) and bucket.take(3.0) and not bucket.take(3.0)


def test_a_bounded_map_forgets_the_least_recently_used() -> None:
    cache: BoundedMap[str, int | None] = BoundedMap(2)
    cache["a"], cache["b"] = 1, None
    assert cache.get("a") == 1  # "a" is now the most recent
    cache["c"] = 3
    assert "b" not in cache and "a" in cache and len(cache) == 2
    assert cache["c"] == 3
