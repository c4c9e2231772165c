"""Resumable iterator, gate 2: save the position as JSON and resume from it."""

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
