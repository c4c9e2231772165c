"""Batched next-token sampling with per-row temperature, top-k, top-p, repetition penalty and logit bias."""

import itertools

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


def flatten_rows(per_row_items):
    """For a ragged list of per-row sequences: the row index of every item, and the items in the same order."""
    lengths = [len(items) for items in per_row_items]
    rows = np.repeat(np.arange(len(per_row_items)), lengths)
    return rows, itertools.chain.from_iterable(per_row_items)


def apply_repetition_penalty(logits, generated, penalty):
    """Each row's already generated tokens, once each: positive logits divided by penalty, negative multiplied.

    Only the (row, token) pairs that occurred are gathered and scattered, so the cost grows with the
    tokens generated, not with batch times vocabulary. Dividing a positive logit and multiplying a
    negative one both lower it; dividing a negative logit would raise it instead.
    """
    rows, tokens = flatten_rows(generated)
    tokens = np.fromiter(tokens, dtype=np.int64, count=len(rows))
    if tokens.size == 0:
        return logits
    vocab = logits.shape[-1]
    if tokens.min() < 0 or tokens.max() >= vocab:
        raise ValueError(f"generated token ids must be in 0..{vocab - 1}")
    rows, tokens = np.divmod(np.unique(rows * vocab + tokens), vocab)  # a token repeated in a row counts once
    values = logits[rows, tokens]
    row_penalty = penalty[rows, 0]
    logits[rows, tokens] = np.where(values > 0, values / row_penalty, values * row_penalty)
    return logits


def apply_logit_bias(logits, biases):
    """Add each row's {token id: value} bias by index; a value of -inf bans the token."""
    per_row_items = [list((bias or {}).items()) for bias in biases]
    rows, items = flatten_rows(per_row_items)
    pairs = np.array(list(items), dtype=np.float64).reshape(-1, 2)
    if pairs.size:
        logits[rows, pairs[:, 0].astype(np.int64)] += pairs[:, 1]
    return logits


def sample(logits, temperature, rng, top_k=None, top_p=None, generated=None, repetition_penalty=1.0, logit_bias=None):
    """Token ids drawn from softmax(logits / temperature), limited by top_k and then top_p.

    Order: repetition penalty on each row's generated ids, then logit_bias, then temperature, top_k and
    top_p. For 1-D logits, generated is one list of ids and logit_bias one dict; for a batch, one of each
    per row. A row whose logits are all -inf, from bans or from the model, raises ValueError.

    logits is (vocab,) or (batch, vocab); the result is an int or a (batch,) integer array. temperature,
    top_k and top_p are one value or one per row; a top_k of 0 or a top_p of 1.0 means no limit for
    that row, and a temperature of 0 means greedy for that row. rng is a numpy.random.Generator and
    the only source of randomness.
    """
    logits = np.array(logits, dtype=np.float64)  # a copy: penalties and bias must not touch the caller's array
    if logits.ndim == 1:
        generated = None if generated is None else [generated]
        logit_bias = None if logit_bias is None else [logit_bias]
        return int(sample(logits[None, :], temperature, rng, top_k, top_p, generated, repetition_penalty, logit_bias)[0])
    batch = logits.shape[0]
    if generated is not None:
        logits = apply_repetition_penalty(logits, generated, per_row(repetition_penalty, batch, np.float64))
    if logit_bias is not None:
        logits = apply_logit_bias(logits, logit_bias)
    banned = np.all(np.isneginf(logits), axis=-1)
    if banned.any():
        raise ValueError(f"every token is banned in row(s) {np.flatnonzero(banned).tolist()}: nothing left to sample")
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
