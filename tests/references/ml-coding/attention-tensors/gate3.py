"""Attention heads, rotary position embeddings and grouped-query attention, in NumPy."""

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
