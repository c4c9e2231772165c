"""Time-based key-value store, gate 4: safe for many readers and writers at once."""

import threading
from bisect import bisect_left, bisect_right

# A delete is stored as a version holding this marker, so reads before it still see the past.
DELETED = object()


class History:
    """One key's versions as an immutable (timestamps, values) pair, replaced whole on each write."""

    __slots__ = ("lock", "versions")

    def __init__(self):
        self.lock = threading.Lock()  # serialises writers of this key only
        self.versions = ((), ())


class TimeMap:
    """Copy-on-write histories: readers take no lock at all.

    A writer holds its key's lock while it searches, builds a new pair of tuples and
    publishes it with one attribute assignment; a reader takes whichever pair is current
    and searches it, so it never sees a half-done insert and never waits, even for a writer
    of the same key. The price is an O(n) copy per write, which suits reads outnumbering
    writes 100 to 1; with frequent writes to long histories, per-key read-write locks
    would copy nothing but make readers wait. Writers of different keys never share a lock,
    except briefly when a key is created.
    """

    def __init__(self, retention=None):
        self.retention = retention
        self._histories = {}
        self._keys_lock = threading.Lock()

    def set(self, key, value, timestamp):
        self._write(key, value, timestamp)

    def delete(self, key, timestamp):
        self._write(key, DELETED, timestamp)

    def get(self, key, timestamp):
        history = self._histories.get(key)
        if history is None:
            return ""
        timestamps, values = history.versions
        index = bisect_right(timestamps, timestamp)
        if not index or values[index - 1] is DELETED:
            return ""
        return values[index - 1]

    def history(self, key, start, end):
        history = self._histories.get(key)
        if history is None:
            return []
        timestamps, values = history.versions
        low = bisect_left(timestamps, start)
        high = bisect_right(timestamps, end)
        return [(timestamps[i], values[i]) for i in range(low, high) if values[i] is not DELETED]

    def _write(self, key, value, timestamp):
        history = self._history_for(key)
        with history.lock:
            timestamps, values = history.versions
            index = bisect_left(timestamps, timestamp)
            if index < len(timestamps) and timestamps[index] == timestamp:
                values = values[:index] + (value,) + values[index + 1 :]  # the later write wins
            else:
                timestamps = timestamps[:index] + (timestamp,) + timestamps[index:]
                values = values[:index] + (value,) + values[index:]
            if self.retention is not None:
                # Keep the last version at or before the cutoff: it answers a get at the cutoff.
                keep_from = max(0, bisect_right(timestamps, timestamps[-1] - self.retention) - 1)
                timestamps, values = timestamps[keep_from:], values[keep_from:]
            history.versions = (timestamps, values)

    def _history_for(self, key):
        history = self._histories.get(key)
        if history is None:
            with self._keys_lock:
                # Two writers may both see the key missing; only one History may win.
                history = self._histories.setdefault(key, History())
        return history
