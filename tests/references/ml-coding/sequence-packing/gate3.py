"""Greedy packing into fixed-length rows, position ids, and the masks that keep documents apart."""

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
