"""Top-K, gate 3: frequencies over a sliding window. Every add is queued with its time; because the
window is the same length for every add, adds expire in arrival order, so each call pops expired adds
from the front and decrements their counts, O(1) amortized. A key whose count reaches zero is removed,
so memory is proportional to the adds inside the window."""

import heapq
import time
from collections import deque


class TopK:
    def __init__(self, k):
        self._k = k
        self._heap = []

    def add(self, value):
        if len(self._heap) < self._k:
            heapq.heappush(self._heap, value)
        elif self._k and value > self._heap[0]:
            heapq.heapreplace(self._heap, value)

    def top(self):
        return sorted(self._heap, reverse=True)


class TopKFrequent:
    def __init__(self, k, window=None, clock=time.monotonic):
        self._k = k
        self._window = window
        self._clock = clock
        self._counts = {}
        self._events = deque()

    def _expire(self):
        if self._window is None:
            return
        now = self._clock()
        while self._events and now - self._events[0][0] >= self._window:
            _, key = self._events.popleft()
            self._counts[key] -= 1
            if self._counts[key] == 0:
                del self._counts[key]

    def add(self, key):
        self._expire()
        self._counts[key] = self._counts.get(key, 0) + 1
        if self._window is not None:
            self._events.append((self._clock(), key))

    def __len__(self):
        self._expire()
        return len(self._counts)

    def top(self):
        self._expire()
        best = heapq.nsmallest(self._k, self._counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return [(key, count) for key, count in best]
