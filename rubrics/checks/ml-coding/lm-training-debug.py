"""Hidden checks for the ML coding round's debugging problem: a bigram language model's training step.

The candidate starts from code with planted bugs, and each gate's checks exercise only the functions its
bug class lives in, so a fix for gate N passes while later bugs are still in the code. Expected values
come from oracles written here one position at a time in plain float64, sharing nothing with the code
under test. numpy is imported inside the functions because the app lists these checks in its own
process, where numpy is not otherwise loaded.
"""

from __future__ import annotations

import math

from interviewer.workbench.check_tools import assert_close
from interviewer.workbench.spec import check

PAD = 0
VOCAB = 7
TOLERANCE = 1e-9  # everything here is float64 unless a check says otherwise


# ---------------------------------------------------------------- oracles and shared checks code


def _oracle_log_softmax(row):
    """One row of logits, in plain Python floats: x - max - log(sum(exp(x - max)))."""
    row = [float(x) for x in row]
    top = max(row)
    total = math.fsum(math.exp(x - top) for x in row)
    return [x - top - math.log(total) for x in row]


def _oracle_log_softmax_array(logits):
    import numpy as np

    logits = np.asarray(logits, dtype=np.float64)
    flat = logits.reshape(-1, logits.shape[-1])
    return np.array([_oracle_log_softmax(row) for row in flat]).reshape(logits.shape)


def _pairs(batch):
    """(input, target) for every position whose next token is real, row by row."""
    pairs = []
    for row in batch:
        for t in range(len(row) - 1):
            if row[t + 1] != PAD:
                pairs.append((int(row[t]), int(row[t + 1])))
    return pairs


def _oracle_loss(W, batch):
    pairs = _pairs(batch)
    return -math.fsum(_oracle_log_softmax(W[a])[b] for a, b in pairs) / len(pairs)


def _oracle_grad(W, batch):
    import numpy as np

    pairs = _pairs(batch)
    grad = np.zeros_like(W, dtype=np.float64)
    for a, b in pairs:
        probs = np.exp(_oracle_log_softmax(W[a]))
        probs[b] -= 1.0
        grad[a] += probs / len(pairs)
    return grad


def _weights(seed, scale=1.0):
    import numpy as np

    return np.random.default_rng(seed).standard_normal((VOCAB, VOCAB)) * scale


def _batch(seed, rows, seq, padded=False):
    """Token ids 1..VOCAB-1; with padded, each row keeps a random real prefix of at least 2 and PAD after."""
    import numpy as np

    rng = np.random.default_rng(seed)
    batch = rng.integers(1, VOCAB, (rows, seq)).astype(np.int64)
    if padded:
        for row in batch:
            row[rng.integers(2, seq + 1):] = PAD
    return batch


# ---------------------------------------------------------------- gate 1: vocab-axis


@check("vocab-axis", "exp(log_softmax(logits)) sums to one over the vocabulary at every position of (2, 3, 5) logits")
def probabilities_sum_to_one_over_vocab(solution):
    import numpy as np

    logits = np.random.default_rng(1).standard_normal((2, 3, 5))
    totals = np.exp(np.asarray(solution.log_softmax(logits))).sum(axis=-1)
    assert np.allclose(totals, 1.0, atol=1e-9), (
        f"expected probabilities summing to 1 over the last axis, got sums {np.round(totals, 3).tolist()}"
    )


@check("vocab-axis", "log_softmax matches a float64 reference on 1-D, 2-D and 3-D logits of modest size, same shape out")
def log_softmax_matches_reference(solution):
    import numpy as np

    rng = np.random.default_rng(2)
    for shape in ((7,), (4, 6), (2, 3, 5), (3, 1, 4)):
        logits = rng.standard_normal(shape) * 3
        assert_close(solution.log_softmax(logits), _oracle_log_softmax_array(logits), f"log_softmax of shape {shape}", TOLERANCE)


@check("vocab-axis", "adding a constant to one position's logits leaves its log-probabilities unchanged and no other position's")
def each_position_normalised_alone(solution):
    import numpy as np

    logits = np.random.default_rng(3).standard_normal((2, 4, 5))
    shifted = logits.copy()
    shifted[1, 2] += 3.0
    assert_close(solution.log_softmax(shifted), np.asarray(solution.log_softmax(logits)),
                 "log_softmax after adding 3 to the logits at [1, 2]", TOLERANCE)


# ---------------------------------------------------------------- gate 2: overflow


@check("overflow", "logits in the thousands, positive or negative, give finite log-probabilities that match a float64 reference")
def huge_logits_stay_finite(solution):
    import numpy as np

    logits = np.array([[[1000.0, 999.0, 990.0, 1001.5], [-1000.0, -1001.0, -1005.0, -999.0]],
                       [[710.0, 0.0, -3.0, 705.0], [2.0, 1.0, 0.5, -1.0]]])
    assert_close(solution.log_softmax(logits), _oracle_log_softmax_array(logits), "log_softmax of logits in the thousands", TOLERANCE)


@check("overflow", "float32 logits around 100 (exp overflows float32 above 88.7) stay finite and come back float32")
def float32_logits_stay_finite(solution):
    import numpy as np

    logits = (np.random.default_rng(4).standard_normal((3, 6)) + 100.0).astype(np.float32)
    got = solution.log_softmax(logits)
    assert np.asarray(got).dtype == np.float32, f"expected float32 back for float32 logits, got {np.asarray(got).dtype}"
    assert_close(got, _oracle_log_softmax_array(logits), "log_softmax of float32 logits near 100", tolerance=1e-5)


@check("overflow", "a logit 800 above the rest gives about 0 for it and about -800 for the others, not -inf")
def dominated_tokens_do_not_underflow(solution):
    import numpy as np

    logits = np.array([800.0, 0.0, -1.0])
    assert_close(solution.log_softmax(logits), _oracle_log_softmax_array(logits), "log_softmax([800, 0, -1])", TOLERANCE)


# ---------------------------------------------------------------- gate 3: next-token


@check("next-token", "lm_loss on an unpadded batch is the mean cross-entropy of token t + 1 given token t")
def loss_predicts_the_next_token(solution):
    W, batch = _weights(5), _batch(6, 3, 6)
    assert_close(solution.lm_loss(W, batch), _oracle_loss(W, batch), "lm_loss(W, batch) on a (3, 6) batch", TOLERANCE)


@check("next-token", "a model that always predicts the token it was given scores a high loss on text that never repeats a token")
def copying_model_is_not_rewarded(solution):
    import numpy as np

    W = 20.0 * np.eye(VOCAB)
    batch = np.array([[1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1]], dtype=np.int64)
    loss = float(solution.lm_loss(W, batch))
    expected = _oracle_loss(W, batch)
    assert abs(loss - expected) <= 1e-6 * expected, (
        f"a model that copies its input token should score about {expected:.2f} here, got {loss:.3g}: "
        "is each position scored against its own token instead of the next one?"
    )


@check("next-token", "lm_loss_grad matches central finite differences of lm_loss on an unpadded batch")
def gradient_matches_finite_differences(solution):
    import numpy as np

    W, batch = _weights(7), _batch(8, 2, 5)
    grad = np.asarray(solution.lm_loss_grad(W, batch), dtype=np.float64)
    assert grad.shape == W.shape, f"expected a gradient of shape {W.shape}, got {grad.shape}"
    numeric = np.zeros_like(W)
    step = 1e-6
    for index in np.ndindex(W.shape):
        up, down = W.copy(), W.copy()
        up[index] += step
        down[index] -= step
        numeric[index] = (float(solution.lm_loss(up, batch)) - float(solution.lm_loss(down, batch))) / (2 * step)
    assert_close(grad, numeric, "lm_loss_grad against finite differences of lm_loss", tolerance=1e-6)
    assert_close(grad, _oracle_grad(W, batch), "lm_loss_grad against the next-token gradient", TOLERANCE)


@check("next-token", "train_step with one unpadded micro-batch moves W by -lr times the next-token gradient")
def one_micro_batch_step(solution):
    W, batch = _weights(9), _batch(10, 4, 6)
    assert_close(solution.train_step(W.copy(), [batch], 0.5), W - 0.5 * _oracle_grad(W, batch), "train_step(W, [batch], 0.5)", TOLERANCE)


# ---------------------------------------------------------------- gate 4: real-tokens


@check("real-tokens", "with right padding lm_loss averages over real target tokens only: 5 more PAD columns change nothing")
def padding_does_not_count(solution):
    import numpy as np

    W, batch = _weights(11), _batch(12, 4, 8, padded=True)
    assert_close(solution.lm_loss(W, batch), _oracle_loss(W, batch), "lm_loss on a right-padded batch", TOLERANCE)
    wider = np.concatenate([batch, np.full((4, 5), PAD, dtype=np.int64)], axis=1)
    assert_close(solution.lm_loss(W, wider), _oracle_loss(W, batch), "lm_loss after 5 more columns of PAD", TOLERANCE)


@check("real-tokens", "lm_loss_grad on a padded batch is the gradient of the mean over real targets, zero for what only PAD touches")
def padded_gradient(solution):
    W, batch = _weights(13), _batch(14, 5, 7, padded=True)
    assert_close(solution.lm_loss_grad(W, batch), _oracle_grad(W, batch), "lm_loss_grad on a right-padded batch", TOLERANCE)


@check("real-tokens", "train_step over 4 copies of one micro-batch takes the same step as that micro-batch alone")
def copies_do_not_scale_the_step(solution):
    W, batch = _weights(15), _batch(16, 3, 6, padded=True)
    assert_close(solution.train_step(W.copy(), [batch] * 4, 0.5), W - 0.5 * _oracle_grad(W, batch),
                 "train_step(W, [batch] * 4, 0.5)", TOLERANCE)


@check("real-tokens", "train_step over 3 micro-batches with different padding takes the same step as one batch of all their rows")
def accumulation_weights_every_real_token_equally(solution):
    import numpy as np

    W = _weights(17)
    micro = [_batch(18, 3, 10), _batch(19, 3, 10, padded=True), _batch(20, 3, 10, padded=True)]
    micro[2][:, 3:] = PAD  # a micro-batch that is mostly padding
    whole = np.concatenate(micro)
    assert_close(solution.train_step(W.copy(), micro, 0.5), W - 0.5 * _oracle_grad(W, whole),
                 "train_step over 3 unevenly padded micro-batches", TOLERANCE)
