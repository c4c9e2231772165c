"""Top-K, gate 2: adds the k most frequent keys. Counts are exact in a dict; top() picks the k best
with heapq.nsmallest on (-count, key), O(n log k) for n distinct keys, ties going to the smaller key."""

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


class TopKFrequent:
    def __init__(self, k):
        self._k = k
        self._counts = {}

    def add(self, key):
        self._counts[key] = self._counts.get(key, 0) + 1

    def top(self):
        best = heapq.nsmallest(self._k, self._counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return [(key, count) for key, count in best]
