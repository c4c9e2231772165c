"""LRU cache, gate 4: shared across threads, with a single-flight get_or_load."""

import heapq
import itertools
import threading
import time
from concurrent.futures import Future


class Node:
    __slots__ = ("expires_at", "key", "next", "prev", "value")

    def __init__(self, key, value, expires_at):
        self.key = key
        self.value = value
        self.expires_at = expires_at  # None: never expires
        self.prev = None
        self.next = None


class LRUCache:
    """Recency in a doubly linked list, expiry in a min-heap, one lock around both.

    Even get rewires the list, so every operation takes the lock; each holds it for a few
    pointer updates. Loaders run outside the lock: a miss registers a Future for its key,
    and later callers for that key wait on the Future instead of loading again, so one slow
    load never stalls callers working on other keys. A loader's exception is handed to every
    waiter and nothing is cached, so the next caller tries again.
    """

    def __init__(self, capacity, clock=time.monotonic):
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self.capacity = capacity
        self._clock = clock
        self._lock = threading.Lock()
        self._nodes = {}
        self._loading = {}  # key -> Future of the load in flight
        self._newest = Node(None, None, None)  # sentinel before the most recently used node
        self._oldest = Node(None, None, None)  # sentinel after the least recently used node
        self._newest.next = self._oldest
        self._oldest.prev = self._newest
        # (expires_at, tiebreak, node); stale records (node gone or re-timed) are skipped.
        self._expiry_heap = []
        self._tiebreak = itertools.count()

    def get(self, key):
        with self._lock:
            return self._get_locked(key)

    def put(self, key, value, ttl=None):
        with self._lock:
            self._put_locked(key, value, ttl)

    def get_or_load(self, key, loader, ttl=None):
        with self._lock:
            node = self._live_node(key, self._clock())
            if node is not None:
                self._touch(node)
                return node.value
            pending = self._loading.get(key)
            leader = pending is None
            if leader:
                pending = self._loading[key] = Future()
        if not leader:
            return pending.result()
        try:
            value = loader(key)
        except BaseException as error:
            with self._lock:
                del self._loading[key]
            pending.set_exception(error)
            raise
        with self._lock:
            self._put_locked(key, value, ttl)
            del self._loading[key]
        pending.set_result(value)
        return value

    def __len__(self):
        with self._lock:
            self._drop_expired(self._clock())
            return len(self._nodes)

    def _get_locked(self, key):
        node = self._live_node(key, self._clock())
        if node is None:
            return None
        self._touch(node)
        return node.value

    def _put_locked(self, key, value, ttl):
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
