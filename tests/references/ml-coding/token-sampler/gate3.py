"""Batched next-token sampling with per-row temperature, top-k and top-p."""

import numpy as np


def per_row(setting, batch, dtype):
    """A scalar or (batch,) setting as a (batch, 1) column, so it broadcasts across the vocabulary."""
    column = np.asarray(setting, dtype=dtype).reshape(-1, 1)
    if column.shape[0] not in (1, batch):
        raise ValueError(f"a per-row setting must have shape ({batch},), got {np.shape(setting)}")
    return np.broadcast_to(column, (batch, 1))


def softmax(scores):
    """Softmax over the last axis, shifted by the row max so exp never overflows; -inf entries get 0."""
    exponentials = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return exponentials / exponentials.sum(axis=-1, keepdims=True)


def keep_top_k(scores, k):
    """Per row, scores below that row's k-th largest become -inf (ties stay in); k of 0 means no limit."""
    vocab = scores.shape[-1]
    k = np.where((k <= 0) | (k > vocab), vocab, k)
    descending = -np.sort(-scores, axis=-1)
    kth_largest = np.take_along_axis(descending, k - 1, axis=-1)  # a threshold per row, no loop over rows
    return np.where(scores >= kth_largest, scores, -np.inf)


def keep_top_p(probabilities, p):
    """Per row, the smallest most-likely set whose total reaches that row's p, renormalised.

    The keep-mask is built in sorted order (mass strictly before a token below p keeps the token that
    crosses p) and scattered back to vocabulary order with put_along_axis.
    """
    order = np.argsort(-probabilities, axis=-1, kind="stable")
    sorted_probabilities = np.take_along_axis(probabilities, order, axis=-1)
    mass_before = np.cumsum(sorted_probabilities, axis=-1) - sorted_probabilities
    keep = np.empty(probabilities.shape, dtype=bool)
    np.put_along_axis(keep, order, (mass_before < p) | (p >= 1.0), axis=-1)
    kept = np.where(keep, probabilities, 0.0)
    return kept / kept.sum(axis=-1, keepdims=True)


def draw(probabilities, rng):
    """One token per row: a single uniform per row against the row's cumulative distribution."""
    cumulative = np.cumsum(probabilities, axis=-1)
    targets = rng.random((probabilities.shape[0], 1)) * cumulative[:, -1:]
    tokens = (cumulative <= targets).sum(axis=-1)  # index of the first cumulative value above the target
    return np.minimum(tokens, probabilities.shape[-1] - 1)


def sample(logits, temperature, rng, top_k=None, top_p=None):
    """Token ids drawn from softmax(logits / temperature), limited by top_k and then top_p.

    logits is (vocab,) or (batch, vocab); the result is an int or a (batch,) integer array. temperature,
    top_k and top_p are one value or one per row; a top_k of 0 or a top_p of 1.0 means no limit for
    that row, and a temperature of 0 means greedy for that row. rng is a numpy.random.Generator and
    the only source of randomness.
    """
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim == 1:
        return int(sample(logits[None, :], temperature, rng, top_k, top_p)[0])
    batch = logits.shape[0]
    temperature = per_row(temperature, batch, np.float64)
    if np.any(temperature < 0):
        raise ValueError("temperature must be 0 or more in every row")
    greedy = temperature[:, 0] == 0
    scores = logits / np.where(greedy[:, None], 1.0, temperature)
    if top_k is not None:
        scores = keep_top_k(scores, per_row(top_k, batch, np.int64))
    probabilities = softmax(scores)
    if top_p is not None:
        probabilities = keep_top_p(probabilities, per_row(top_p, batch, np.float64))
    return np.where(greedy, np.argmax(logits, axis=-1), draw(probabilities, rng))
