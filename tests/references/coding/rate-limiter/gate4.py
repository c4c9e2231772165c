"""Rate limiter, gate 4: per-key limits that hold across machines through a shared store."""

import time
from collections import OrderedDict

# Optimistic retries per request when other machines update the same key in between.
MAX_CAS_ATTEMPTS = 8


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
    """Token buckets per key, an optional global bucket, bounded local memory, optional shared store.

    With a store, each key's bucket lives there as {"tokens", "at"} and a request takes a
    token with compare-and-set: read, refill, write back only if nobody changed it in
    between, else retry. That is one or two round trips per request (about 1 ms each in a
    region) and exact across machines; per-machine shares of the limit would avoid the
    round trip but over-admit whenever traffic is uneven across machines.

    If the store fails, the request is decided by this machine's own bucket for the key:
    the API stays up and each key is still limited, at worst to N times its limit across N
    machines, until the store is back. Failing closed would turn a store outage into an API
    outage; failing fully open would drop the protection the limiter exists for.

    The global limit stays per machine: a global counter in the store would make every
    request on every machine contend on one key.
    """

    def __init__(
        self, limit, window, burst=None, global_limit=None, max_keys=100_000, store=None, clock=time.monotonic
    ):
        self._per_key = TokenBucketPolicy(limit / window, limit if burst is None else burst)
        self._clock = clock
        self._store = store
        self.max_keys = max_keys
        self._buckets = OrderedDict()
        self._global_policy = None
        self._global = None
        if global_limit is not None:
            self._global_policy = TokenBucketPolicy(global_limit / window, global_limit)
            self._global = self._global_policy.new_bucket(clock())

    def allow(self, key):
        now = self._clock()
        # Check the global bucket first but take from it last, so a request the per-key
        # limit denies costs the global limit nothing, and the other way round.
        if self._global is not None:
            self._global_policy.refill(self._global, now)
            if self._global.tokens < 1:
                return False
        if not self._take_for_key(key, now):
            return False
        if self._global is not None:
            self._global.tokens -= 1
        return True

    def __len__(self):
        return len(self._buckets)

    def _take_for_key(self, key, now):
        if self._store is None:
            return self._take_local(key, now)
        try:
            return self._take_shared(key, now)
        except Exception:  # noqa: BLE001 - any store failure falls back to local limiting
            return self._take_local(key, now)

    def _take_shared(self, key, now):
        name = f"ratelimit:{key}"
        policy = self._per_key
        for _ in range(MAX_CAS_ATTEMPTS):
            state = self._store.get(name)
            if state is None:
                tokens, at = policy.burst, now
            else:
                at = max(now, state["at"])  # another machine's clock may run slightly ahead
                tokens = min(policy.burst, state["tokens"] + max(0.0, now - state["at"]) * policy.rate)
            if tokens < 1:
                return False
            if self._store.compare_and_set(name, state, {"tokens": tokens - 1, "at": at}):
                return True
        # Still losing races after several tries: the key is that hot, so deny.
        return False

    def _take_local(self, key, now):
        bucket = self._buckets.get(key)
        if bucket is not None:
            self._buckets.move_to_end(key)
        else:
            while len(self._buckets) >= self.max_keys:
                self._buckets.popitem(last=False)
            bucket = self._buckets[key] = self._per_key.new_bucket(now)
        self._per_key.refill(bucket, now)
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        return True
