"""Splitting the model dimension into attention heads and merging them back, in NumPy."""

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
