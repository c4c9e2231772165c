"""Next-token sampling with temperature."""

import numpy as np


def softmax(scores):
    """Softmax of a 1-D array, shifted by its max so exp never overflows."""
    exponentials = np.exp(scores - scores.max())
    return exponentials / exponentials.sum()


def sample(logits, temperature, rng):
    """A token id drawn from softmax(logits / temperature); temperature 0 is greedy.

    rng is a numpy.random.Generator and the only source of randomness, so a seed reproduces the draws.
    """
    logits = np.asarray(logits, dtype=np.float64)  # float32 logits lose precision once divided by a small temperature
    if temperature < 0:
        raise ValueError(f"temperature must be 0 or more, got {temperature}")
    if temperature == 0:
        return int(np.argmax(logits))
    probabilities = softmax(logits / temperature)
    # One uniform draw against the cumulative distribution: O(V), and no re-check of the probabilities.
    cumulative = np.cumsum(probabilities)
    token = np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right")
    return int(min(token, len(logits) - 1))
