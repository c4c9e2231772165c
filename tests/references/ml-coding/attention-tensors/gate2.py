"""Attention heads and rotary position embeddings, in NumPy."""

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
