"""Scaled dot-product and multi-head attention, and incremental decoding with a KV cache."""

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


class CachedAttention:
    """Multi-head attention for decoding: keys and values of earlier positions are kept, not recomputed.

    The cache is a preallocated (batch, heads, capacity, d_head) buffer with a length counter. Capacity
    doubles when full, so appending costs amortised O(1) copies per token instead of the O(n) copy that
    concatenating onto a growing array does at every step.
    """

    def __init__(self, w_q, w_k, w_v, w_o, num_heads, initial_capacity=16):
        d_model = w_q.shape[0]
        if d_model % num_heads:
            raise ValueError(f"d_model {d_model} is not divisible by num_heads {num_heads}")
        self.w_q, self.w_k, self.w_v, self.w_o = w_q, w_k, w_v, w_o
        self.num_heads = num_heads
        self._capacity = initial_capacity
        self._keys = None  # allocated on the first call, once the batch size is known
        self._values = None
        self._length = 0

    def __len__(self):
        return self._length

    def step(self, x_t):
        """x_t (batch, d_model), the newest token -> its output (batch, d_model)."""
        return self.prefill(x_t[:, None, :])[:, 0, :]

    def prefill(self, x):
        """x (batch, n, d_model), the next n tokens -> their outputs (batch, n, d_model)."""
        batch, n, d_model = x.shape
        q, k, v = (split_heads(x @ w, self.num_heads) for w in (self.w_q, self.w_k, self.w_v))
        self._append(k, v)
        keys = self._keys[:, :, : self._length]
        values = self._values[:, :, : self._length]
        # The n new queries are the last n positions, so the causal offset lets each see the whole
        # prefix plus the new tokens up to itself; a single new token sees everything.
        heads = attention(q, keys, values, causal=True)
        return merge_heads(heads) @ self.w_o

    def _append(self, k, v):
        batch, heads, n, d_head = k.shape
        if self._keys is None:
            self._keys = np.empty((batch, heads, self._capacity, d_head), dtype=k.dtype)
            self._values = np.empty((batch, heads, self._capacity, v.shape[-1]), dtype=v.dtype)
        needed = self._length + n
        if needed > self._capacity:
            while self._capacity < needed:
                self._capacity *= 2
            self._keys = self._grow(self._keys)
            self._values = self._grow(self._values)
        self._keys[:, :, self._length : needed] = k
        self._values[:, :, self._length : needed] = v
        self._length = needed

    def _grow(self, buffer):
        grown = np.empty(buffer.shape[:2] + (self._capacity,) + buffer.shape[3:], dtype=buffer.dtype)
        grown[:, :, : self._length] = buffer[:, :, : self._length]
        return grown
