"""Event de-duplicator, gate 2: ids are forgotten once their window has passed.

Ids are remembered in the order they were first seen, which is also the order their windows
end, so expired ids are always at the front: each call pops from the front until it meets a
live id, O(1) amortized.
"""

import time
from collections import OrderedDict


class Deduper:
    def __init__(self, window, clock=time.monotonic):
        self._window = window
        self._clock = clock
        self._first_seen_at = OrderedDict()

    def __len__(self):
        return len(self._first_seen_at)

    def _forget_expired(self, now):
        while self._first_seen_at:
            event_id, started = next(iter(self._first_seen_at.items()))
            if now - started < self._window:
                break
            self._first_seen_at.popitem(last=False)

    def first_seen(self, event_id):
        now = self._clock()
        self._forget_expired(now)
        if event_id in self._first_seen_at:
            return False
        self._first_seen_at[event_id] = now
        return True
