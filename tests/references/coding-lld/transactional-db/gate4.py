"""In-memory database, gate 4: snapshots that read the database as it was, without copying it.

Each key's values, and each value's count, are kept as a History: (version, value) pairs in version
order. A write gets the next version number; a snapshot is just the version current when it was taken,
and reads the last entry at or before it with a binary search. Entries no snapshot can see are
overwritten in place rather than appended, so without snapshots a key keeps one entry, as before.
Transactions and the index are unchanged: they sit on top of the same _write.
"""

from bisect import bisect_right

_MISSING = object()


class History:
    def __init__(self):
        self._versions = []
        self._values = []

    def write(self, version, value, pinned):
        """Record `value` from `version` on; `pinned` is the newest version any snapshot reads."""
        if self._versions and self._versions[-1] > pinned:
            self._versions[-1], self._values[-1] = version, value
        else:
            self._versions.append(version)
            self._values.append(value)

    def latest(self):
        return self._values[-1] if self._values else _MISSING

    def at(self, version):
        i = bisect_right(self._versions, version)
        return self._values[i - 1] if i else _MISSING


class Snapshot:
    def __init__(self, db, version):
        self._db = db
        self._version = version

    def get(self, key):
        history = self._db._values.get(key)
        value = history.at(self._version) if history else _MISSING
        return None if value is _MISSING else value

    def count(self, value):
        history = self._db._counts.get(value)
        counted = history.at(self._version) if history else _MISSING
        return 0 if counted is _MISSING else counted


class Database:
    def __init__(self):
        self._values = {}  # key -> History of its values
        self._counts = {}  # value -> History of how many keys hold it
        self._index = {}  # value -> the keys that hold it now
        self._undo = []  # one log per open transaction, innermost last: key -> value before it
        self._version = 0
        self._pinned = 0  # the newest version a snapshot reads

    def get(self, key):
        value = self._current(key)
        return None if value is _MISSING else value

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

    def snapshot(self):
        self._pinned = self._version
        return Snapshot(self, self._version)

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

    def _current(self, key):
        history = self._values.get(key)
        return history.latest() if history else _MISSING

    def _log(self, key):
        if self._undo and key not in self._undo[-1]:
            self._undo[-1][key] = self._current(key)

    def _write(self, key, value):
        old = self._current(key)
        if old is value:
            return
        self._version += 1
        if old is not _MISSING:
            holders = self._index[old]
            holders.discard(key)
            self._count(old, len(holders))
            if not holders:
                del self._index[old]
        if value is not _MISSING:
            holders = self._index.setdefault(value, set())
            holders.add(key)
            self._count(value, len(holders))
        self._values.setdefault(key, History()).write(self._version, value, self._pinned)

    def _count(self, value, count):
        self._counts.setdefault(value, History()).write(self._version, count, self._pinned)
