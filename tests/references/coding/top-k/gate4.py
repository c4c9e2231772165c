"""Top-K, gate 4: adds a Count-Min Sketch for approximate counts in fixed memory, beside the exact
sliding-window counts of gate 3. Each of depth rows hashes a key to one of width counters with its own
keyed blake2b hash (stable across processes, unlike hash(), so sketches built on different machines
merge); add bumps one counter per row and estimate takes the minimum. Collisions only ever add, so the
estimate never falls below the truth, and with width = e / epsilon and depth = ln(1 / delta) it exceeds
the truth by more than epsilon times the total count with probability at most delta.

Gate 3: frequencies over a sliding window. Every add is queued with its time; because the
window is the same length for every add, adds expire in arrival order, so each call pops expired adds
from the front and decrements their counts, O(1) amortized. A key whose count reaches zero is removed,
so memory is proportional to the adds inside the window."""

import hashlib
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


class CountMinSketch:
    def __init__(self, width, depth, seed=0):
        self.width = width
        self.depth = depth
        self.seed = seed
        self._rows = [[0] * width for _ in range(depth)]
        self._keys = [hashlib.blake2b(f"{seed}:{row}".encode(), digest_size=16).digest() for row in range(depth)]

    def _columns(self, key):
        data = str(key).encode()
        for row in range(self.depth):
            digest = hashlib.blake2b(data, digest_size=8, key=self._keys[row]).digest()
            yield row, int.from_bytes(digest, "little") % self.width

    def add(self, key, count=1):
        for row, column in self._columns(key):
            self._rows[row][column] += count

    def estimate(self, key):
        return min(self._rows[row][column] for row, column in self._columns(key))

    def merge(self, other):
        if (other.width, other.depth, other.seed) != (self.width, self.depth, self.seed):
            raise ValueError("only sketches with the same width, depth and seed can be merged")
        for mine, theirs in zip(self._rows, other._rows):
            for column, value in enumerate(theirs):
                mine[column] += value
