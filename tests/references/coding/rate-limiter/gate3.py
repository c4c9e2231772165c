"""Rate limiter, gate 3: a global limit on top of per-key limits, with bounded memory."""

import time
from collections import OrderedDict


class Bucket:
    __slots__ = ("tokens", "updated_at")

    def __init__(self, tokens, updated_at):
        self.tokens = tokens
        self.updated_at = updated_at


class TokenBucketPolicy:
    """Capacity `burst`, refilled at `rate` per second, computed lazily from elapsed time."""

    def __init__(self, rate, burst):
        self.rate = rate
        self.burst = burst

    def new_bucket(self, now):
        return Bucket(self.burst, now)

    def refill(self, bucket, now):
        elapsed = max(0.0, now - bucket.updated_at)
        bucket.tokens = min(self.burst, bucket.tokens + elapsed * self.rate)
        bucket.updated_at = now


class RateLimiter:
    """Per-key token buckets, an optional global bucket, and at most `max_keys` keys held.

    A request must find a token in both buckets before it takes from either, so a denial
    by one never costs the caller in the other. Keys are kept in least-recently-seen order
    and the longest idle one is dropped when room is needed: a dropped key comes back as a
    full bucket, which is exactly what it would have refilled to if it had been idle for a
    window, so only keys idle for less than that lose anything. Memory is about 200 bytes
    per key, so the default bound of 100,000 keys is about 20 MB.
    """

    def __init__(self, limit, window, burst=None, global_limit=None, max_keys=100_000, clock=time.monotonic):
        self._per_key = TokenBucketPolicy(limit / window, limit if burst is None else burst)
        self._clock = clock
        self.max_keys = max_keys
        self._buckets = OrderedDict()
        self._global_policy = None
        self._global = None
        if global_limit is not None:
            self._global_policy = TokenBucketPolicy(global_limit / window, global_limit)
            self._global = self._global_policy.new_bucket(clock())

    def allow(self, key):
        now = self._clock()
        bucket = self._bucket_for(key, now)
        self._per_key.refill(bucket, now)
        if bucket.tokens < 1:
            return False
        if self._global is not None:
            self._global_policy.refill(self._global, now)
            if self._global.tokens < 1:
                return False
            self._global.tokens -= 1
        bucket.tokens -= 1
        return True

    def __len__(self):
        return len(self._buckets)

    def _bucket_for(self, key, now):
        bucket = self._buckets.get(key)
        if bucket is not None:
            self._buckets.move_to_end(key)
            return bucket
        while len(self._buckets) >= self.max_keys:
            self._buckets.popitem(last=False)
        bucket = self._buckets[key] = self._per_key.new_bucket(now)
        return bucket
