"""Key-value store, gate 1: get, set and delete in memory."""


class KVStore:
    """A dictionary behind a small interface: every operation is O(1) on average."""

    def __init__(self):
        self._data = {}

    def set(self, key, value):
        self._data[key] = value

    def get(self, key):
        return self._data.get(key)

    def delete(self, key):
        # Deleting a missing key is a no-op, so callers never have to check first.
        self._data.pop(key, None)

    def __len__(self):
        return len(self._data)
