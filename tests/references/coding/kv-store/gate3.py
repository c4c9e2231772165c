"""Key-value store, gate 3: safe under concurrent access, with an atomic incr."""

import heapq
import itertools
import threading
import time
from dataclasses import dataclass

# Expired keys reclaimed per write: bounds how long one write holds the lock for cleanup.
PURGE_BATCH = 64


@dataclass(frozen=True)
class Entry:
    value: object
    expires_at: float | None  # None: never expires


class KVStore:
    """One lock around every operation.

    Reads are a dictionary lookup and writes a lookup plus a heap push, so the lock is held
    for microseconds; a single lock keeps check-then-act sequences (expiry check then delete,
    read then incr) atomic without reasoning about lock ordering. Striping by key hash is the
    next step if profiling shows contention.
    """

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._entries = {}
        # (expires_at, tiebreak, key) for every TTL set; stale records (the key was
        # overwritten since) no longer match the entry's expiry and are skipped.
        self._expiry_heap = []
        self._tiebreak = itertools.count()

    def set(self, key, value, ttl=None):
        with self._lock:
            now = self._clock()
            self._store(key, Entry(value, None if ttl is None else now + ttl))
            self._purge_expired(now, PURGE_BATCH)

    def get(self, key):
        with self._lock:
            entry = self._live_entry(key, self._clock())
            return None if entry is None else entry.value

    def delete(self, key):
        with self._lock:
            self._entries.pop(key, None)

    def incr(self, key, amount=1):
        with self._lock:
            now = self._clock()
            entry = self._live_entry(key, now)
            if entry is None:
                entry = Entry(amount, None)
            else:
                entry = Entry(entry.value + amount, entry.expires_at)
            self._store(key, entry)
            self._purge_expired(now, PURGE_BATCH)
            return entry.value

    def __len__(self):
        with self._lock:
            # An exact count has to finish the sweep; writes only do a bounded part of it.
            self._purge_expired(self._clock(), None)
            return len(self._entries)

    def _store(self, key, entry):
        previous = self._entries.get(key)
        self._entries[key] = entry
        needs_record = previous is None or previous.expires_at != entry.expires_at
        if entry.expires_at is not None and needs_record:
            heapq.heappush(self._expiry_heap, (entry.expires_at, next(self._tiebreak), key))

    def _live_entry(self, key, now):
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires_at is not None and entry.expires_at <= now:
            # Lazy expiry: a read that finds an expired key frees it on the spot.
            del self._entries[key]
            return None
        return entry

    def _purge_expired(self, now, limit):
        heap = self._expiry_heap
        purged = 0
        while heap and heap[0][0] <= now and (limit is None or purged < limit):
            expires_at, _, key = heapq.heappop(heap)
            entry = self._entries.get(key)
            if entry is not None and entry.expires_at == expires_at:
                del self._entries[key]
            purged += 1
