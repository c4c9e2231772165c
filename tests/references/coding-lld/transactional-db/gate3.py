"""In-memory database, gate 3: find(value), a second index kept beside the data.

The per-value counts became per-value sets of keys, maintained in the one _write method that every
set, delete, rollback and commit already goes through, so the index is right inside transactions
without any transaction code knowing it exists. find hands back a copy, so a caller can't change the
index through it; count is the size of the set.
"""

_MISSING = object()


class Database:
    def __init__(self):
        self._data = {}
        self._index = {}  # value -> the keys that hold it
        self._undo = []  # one log per open transaction, innermost last: key -> value before it

    def get(self, key):
        return self._data.get(key)

    def set(self, key, value):
        self._log(key)
        self._write(key, value)

    def delete(self, key):
        self._log(key)
        self._write(key, _MISSING)

    def count(self, value):
        return len(self._index.get(value, ()))

    def find(self, value):
        return set(self._index.get(value, ()))

    def begin(self):
        self._undo.append({})

    def rollback(self):
        for key, old in self._close().items():
            self._write(key, old)

    def commit(self):
        done = self._close()
        if self._undo:
            outer = self._undo[-1]
            for key, old in done.items():
                outer.setdefault(key, old)

    def _close(self):
        if not self._undo:
            raise RuntimeError("no transaction is open")
        return self._undo.pop()

    def _log(self, key):
        if self._undo and key not in self._undo[-1]:
            self._undo[-1][key] = self._data.get(key, _MISSING)

    def _write(self, key, value):
        old = self._data.pop(key, _MISSING)
        if old is not _MISSING:
            holders = self._index[old]
            holders.discard(key)
            if not holders:
                del self._index[old]
        if value is not _MISSING:
            self._data[key] = value
            self._index.setdefault(value, set()).add(key)
