"""Time-based key-value store, gate 3: deletes as tombstones, range queries, retention."""

from bisect import bisect_left, bisect_right
from collections import defaultdict

# A delete is stored as a version holding this marker, so reads before it still see the past.
DELETED = object()
# Retention trims a key's old versions once at least this many can go, so the O(n) cost of
# dropping a list prefix is paid once per batch rather than on every write.
TRIM_BATCH = 32


class History:
    """One key's versions: timestamps in increasing order and the values set at them."""

    __slots__ = ("timestamps", "values")

    def __init__(self):
        self.timestamps = []
        self.values = []


class TimeMap:
    """A dictionary of per-key histories kept sorted on insert.

    Each version costs two list slots plus its value, about 16 bytes of list space beyond
    the objects themselves. history() finds both ends by binary search: O(log n + k).
    """

    def __init__(self, retention=None):
        self.retention = retention
        self._histories = defaultdict(History)

    def set(self, key, value, timestamp):
        self._write(key, value, timestamp)

    def delete(self, key, timestamp):
        self._write(key, DELETED, timestamp)

    def get(self, key, timestamp):
        history = self._histories.get(key)
        if history is None:
            return ""
        index = bisect_right(history.timestamps, timestamp)
        if not index or history.values[index - 1] is DELETED:
            return ""
        return history.values[index - 1]

    def history(self, key, start, end):
        history = self._histories.get(key)
        if history is None:
            return []
        low = bisect_left(history.timestamps, start)
        high = bisect_right(history.timestamps, end)
        return [
            (history.timestamps[i], history.values[i])
            for i in range(low, high)
            if history.values[i] is not DELETED
        ]

    def _write(self, key, value, timestamp):
        history = self._histories[key]
        index = bisect_left(history.timestamps, timestamp)
        if index < len(history.timestamps) and history.timestamps[index] == timestamp:
            history.values[index] = value  # the same moment written again: the later write wins
        else:
            history.timestamps.insert(index, timestamp)
            history.values.insert(index, value)
        if self.retention is not None:
            self._trim(history)

    def _trim(self, history):
        """Drop versions no get at or after (newest - retention) can need.

        The last version at or before the cutoff stays, because it answers a get at the
        cutoff itself.
        """
        cutoff = history.timestamps[-1] - self.retention
        droppable = bisect_right(history.timestamps, cutoff) - 1
        if droppable >= TRIM_BATCH:
            del history.timestamps[:droppable]
            del history.values[:droppable]
