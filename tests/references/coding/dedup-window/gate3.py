"""Event de-duplicator, gate 3: safe for many threads.

One lock covers forgetting, the membership test and recording the id, so two threads can never
both see an id as new. Calls are short, so a single lock costs little against striping.
"""

import threading
import time
from collections import OrderedDict


class Deduper:
    def __init__(self, window, clock=time.monotonic):
        self._window = window
        self._clock = clock
        self._first_seen_at = OrderedDict()
        self._lock = threading.Lock()

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
            self._first_seen_at[event_id] = now
            return True
