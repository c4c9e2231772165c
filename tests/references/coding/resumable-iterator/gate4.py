"""Resumable iterator, gate 4: background prefetch, atomic checkpoints, at-least-once resume."""

import json
import os
import queue
import tempfile
import threading

STATE_VERSION = 1


class ResumableIterator:
    """Iterates a sequence by index; the index is the whole state.

    The state assumes the sequence is unchanged between save and restore (or only grows
    at the end). Detecting a changed sequence would need a fingerprint, such as its length
    or a hash of the items before the index, stored alongside.
    """

    def __init__(self, sequence, start=0):
        if not 0 <= start <= len(sequence):
            raise ValueError(f"start must be between 0 and {len(sequence)}, got {start}")
        self._sequence = sequence
        self._index = start

    @classmethod
    def from_state(cls, sequence, state):
        if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
            raise ValueError(f"unrecognised iterator state: {state!r}")
        return cls(sequence, start=state["index"])

    def state(self):
        """Where the next item comes from: JSON-serialisable, independent of the data's size."""
        return {"version": STATE_VERSION, "index": self._index}

    def __iter__(self):
        return self

    def __next__(self):
        if self._index >= len(self._sequence):
            raise StopIteration
        item = self._sequence[self._index]
        self._index += 1
        return item


class FileIterator:
    """Every line of every file, in order, without its newline.

    The position is the index of the file and a byte offset in it, just past the last
    record handed to the caller, so resuming opens one file and seeks: it never reads the
    files before it. With prefetch above zero, a daemon thread reads up to that many
    records ahead into a bounded queue; each record travels with the position just after
    it, so state() always describes what the caller has been given, never what the reader
    has fetched. Records that were prefetched but not handed out are simply read again
    after a restore.

    checkpoint() writes that position to a file atomically. Called after the caller has
    finished with a record, it gives at-least-once delivery: a crash between finishing a
    record and checkpointing it repeats that one record, so downstream work should be
    idempotent or deduplicate by record. Checkpointing every record costs an fsync each;
    checkpointing every N records trades up to N repeats after a crash for fewer fsyncs.
    """

    def __init__(self, paths, chunk_size=65536, start=(0, 0), prefetch=0):
        self._paths = [os.fspath(path) for path in paths]
        self._chunk_size = chunk_size
        self._position = tuple(start)
        records = self._read_from(*self._position)
        self._records = Prefetcher(records, prefetch) if prefetch > 0 else records

    @classmethod
    def from_state(cls, paths, state, chunk_size=65536, prefetch=0):
        start = _position_in(state, [os.fspath(p) for p in paths])
        return cls(paths, chunk_size, start=start, prefetch=prefetch)

    @classmethod
    def resume(cls, paths, checkpoint_path, chunk_size=65536, prefetch=0):
        """Continue from the checkpoint at `checkpoint_path`, or from the start if there is none."""
        try:
            with open(checkpoint_path, encoding="utf-8") as f:
                state = json.load(f)
        except FileNotFoundError:
            return cls(paths, chunk_size, prefetch=prefetch)
        return cls.from_state(paths, state, chunk_size, prefetch)

    def state(self):
        file_index, offset = self._position
        path = self._paths[file_index] if file_index < len(self._paths) else None
        return {"version": STATE_VERSION, "file": file_index, "path": path, "offset": offset}

    def checkpoint(self, path):
        """Save state() to `path` so that a reader only ever sees a complete checkpoint.

        The JSON goes to a temporary file in the same folder, is fsynced, and is renamed
        over the old checkpoint; a crash at any point leaves either the old file or the new.
        """
        folder = os.path.dirname(os.path.abspath(path))
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".checkpoint-")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as f:
                json.dump(self.state(), f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        _fsync_folder(folder)

    def close(self):
        if isinstance(self._records, Prefetcher):
            self._records.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __iter__(self):
        return self

    def __next__(self):
        record, self._position = next(self._records)
        return record

    def _read_from(self, file_index, offset):
        """Yield (record, position just after it) from the given file and offset on."""
        for index in range(file_index, len(self._paths)):
            with open(self._paths[index], "rb") as f:
                f.seek(offset)
                pending = b""
                while chunk := f.read(self._chunk_size):
                    *lines, pending = (pending + chunk).split(b"\n")
                    for line in lines:
                        offset += len(line) + 1
                        yield line.decode("utf-8"), (index, offset)
                if pending:
                    offset += len(pending)
                    yield pending.decode("utf-8"), (index, offset)
            offset = 0


class Prefetcher:
    """Drains an iterator on a daemon thread into a queue holding at most `size` items.

    The bound keeps memory fixed however far ahead the reader could run. The thread is a
    daemon so an abandoned iterator never keeps the process alive; close() stops it.
    """

    _END = object()

    def __init__(self, source, size):
        self._queue = queue.Queue(maxsize=size)
        self._stop = threading.Event()
        self._finished = False
        self._thread = threading.Thread(target=self._fill, args=(source,), daemon=True)
        self._thread.start()

    def __iter__(self):
        return self

    def __next__(self):
        if self._finished:
            raise StopIteration
        kind, item = self._queue.get()
        if kind is self._END:
            self._finished = True
            if item is not None:
                raise item
            raise StopIteration
        return item

    def close(self):
        self._stop.set()
        self._finished = True
        # Make room so a reader blocked on a full queue wakes up and sees the stop.
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._thread.join(timeout=5)

    def _fill(self, source):
        error = None
        try:
            for item in source:
                if not self._put((None, item)):
                    return
        except Exception as failure:  # noqa: BLE001 - handed to the consumer, raised there
            error = failure
        finally:
            source.close()
        self._put((self._END, error))

    def _put(self, entry):
        if self._stop.is_set():
            return False
        self._queue.put(entry)
        return True


def _position_in(state, paths):
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
        raise ValueError(f"unrecognised iterator state: {state!r}")
    file_index, offset = state["file"], state["offset"]
    expected = paths[file_index] if file_index < len(paths) else None
    if state["path"] != expected:
        raise ValueError(f"the state points at {state['path']!r} but file {file_index} is now {expected!r}")
    return file_index, offset


def _fsync_folder(folder):
    """Make the rename durable: the directory entry lives in the folder, not the file."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
