"""Time-based key-value store, gate 2: timestamps may arrive in any order."""

from bisect import bisect_left, bisect_right
from collections import defaultdict


class History:
    """One key's versions: timestamps in increasing order and the values set at them."""

    __slots__ = ("timestamps", "values")

    def __init__(self):
        self.timestamps = []
        self.values = []


class TimeMap:
    """A dictionary of per-key histories kept sorted on insert.

    An in-order set is still an O(1) append; an out-of-order one shifts the later entries,
    O(n) for that key. That is fine while late writes are rare or histories short; a key
    with mostly late writes would want append-then-sort-on-read or a sorted container.
    """

    def __init__(self):
        self._histories = defaultdict(History)

    def set(self, key, value, timestamp):
        history = self._histories[key]
        index = bisect_left(history.timestamps, timestamp)
        if index < len(history.timestamps) and history.timestamps[index] == timestamp:
            history.values[index] = value  # the same moment set again: the later set wins
        else:
            history.timestamps.insert(index, timestamp)
            history.values.insert(index, value)

    def get(self, key, timestamp):
        history = self._histories.get(key)
        if history is None:
            return ""
        index = bisect_right(history.timestamps, timestamp)
        return history.values[index - 1] if index else ""
