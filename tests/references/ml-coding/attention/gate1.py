"""Single-head scaled dot-product attention in NumPy."""

import numpy as np


def softmax(scores):
    """Softmax over the last axis, shifted by the row max so exp never overflows."""
    shifted = scores - scores.max(axis=-1, keepdims=True)
    exponentials = np.exp(shifted)
    return exponentials / exponentials.sum(axis=-1, keepdims=True)


def attention(q, k, v):
    """q (..., n_q, d_k), k (..., n_k, d_k), v (..., n_k, d_v) -> (..., n_q, d_v)."""
    d_k = q.shape[-1]
    # Swap only the last two axes so any leading batch axes stay where they are.
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d_k)  # (..., n_q, n_k)
    return softmax(scores) @ v
