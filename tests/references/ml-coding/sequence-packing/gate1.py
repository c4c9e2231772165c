"""Greedy packing of tokenized documents into fixed-length training rows."""

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
    rows = -(-stream.size // seq_len)  # ceiling division: a partial last row still counts
    out = np.full(rows * seq_len, pad_id, dtype=np.int64)
    out[: stream.size] = stream
    return out.reshape(rows, seq_len)
