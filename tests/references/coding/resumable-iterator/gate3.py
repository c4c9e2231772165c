"""Resumable iterator, gate 3: records from many files, read in chunks, resumable mid-file."""

import os

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
    record returned, so resuming opens one file and seeks: it never reads the files
    before it, and costs the same at the end of a 10 GB file as at its start. Files are
    read chunk_size bytes at a time; a line split across chunks is joined before it is
    returned. A newline byte never occurs inside a UTF-8 multi-byte character, so splitting
    the raw bytes on it is safe.
    """

    def __init__(self, paths, chunk_size=65536, start=(0, 0)):
        self._paths = [os.fspath(path) for path in paths]
        self._chunk_size = chunk_size
        self._position = tuple(start)
        self._records = self._read_from(*self._position)

    @classmethod
    def from_state(cls, paths, state, chunk_size=65536):
        return cls(paths, chunk_size, start=_position_in(state, [os.fspath(p) for p in paths]))

    def state(self):
        file_index, offset = self._position
        path = self._paths[file_index] if file_index < len(self._paths) else None
        return {"version": STATE_VERSION, "file": file_index, "path": path, "offset": offset}

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


def _position_in(state, paths):
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
        raise ValueError(f"unrecognised iterator state: {state!r}")
    file_index, offset = state["file"], state["offset"]
    expected = paths[file_index] if file_index < len(paths) else None
    if state["path"] != expected:
        raise ValueError(f"the state points at {state['path']!r} but file {file_index} is now {expected!r}")
    return file_index, offset
