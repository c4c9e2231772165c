"""Scaled dot-product and multi-head attention with padding and causal masks."""

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


def split_heads(x, num_heads):
    """(batch, seq, d_model) -> (batch, heads, seq, d_head); head j owns columns j*d_head:(j+1)*d_head."""
    batch, seq, d_model = x.shape
    return x.reshape(batch, seq, num_heads, d_model // num_heads).transpose(0, 2, 1, 3)


def merge_heads(x):
    """(batch, heads, seq, d_head) -> (batch, seq, d_model); transpose first so each position's heads sit together."""
    batch, heads, seq, d_head = x.shape
    return x.transpose(0, 2, 1, 3).reshape(batch, seq, heads * d_head)


def multi_head_attention(x, w_q, w_k, w_v, w_o, num_heads, mask=None, causal=False):
    """x (batch, seq, d_model), weights (d_model, d_model) -> (batch, seq, d_model).

    mask is broadcastable to (batch, seq, seq) and applies to every head.
    """
    batch, seq, d_model = x.shape
    if d_model % num_heads:
        raise ValueError(f"d_model {d_model} is not divisible by num_heads {num_heads}")
    q, k, v = (split_heads(x @ w, num_heads) for w in (w_q, w_k, w_v))
    if mask is not None:
        # Give the mask its own head axis; left as it is, its batch axis would line up with the heads.
        mask = np.broadcast_to(mask, (batch, seq, seq))[:, None, :, :]
    heads = attention(q, k, v, mask=mask, causal=causal)  # (batch, heads, seq, d_head)
    out = merge_heads(heads) @ w_o
    assert out.shape == (batch, seq, d_model)
    return out
