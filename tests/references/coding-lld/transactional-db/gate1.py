"""In-memory database, gate 1: set, get, delete, and a count of keys per value.

Every change goes through _write, which keeps the data and the per-value counts in step, so count is a
dictionary lookup rather than a scan.
"""

_MISSING = object()


class Database:
    def __init__(self):
        self._data = {}
        self._counts = {}  # value -> how many keys hold it

    def get(self, key):
        return self._data.get(key)

    def set(self, key, value):
        self._write(key, value)

    def delete(self, key):
        self._write(key, _MISSING)

    def count(self, value):
        return self._counts.get(value, 0)

    def _write(self, key, value):
        old = self._data.pop(key, _MISSING)
        if old is not _MISSING:
            self._counts[old] -= 1
            if not self._counts[old]:
                del self._counts[old]
        if value is not _MISSING:
            self._data[key] = value
            self._counts[value] = self._counts.get(value, 0) + 1
