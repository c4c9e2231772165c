"""Event de-duplicator, gate 1: an id is new unless it was first seen less than `window` seconds ago."""

import time


class Deduper:
    """Remembers when each id was first seen; nothing is ever forgotten yet."""

    def __init__(self, window, clock=time.monotonic):
        self._window = window
        self._clock = clock
        self._first_seen_at = {}

    def first_seen(self, event_id):
        now = self._clock()
        started = self._first_seen_at.get(event_id)
        if started is not None and now - started < self._window:
            return False
        self._first_seen_at[event_id] = now
        return True
