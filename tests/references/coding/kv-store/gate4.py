"""Key-value store, gate 4: durable across restarts with an append-only log."""

import heapq
import itertools
import json
import os
import threading
import time
from dataclasses import dataclass

# Expired keys reclaimed per write: bounds how long one write holds the lock for cleanup.
PURGE_BATCH = 64
# Rewrite the log once it holds this many times more records than there are live keys,
# so recovery time tracks the data's size rather than the history's length.
COMPACT_RATIO = 4
COMPACT_MIN_RECORDS = 1000


@dataclass(frozen=True)
class Entry:
    value: object
    expires_at: float | None  # absolute time on the store's clock; None: never expires


class KVStore:
    """In-memory store whose changes are appended to a log before a call returns.

    Each change is one JSON line, written, flushed and fsynced under the lock, so the log's
    order is the order callers saw and a call that returned survives a crash or power loss.
    That costs an fsync per write (about 0.1 to 10 ms); batching several writes per fsync
    would raise throughput but widen what a crash can lose. incr is logged as the value it
    produced, which keeps replay idempotent. Expiry is stored as an absolute clock time, so
    the clock passed in must keep counting across restarts (time.time does; the default
    monotonic clock restarts with the machine).
    """

    def __init__(self, path=None, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._entries = {}
        self._expiry_heap = []  # (expires_at, tiebreak, key); stale records are skipped
        self._tiebreak = itertools.count()
        self._path = path
        self._log = None
        self._log_records = 0
        if path is not None:
            self._recover()
            self._log = open(path, "ab")  # noqa: SIM115 - stays open for the store's lifetime

    def set(self, key, value, ttl=None):
        with self._lock:
            now = self._clock()
            self._apply(key, Entry(value, None if ttl is None else now + ttl))
            self._purge_expired(now, PURGE_BATCH)

    def get(self, key):
        with self._lock:
            entry = self._live_entry(key, self._clock())
            return None if entry is None else entry.value

    def delete(self, key):
        with self._lock:
            if key in self._entries:
                del self._entries[key]
                self._append({"op": "del", "key": key})

    def incr(self, key, amount=1):
        with self._lock:
            now = self._clock()
            entry = self._live_entry(key, now)
            if entry is None:
                entry = Entry(amount, None)
            else:
                entry = Entry(entry.value + amount, entry.expires_at)
            self._apply(key, entry)
            self._purge_expired(now, PURGE_BATCH)
            return entry.value

    def __len__(self):
        with self._lock:
            self._purge_expired(self._clock(), None)
            return len(self._entries)

    def close(self):
        with self._lock:
            if self._log is not None:
                self._log.close()
                self._log = None

    def _apply(self, key, entry):
        self._append({"op": "set", "key": key, "value": entry.value, "expires_at": entry.expires_at})
        self._remember(key, entry)

    def _remember(self, key, entry):
        previous = self._entries.get(key)
        self._entries[key] = entry
        needs_record = previous is None or previous.expires_at != entry.expires_at
        if entry.expires_at is not None and needs_record:
            heapq.heappush(self._expiry_heap, (entry.expires_at, next(self._tiebreak), key))

    def _append(self, record):
        if self._log is None:
            return
        self._log.write(_encode(record))
        self._log.flush()
        os.fsync(self._log.fileno())
        self._log_records += 1
        if self._log_records >= max(COMPACT_MIN_RECORDS, COMPACT_RATIO * len(self._entries)):
            self._compact()

    def _recover(self):
        """Replay the log; a final record without its newline was torn by a crash and is cut off."""
        try:
            with open(self._path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            return
        complete = data.rfind(b"\n") + 1
        now = self._clock()
        for number, line in enumerate(data[:complete].splitlines(), start=1):
            try:
                record = json.loads(line)
            except ValueError as error:
                raise ValueError(f"{self._path}: record {number} is corrupt ({error})") from None
            if record["op"] == "del":
                self._entries.pop(record["key"], None)
            elif record["expires_at"] is None or record["expires_at"] > now:
                self._remember(record["key"], Entry(record["value"], record["expires_at"]))
            else:
                self._entries.pop(record["key"], None)
            self._log_records += 1
        if complete < len(data):
            with open(self._path, "r+b") as f:
                f.truncate(complete)
                os.fsync(f.fileno())

    def _compact(self):
        """Write the live keys to a new file and swap it in atomically."""
        temporary = f"{self._path}.compact"
        with open(temporary, "wb") as f:
            for key, entry in self._entries.items():
                record = {"op": "set", "key": key, "value": entry.value, "expires_at": entry.expires_at}
                f.write(_encode(record))
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, self._path)
        _fsync_folder(self._path)
        self._log.close()
        self._log = open(self._path, "ab")  # noqa: SIM115 - stays open for the store's lifetime
        self._log_records = len(self._entries)

    def _live_entry(self, key, now):
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires_at is not None and entry.expires_at <= now:
            # Lazy expiry: a read that finds an expired key frees it on the spot.
            del self._entries[key]
            return None
        return entry

    def _purge_expired(self, now, limit):
        # Expired keys leave memory without a log record: replay drops them by their time.
        heap = self._expiry_heap
        purged = 0
        while heap and heap[0][0] <= now and (limit is None or purged < limit):
            expires_at, _, key = heapq.heappop(heap)
            entry = self._entries.get(key)
            if entry is not None and entry.expires_at == expires_at:
                del self._entries[key]
            purged += 1


def _encode(record):
    return (json.dumps(record, separators=(",", ":")) + "\n").encode("utf-8")


def _fsync_folder(path):
    """Make a rename durable: the directory entry lives in the folder, not the file."""
    folder = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
