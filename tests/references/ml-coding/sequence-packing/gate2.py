"""Greedy packing into fixed-length rows, and position ids that restart for every document."""

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
