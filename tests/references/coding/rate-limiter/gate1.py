"""Rate limiter, gate 1: at most `limit` requests per key per `window` seconds."""

import time


class RateLimiter:
    """Fixed windows: each key counts requests in a window that opens at its first request.

    Two numbers per key and O(1) per call. The cost is at the window's edge: a key can
    send `limit` requests just before a window closes and `limit` more just after, so up to
    twice the limit gets through in a short span.
    """

    def __init__(self, limit, window, clock=time.monotonic):
        self.limit = limit
        self.window = window
        self._clock = clock
        self._windows = {}  # key -> (window start, requests counted in it)

    def allow(self, key):
        now = self._clock()
        start, count = self._windows.get(key, (None, 0))
        if start is None or now - start >= self.window:
            start, count = now, 0
        if count >= self.limit:
            return False
        self._windows[key] = (start, count + 1)
        return True
