"""In-memory database, gate 2: nested transactions.

Each open transaction is an undo log: the value each key had before the transaction first touched it.
Rolling back writes those values back through the same path as any change, so the counts follow; a
commit hands the inner log's entries to the enclosing one unless it already holds an older value for
the key. Nothing is copied, so begin is O(1) and rollback and commit cost what the transaction touched.
"""

_MISSING = object()


class Database:
    def __init__(self):
        self._data = {}
        self._counts = {}  # value -> how many keys hold it
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
        return self._counts.get(value, 0)

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
            self._counts[old] -= 1
            if not self._counts[old]:
                del self._counts[old]
        if value is not _MISSING:
            self._data[key] = value
            self._counts[value] = self._counts.get(value, 0) + 1
