"""Sequence packing for training: rows, position ids, document masks, and a resumable stream."""

import numpy as np


def pack(docs, seq_len, eos_id, pad_id):
    """Documents, each followed by eos_id, joined in order and cut into rows of seq_len.

    A document that does not fit in what is left of a row carries on at the start of the next.
    Empty documents add nothing. Returns int64 (rows, seq_len), the last row padded with pad_id.
    """
    pieces = []
    for doc in docs:
        if len(doc):
            pieces.append(np.asarray(doc, dtype=np.int64))
            pieces.append(np.array([eos_id], dtype=np.int64))
    stream = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)
    rows = -(-stream.size // seq_len)
    out = np.full(rows * seq_len, pad_id, dtype=np.int64)
    out[: stream.size] = stream
    return out.reshape(rows, seq_len)


def segment_starts(tokens, eos_id):
    """(rows, seq_len) booleans: True where a document segment starts (column 0, or right after an EOS)."""
    starts = np.zeros(tokens.shape, dtype=bool)
    starts[:, 0] = True
    starts[:, 1:] = tokens[:, :-1] == eos_id
    return starts


def position_ids(tokens, eos_id, pad_id):
    """int64 (rows, seq_len): 0, 1, 2 ... from each row start and again after every EOS; padding is 0."""
    tokens = np.asarray(tokens)
    columns = np.broadcast_to(np.arange(tokens.shape[1]), tokens.shape)
    # The column where the current segment began, carried forward along the row by a running maximum.
    began = np.maximum.accumulate(np.where(segment_starts(tokens, eos_id), columns, 0), axis=1)
    positions = columns - began
    return np.where(tokens == pad_id, 0, positions).astype(np.int64)


def segment_ids(tokens, eos_id):
    """int64 (rows, seq_len): which document segment of its row each position belongs to, from 1."""
    return np.cumsum(segment_starts(tokens, eos_id), axis=1)


def attention_mask(tokens, eos_id, pad_id):
    """bool (rows, seq_len, seq_len): query i may see key j when j <= i in the same document segment.

    Padding sees only itself and nothing sees padding, so no query row is empty.
    """
    tokens = np.asarray(tokens)
    seq_len = tokens.shape[1]
    segments = segment_ids(tokens, eos_id)
    real = tokens != pad_id
    causal = np.tri(seq_len, dtype=bool)  # (seq_len, seq_len), j <= i
    same = segments[:, :, None] == segments[:, None, :]
    mask = causal & same & real[:, :, None] & real[:, None, :]
    padding_self = ~real[:, :, None] & np.eye(seq_len, dtype=bool)
    return mask | padding_self


def loss_mask(tokens, eos_id, pad_id):
    """bool (rows, seq_len): the prediction at t of token t + 1 counts when t + 1 is in the row, is not
    padding, and belongs to the same document as t (so nothing is predicted from an EOS)."""
    tokens = np.asarray(tokens)
    counts = np.zeros(tokens.shape, dtype=bool)
    counts[:, :-1] = (tokens[:, 1:] != pad_id) & (tokens[:, :-1] != eos_id) & (tokens[:, :-1] != pad_id)
    return counts


class PackedStream:
    """Rows packed lazily from an iterator of documents, the same rows `pack` would return.

    It holds at most the current document and the row being built. state() says where the stream
    stands after the last row it yielded, in documents and tokens, never in token ids, so a restarted
    job can resume from a fresh iterator over the same documents.
    """

    def __init__(self, docs, seq_len, eos_id, pad_id, state=None):
        self._docs = iter(docs)
        self._config = {"seq_len": int(seq_len), "eos_id": int(eos_id), "pad_id": int(pad_id)}
        self._taken = 0  # documents pulled from the iterator so far
        self._current = np.zeros(0, dtype=np.int64)  # the last pulled document with its EOS
        self._offset = 0  # tokens of _current already placed in yielded rows
        if state is not None:
            self._restore(state)

    def _restore(self, state):
        for key, value in self._config.items():
            if state[key] != value:
                raise ValueError(f"the saved stream used {key}={state[key]}, this one uses {value}")
        # Skip the documents the saved stream had finished, then the part of the next one it had used.
        finished = state["docs"] - (1 if state["offset"] else 0)
        for _ in range(finished):
            next(self._docs)
            self._taken += 1
        if state["offset"]:
            self._pull()
            self._offset = state["offset"]

    def _pull(self):
        """Load the next non-empty document; False when the iterator is exhausted."""
        for doc in self._docs:
            self._taken += 1
            if len(doc):
                self._current = np.append(np.asarray(doc, dtype=np.int64), self._config["eos_id"])
                self._offset = 0
                return True
        return False

    def __iter__(self):
        return self

    def __next__(self):
        seq_len = self._config["seq_len"]
        row = np.full(seq_len, self._config["pad_id"], dtype=np.int64)
        filled = 0
        while filled < seq_len:
            if self._offset == self._current.size and not self._pull():
                break
            take = min(seq_len - filled, self._current.size - self._offset)
            row[filled : filled + take] = self._current[self._offset : self._offset + take]
            filled += take
            self._offset += take
        if filled == 0:
            raise StopIteration
        return row

    def state(self):
        """Where the next row starts: documents pulled, and tokens of the last one already used."""
        offset = self._offset if self._offset < self._current.size else 0
        return {**self._config, "docs": self._taken, "offset": offset}
