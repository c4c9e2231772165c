"""Key-value store, gate 2: optional TTLs with an injected clock."""

import heapq
import itertools
import time
from dataclasses import dataclass

# Expired keys reclaimed per write: keeps one write's cleanup cost bounded while still
# outpacing the rate at which keys can expire (at most one new TTL per write).
PURGE_BATCH = 64


@dataclass(frozen=True)
class Entry:
    value: object
    expires_at: float | None  # None: never expires


class KVStore:
    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._entries = {}
        # (expires_at, tiebreak, key) for every TTL set. Overwrites leave the old record in
        # place; it is recognised as stale because its time no longer matches the entry's.
        self._expiry_heap = []
        self._tiebreak = itertools.count()

    def set(self, key, value, ttl=None):
        now = self._clock()
        expires_at = None if ttl is None else now + ttl
        self._entries[key] = Entry(value, expires_at)
        if expires_at is not None:
            heapq.heappush(self._expiry_heap, (expires_at, next(self._tiebreak), key))
        self._purge_expired(now, PURGE_BATCH)

    def get(self, key):
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires_at is not None and entry.expires_at <= self._clock():
            # Lazy expiry: a read that finds an expired key frees it on the spot.
            del self._entries[key]
            return None
        return entry.value

    def delete(self, key):
        self._entries.pop(key, None)

    def __len__(self):
        # An exact count has to finish the sweep; writes only ever do a bounded part of it.
        self._purge_expired(self._clock(), None)
        return len(self._entries)

    def _purge_expired(self, now, limit):
        heap = self._expiry_heap
        purged = 0
        while heap and heap[0][0] <= now and (limit is None or purged < limit):
            expires_at, _, key = heapq.heappop(heap)
            entry = self._entries.get(key)
            if entry is not None and entry.expires_at == expires_at:
                del self._entries[key]
            purged += 1
