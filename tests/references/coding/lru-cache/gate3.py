"""LRU cache, gate 3: per-entry TTL; expired entries give up their slots first."""

import heapq
import itertools
import time


class Node:
    __slots__ = ("expires_at", "key", "next", "prev", "value")

    def __init__(self, key, value, expires_at):
        self.key = key
        self.value = value
        self.expires_at = expires_at  # None: never expires
        self.prev = None
        self.next = None


class LRUCache:
    """Recency in a doubly linked list, expiry in a min-heap, both pointing at the same nodes.

    Cleanup is lazy: get drops the expired entry it finds, and a full cache pops expired
    heap records before evicting by recency, so no background thread is needed and a put
    costs O(log n) when it has a TTL. An entry that expires while nothing touches the cache
    holds its memory until the next put or len; a timer would free it sooner at the cost of
    a thread and its locking.
    """

    def __init__(self, capacity, clock=time.monotonic):
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self.capacity = capacity
        self._clock = clock
        self._nodes = {}
        self._newest = Node(None, None, None)  # sentinel before the most recently used node
        self._oldest = Node(None, None, None)  # sentinel after the least recently used node
        self._newest.next = self._oldest
        self._oldest.prev = self._newest
        # (expires_at, tiebreak, node). A record is stale once its node has left the cache
        # or has a new expiry; such records are skipped when popped.
        self._expiry_heap = []
        self._tiebreak = itertools.count()

    def get(self, key):
        node = self._live_node(key, self._clock())
        if node is None:
            return None
        self._touch(node)
        return node.value

    def put(self, key, value, ttl=None):
        now = self._clock()
        expires_at = None if ttl is None else now + ttl
        node = self._nodes.get(key)
        if node is not None:
            node.value = value
            self._set_expiry(node, expires_at)
            self._touch(node)
            return
        if len(self._nodes) >= self.capacity:
            self._drop_expired(now)
        if len(self._nodes) >= self.capacity:
            self._remove(self._oldest.prev)
        node = Node(key, value, None)
        self._nodes[key] = node
        self._set_expiry(node, expires_at)
        self._push_newest(node)

    def __len__(self):
        self._drop_expired(self._clock())
        return len(self._nodes)

    def _live_node(self, key, now):
        node = self._nodes.get(key)
        if node is not None and node.expires_at is not None and node.expires_at <= now:
            self._remove(node)
            return None
        return node

    def _set_expiry(self, node, expires_at):
        node.expires_at = expires_at
        if expires_at is not None:
            heapq.heappush(self._expiry_heap, (expires_at, next(self._tiebreak), node))
            if len(self._expiry_heap) > 2 * self.capacity + 16:
                self._rebuild_heap()

    def _drop_expired(self, now):
        heap = self._expiry_heap
        while heap and heap[0][0] <= now:
            expires_at, _, node = heapq.heappop(heap)
            if self._nodes.get(node.key) is node and node.expires_at == expires_at:
                self._remove(node)

    def _rebuild_heap(self):
        """Drop stale records so the heap stays O(capacity) however often TTLs change."""
        self._expiry_heap = [
            (node.expires_at, next(self._tiebreak), node)
            for node in self._nodes.values()
            if node.expires_at is not None
        ]
        heapq.heapify(self._expiry_heap)

    def _touch(self, node):
        self._unlink(node)
        self._push_newest(node)

    def _remove(self, node):
        self._unlink(node)
        del self._nodes[node.key]

    def _push_newest(self, node):
        node.prev = self._newest
        node.next = self._newest.next
        self._newest.next.prev = node
        self._newest.next = node

    @staticmethod
    def _unlink(node):
        node.prev.next = node.next
        node.next.prev = node.prev
