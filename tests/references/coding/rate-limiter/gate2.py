"""Rate limiter, gate 2: a token bucket allowing bursts with a long-run average."""

import time


class Bucket:
    __slots__ = ("tokens", "updated_at")

    def __init__(self, tokens, updated_at):
        self.tokens = tokens
        self.updated_at = updated_at


class RateLimiter:
    """A token bucket per key: up to `burst` tokens, refilled at limit / window per second.

    Refill is computed from the time since the key's last request, so there is no timer
    and each call is O(1) with two numbers per key. A sliding window log would be exact
    over any window but keeps one timestamp per allowed request; the bucket's price is that
    right after a burst a key can still send one request every 1 / rate seconds.
    """

    def __init__(self, limit, window, burst=None, clock=time.monotonic):
        self.rate = limit / window
        self.burst = limit if burst is None else burst
        self._clock = clock
        self._buckets = {}

    def allow(self, key):
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = Bucket(self.burst, now)
        self._refill(bucket, now)
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        return True

    def _refill(self, bucket, now):
        elapsed = max(0.0, now - bucket.updated_at)
        bucket.tokens = min(self.burst, bucket.tokens + elapsed * self.rate)
        bucket.updated_at = now
