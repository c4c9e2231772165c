"""LRU cache, gate 1: O(1) get and put with least-recently-used eviction."""


class Node:
    __slots__ = ("key", "next", "prev", "value")

    def __init__(self, key, value):
        self.key = key
        self.value = value
        self.prev = None
        self.next = None


class LRUCache:
    """A dictionary from key to node, plus a doubly linked list in recency order.

    The dictionary finds a node in O(1); the list moves or removes it in O(1) because the
    node knows its neighbours. Sentinel nodes at both ends remove the empty-list cases.
    """

    def __init__(self, capacity):
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self.capacity = capacity
        self._nodes = {}
        self._newest = Node(None, None)  # sentinel before the most recently used node
        self._oldest = Node(None, None)  # sentinel after the least recently used node
        self._newest.next = self._oldest
        self._oldest.prev = self._newest

    def get(self, key):
        node = self._nodes.get(key)
        if node is None:
            return None
        self._unlink(node)
        self._push_newest(node)
        return node.value

    def put(self, key, value):
        if len(self._nodes) >= self.capacity:
            self._evict(self._oldest.prev)
        node = Node(key, value)
        self._nodes[key] = node
        self._push_newest(node)

    def __len__(self):
        return len(self._nodes)

    def _evict(self, node):
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
