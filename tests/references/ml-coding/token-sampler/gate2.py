"""Next-token sampling with temperature, top-k and top-p."""

import numpy as np


def softmax(scores):
    """Softmax of a 1-D array, shifted by its max so exp never overflows; -inf entries get 0."""
    exponentials = np.exp(scores - scores.max())
    return exponentials / exponentials.sum()


def keep_top_k(scores, k):
    """scores with everything below the k-th largest set to -inf; ties with the k-th stay in.

    np.partition finds the k-th largest in O(V) instead of sorting all V in O(V log V).
    """
    if k is None or k <= 0 or k >= len(scores):
        return scores
    kth_largest = np.partition(scores, len(scores) - k)[len(scores) - k]
    return np.where(scores >= kth_largest, scores, -np.inf)


def keep_top_p(probabilities, p):
    """probabilities restricted to the smallest most-likely set whose total reaches p, renormalised.

    A token stays if the mass strictly before it is below p, which keeps the token that crosses p,
    so the most likely token always survives however small p is.
    """
    if p is None or p >= 1.0:
        return probabilities
    order = np.argsort(-probabilities, kind="stable")
    sorted_probabilities = probabilities[order]
    mass_before = np.cumsum(sorted_probabilities) - sorted_probabilities
    kept = np.zeros_like(probabilities)
    survivors = order[mass_before < p]
    kept[survivors] = probabilities[survivors]
    return kept / kept.sum()


def sample(logits, temperature, rng, top_k=None, top_p=None):
    """A token id drawn from softmax(logits / temperature), limited by top_k and then top_p.

    Order: temperature, then top_k, then top_p on what top_k left (renormalised). Temperature 0 is greedy.
    rng is a numpy.random.Generator and the only source of randomness.
    """
    logits = np.asarray(logits, dtype=np.float64)
    if temperature < 0:
        raise ValueError(f"temperature must be 0 or more, got {temperature}")
    if temperature == 0:
        return int(np.argmax(logits))
    probabilities = keep_top_p(softmax(keep_top_k(logits / temperature, top_k)), top_p)
    cumulative = np.cumsum(probabilities)
    token = np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right")
    return int(min(token, len(logits) - 1))
