"""Top-K, gate 1: the k largest values of a stream, in a min-heap of at most k values.

The heap's root is the smallest of the current top k, so a new value either loses to it (O(1)) or
replaces it (O(log k)). Memory is O(k) however long the stream runs.
"""

import heapq


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
