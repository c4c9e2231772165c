"""Event de-duplicator, gate 4: an optional hard cap on remembered ids.

When the cap is reached the oldest id is forgotten before its window ends, which may let a
late duplicate through; forgotten_early counts those, so the cost of the cap is measurable.
"""

import threading
import time
from collections import OrderedDict


class Deduper:
    def __init__(self, window, clock=time.monotonic, max_ids=None):
        self._window = window
        self._clock = clock
        self._max_ids = max_ids
        self._first_seen_at = OrderedDict()
        self._lock = threading.Lock()
        self.forgotten_early = 0

    def __len__(self):
        with self._lock:
            return len(self._first_seen_at)

    def _forget_expired(self, now):
        while self._first_seen_at:
            event_id, started = next(iter(self._first_seen_at.items()))
            if now - started < self._window:
                break
            self._first_seen_at.popitem(last=False)

    def first_seen(self, event_id):
        with self._lock:
            now = self._clock()
            self._forget_expired(now)
            if event_id in self._first_seen_at:
                return False
            if self._max_ids is not None and len(self._first_seen_at) >= self._max_ids:
                self._first_seen_at.popitem(last=False)
                self.forgotten_early += 1
            self._first_seen_at[event_id] = now
            return True
