"""Time-based key-value store, gate 1: set and get at a time, timestamps increasing per key."""

from bisect import bisect_right
from collections import defaultdict


class History:
    """One key's versions: timestamps in increasing order and the values set at them."""

    __slots__ = ("timestamps", "values")

    def __init__(self):
        self.timestamps = []
        self.values = []


class TimeMap:
    """A dictionary of per-key histories, searched by binary search.

    With increasing timestamps each set is an O(1) append and the lists stay sorted for
    free; get is O(log n) in the key's number of versions.
    """

    def __init__(self):
        self._histories = defaultdict(History)

    def set(self, key, value, timestamp):
        history = self._histories[key]
        history.timestamps.append(timestamp)
        history.values.append(value)

    def get(self, key, timestamp):
        history = self._histories.get(key)
        if history is None:
            return ""
        index = bisect_right(history.timestamps, timestamp)
        return history.values[index - 1] if index else ""
