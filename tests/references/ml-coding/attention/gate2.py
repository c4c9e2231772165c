"""Scaled dot-product attention with padding and causal masks."""

import numpy as np


def causal_mask(n_q, n_k):
    """(n_q, n_k) booleans: the queries are the last n_q positions, so query i sees keys up to i + n_k - n_q."""
    return np.arange(n_k)[None, :] <= np.arange(n_q)[:, None] + (n_k - n_q)


def masked_softmax(scores, allowed):
    """Softmax over the last axis where only `allowed` entries take part; a row with none allowed is all zeros."""
    scores = np.where(allowed, scores, -np.inf)
    row_max = scores.max(axis=-1, keepdims=True)
    # A fully masked row has max -inf, and -inf - -inf is NaN: shift such rows by 0 instead.
    row_max = np.where(np.isfinite(row_max), row_max, 0.0)
    exponentials = np.exp(scores - row_max)
    totals = exponentials.sum(axis=-1, keepdims=True)
    return np.divide(exponentials, totals, out=np.zeros_like(exponentials), where=totals > 0)


def attention(q, k, v, mask=None, causal=False):
    """q (..., n_q, d_k), k (..., n_k, d_k), v (..., n_k, d_v) -> (..., n_q, d_v).

    mask is boolean, broadcastable to (..., n_q, n_k), True where attention is allowed.
    """
    n_q, n_k, d_k = q.shape[-2], k.shape[-2], q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d_k)  # (..., n_q, n_k)
    allowed = np.ones((n_q, n_k), dtype=bool)
    if mask is not None:
        allowed = allowed & np.asarray(mask, dtype=bool)
    if causal:
        allowed = allowed & causal_mask(n_q, n_k)
    return masked_softmax(scores, allowed) @ v
