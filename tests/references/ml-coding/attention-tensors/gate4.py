"""Attention tensor plumbing in NumPy: heads, rotary embeddings, grouped-query attention, a paged KV cache."""

import numpy as np


def split_heads(x, num_heads):
    """(batch, seq, d_model) -> (batch, num_heads, seq, head_dim), a view of x.

    Head h owns columns h * head_dim up to (h + 1) * head_dim.
    """
    batch, seq, d_model = x.shape
    if d_model % num_heads:
        raise ValueError(f"d_model {d_model} is not divisible by num_heads {num_heads}")
    # Reshape splits the last axis in place; the transpose only changes strides, so nothing is copied.
    return x.reshape(batch, seq, num_heads, d_model // num_heads).transpose(0, 2, 1, 3)


def merge_heads(x):
    """(batch, heads, seq, head_dim) -> (batch, seq, heads * head_dim).

    Transpose back first so each position's heads sit side by side, then reshape (this one copies).
    """
    batch, heads, seq, head_dim = x.shape
    return x.transpose(0, 2, 1, 3).reshape(batch, seq, heads * head_dim)


def apply_rope(x, positions, base=10000.0):
    """Rotary embeddings, half-split layout: pair (i, i + head_dim / 2) turns by position * base ** (-2i / head_dim).

    x is (batch, heads, seq, head_dim); positions is (seq,) or (batch, seq). Angles are worked out in
    float64 whatever x's dtype: float16 can't even hold every position above 2,048 exactly.
    """
    head_dim = x.shape[-1]
    if head_dim % 2:
        raise ValueError(f"head_dim {head_dim} is odd; rotary embeddings rotate pairs of dimensions")
    half = head_dim // 2
    inv_freq = base ** (-np.arange(half, dtype=np.float64) * 2 / head_dim)  # (half,)
    positions = np.asarray(positions, dtype=np.float64)
    angles = positions[..., None] * inv_freq  # (seq, half) or (batch, seq, half)
    if angles.ndim == 3:
        angles = angles[:, None]  # (batch, 1, seq, half): the same angles for every head
    cos, sin = np.cos(angles), np.sin(angles)
    first, second = x[..., :half], x[..., half:]
    rotated = np.concatenate([first * cos - second * sin, second * cos + first * sin], axis=-1)
    return rotated.astype(x.dtype)


def gqa_attention(q, k, v, causal=False):
    """q (batch, n_heads, seq_q, d), k and v (batch, n_kv_heads, seq_k, d) -> (batch, n_heads, seq_q, d).

    Query head h reads key/value head h // group. Instead of repeating k and v group times, the query
    heads are folded into (batch, n_kv_heads, group * seq_q, d), a view, so each key/value head is read
    once for its whole group.
    """
    batch, n_heads, seq_q, d = q.shape
    n_kv, seq_k = k.shape[1], k.shape[2]
    if n_heads % n_kv:
        raise ValueError(f"{n_heads} query heads can't be shared evenly over {n_kv} key/value heads")
    group = n_heads // n_kv
    grouped = q.reshape(batch, n_kv, group * seq_q, d)
    scores = grouped @ np.swapaxes(k, -1, -2) / np.sqrt(d)  # (batch, n_kv, group * seq_q, seq_k)
    scores = scores.reshape(batch, n_kv, group, seq_q, seq_k)
    if causal:
        # The queries are the last seq_q positions: query i sees keys up to i + seq_k - seq_q.
        allowed = np.arange(seq_k)[None, :] <= np.arange(seq_q)[:, None] + (seq_k - seq_q)
        scores = np.where(allowed, scores, -np.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights /= weights.sum(axis=-1, keepdims=True)
    out = weights.reshape(batch, n_kv, group * seq_q, seq_k) @ v
    return out.reshape(batch, n_heads, seq_q, d).astype(q.dtype)


def _valid_positions(seq_lens):
    """(batch, max_len) booleans: which positions each sequence actually has."""
    seq_lens = np.asarray(seq_lens)
    return np.arange(seq_lens.max())[None, :] < seq_lens[:, None]


def gather_kv(pages, block_table, seq_lens):
    """pages (num_pages, page_size, n_kv_heads, d) -> (batch, n_kv_heads, max(seq_lens), d), zeros past each length.

    Position p of sequence b lives in page block_table[b, p // page_size] at slot p % page_size.
    """
    page_size = pages.shape[1]
    valid = _valid_positions(seq_lens)
    positions = np.arange(valid.shape[1])
    physical = np.asarray(block_table)[:, positions // page_size]  # (batch, max_len)
    # Unused table entries are -1, which NumPy would quietly read as the last page: point them at page 0
    # and zero whatever comes back.
    physical = np.where(valid, physical, 0)
    gathered = pages[physical, positions % page_size]  # (batch, max_len, n_kv_heads, d)
    gathered = np.where(valid[:, :, None, None], gathered, 0).astype(pages.dtype)
    return gathered.transpose(0, 2, 1, 3)


def paged_attention(q, k_pages, v_pages, block_table, seq_lens):
    """One decode step: q (batch, n_heads, d) attends to each sequence's cached positions -> (batch, n_heads, d)."""
    batch, n_heads, d = q.shape
    k = gather_kv(k_pages, block_table, seq_lens)  # (batch, n_kv, max_len, d)
    v = gather_kv(v_pages, block_table, seq_lens)
    n_kv = k.shape[1]
    if n_heads % n_kv:
        raise ValueError(f"{n_heads} query heads can't be shared evenly over {n_kv} key/value heads")
    grouped = q.reshape(batch, n_kv, n_heads // n_kv, d)
    scores = grouped @ np.swapaxes(k, -1, -2) / np.sqrt(d)  # (batch, n_kv, group, max_len)
    scores = np.where(_valid_positions(seq_lens)[:, None, None, :], scores, -np.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights /= weights.sum(axis=-1, keepdims=True)
    return (weights @ v).reshape(batch, n_heads, d).astype(q.dtype)
