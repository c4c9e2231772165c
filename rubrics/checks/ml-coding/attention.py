"""Hidden checks for the ML coding round's attention problem.

Every result is compared with a float64 oracle written here row by row, the plainest statement of the
formula, so it shares no vectorised shortcut with the candidate's code. Inputs come from seeded
generators, so every run sees the same numbers. numpy is imported inside the functions because the app
lists these checks in its own process, where numpy is not otherwise loaded.
"""

from __future__ import annotations

import math

from interviewer.workbench.check_tools import assert_close
from interviewer.workbench.spec import check

TOLERANCE = 1e-6


# ---------------------------------------------------------------- oracles and shared checks code


def _inputs(seed, *shapes, dtype="float64"):
    import numpy as np

    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape).astype(dtype) for shape in shapes]


def _causal(n_q, n_k):
    import numpy as np

    return np.arange(n_k)[None, :] <= np.arange(n_q)[:, None] + (n_k - n_q)


def _oracle_attention(q, k, v, allowed=None):
    """Attention one query row at a time in float64; a row with no allowed key is zeros."""
    import numpy as np

    q, k, v = (np.asarray(a, dtype=np.float64) for a in (q, k, v))
    batch_shape = np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    n_q, n_k, d_k = q.shape[-2], k.shape[-2], q.shape[-1]
    if allowed is None:
        allowed = np.ones((n_q, n_k), dtype=bool)
    allowed = np.broadcast_to(allowed, batch_shape + (n_q, n_k))
    q = np.broadcast_to(q, batch_shape + q.shape[-2:])
    k = np.broadcast_to(k, batch_shape + k.shape[-2:])
    v = np.broadcast_to(v, batch_shape + v.shape[-2:])
    out = np.zeros(batch_shape + (n_q, v.shape[-1]))
    for index in np.ndindex(*batch_shape):
        for i in range(n_q):
            keys = np.flatnonzero(allowed[index][i])
            if keys.size == 0:
                continue
            scores = k[index][keys] @ q[index][i] / math.sqrt(d_k)
            weights = np.exp(scores - scores.max())
            out[index][i] = (weights / weights.sum()) @ v[index][keys]
    return out


def _oracle_multi_head(x, w_q, w_k, w_v, w_o, num_heads, allowed=None):
    """Multi-head attention head by head: head j uses columns j*d_head:(j+1)*d_head of each projection."""
    import numpy as np

    x = np.asarray(x, dtype=np.float64)
    batch, seq, d_model = x.shape
    d_head = d_model // num_heads
    if allowed is None:
        allowed = np.ones((seq, seq), dtype=bool)
    allowed = np.broadcast_to(allowed, (batch, seq, seq))
    merged = np.zeros((batch, seq, d_model))
    for b in range(batch):
        for j in range(num_heads):
            columns = slice(j * d_head, (j + 1) * d_head)
            q, k, v = (x[b] @ w[:, columns] for w in (w_q, w_k, w_v))
            merged[b, :, columns] = _oracle_attention(q, k, v, allowed[b])
    return merged @ w_o


def _weights(seed, d_model):
    return _inputs(seed, *[(d_model, d_model)] * 4)


# ---------------------------------------------------------------- gate 1: single-head


@check("single-head", "matches softmax(q k^T / sqrt(d_k)) v on random inputs where n_q, n_k, d_k and d_v all differ")
def single_head_matches_formula(solution):
    q, k, v = _inputs(1, (3, 4), (5, 4), (5, 6))
    assert_close(solution.attention(q, k, v), _oracle_attention(q, k, v), "attention(q, k, v)")


@check("single-head", "a tiny example worked by hand: one query whose scaled scores against two keys are 2 and 0")
def hand_worked_example(solution):
    import numpy as np

    # q.k is 4 and 0; divided by sqrt(d_k) = 2 the scores are 2 and 0.
    q = np.array([[2.0, 0.0, 0.0, 0.0]])
    k = np.array([[2.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]])
    v = np.array([[1.0, 0.0], [0.0, 1.0]])
    first = math.exp(2) / (math.exp(2) + 1)
    expected = np.array([[first, 1 - first]])
    unscaled = math.exp(4) / (math.exp(4) + 1)
    got = np.asarray(solution.attention(q, k, v))
    assert got.shape == (1, 2), f"expected shape (1, 2), got {got.shape}"
    assert np.allclose(got, expected, atol=TOLERANCE), (
        f"expected [[{expected[0, 0]:.4f}, {expected[0, 1]:.4f}]], got {np.round(got, 4).tolist()}"
        f" (without the 1/sqrt(d_k) scale it would be [[{unscaled:.4f}, {1 - unscaled:.4f}]])"
    )


@check("single-head", "each query's weights sum to one over the keys: with v all ones, every output is one")
def weights_sum_to_one_over_keys(solution):
    import numpy as np

    q, k = _inputs(2, (3, 4), (5, 4))
    got = np.asarray(solution.attention(q, k, np.ones((5, 2))))
    assert got.shape == (3, 2), f"expected shape (3, 2), got {got.shape}"
    assert np.allclose(got, 1.0, atol=TOLERANCE), (
        f"expected all ones (softmax over the key axis), got {np.round(got, 4).tolist()}"
    )


@check("single-head", "works with leading batch dimensions: (2, 3, n, d) inputs match each (n, d) slice")
def leading_batch_dimensions(solution):
    import numpy as np

    q, k, v = _inputs(3, (2, 3, 4, 8), (2, 3, 6, 8), (2, 3, 6, 5))
    got = np.asarray(solution.attention(q, k, v))
    assert_close(got, _oracle_attention(q, k, v), "attention with batch shape (2, 3)")


@check("single-head", "scores in the thousands (float32 inputs) give finite output that matches a float64 reference")
def large_scores_stay_finite(solution):
    import numpy as np

    # Scores come out as 2000, 0 and 1000: exp overflows float32 past about 88 and float64 past about 709.
    q = (4000 * np.eye(2, 4)).astype(np.float32)
    k = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0.5, 0.5, 0, 0]], dtype=np.float32)
    v = _inputs(4, (3, 3), dtype="float32")[0]
    assert_close(solution.attention(q, k, v), _oracle_attention(q, k, v), "attention with large scores", 1e-4)


# ---------------------------------------------------------------- gate 2: masking


@check("masking", "a padding mask of shape (batch, 1, n_k), True where allowed, matches a reference")
def padding_mask_matches_reference(solution):
    import numpy as np

    q, k, v = _inputs(5, (2, 5, 4), (2, 5, 4), (2, 5, 3))
    lengths = np.array([5, 3])
    mask = (np.arange(5)[None, :] < lengths[:, None])[:, None, :]  # (batch, 1, n_k)
    got = solution.attention(q, k, v, mask=mask)
    assert_close(got, _oracle_attention(q, k, v, mask), "attention with a padding mask")


@check("masking", "changing keys and values at masked positions does not change the output")
def masked_values_are_ignored(solution):
    import numpy as np

    q, k, v = _inputs(6, (2, 4, 4), (2, 6, 4), (2, 6, 3))
    mask = np.array([[True] * 6, [True] * 4 + [False] * 2])[:, None, :]
    noisy_k, noisy_v = k.copy(), v.copy()
    noise_k, noise_v = _inputs(7, (2, 4), (2, 3))
    noisy_k[1, 4:] = 50 * noise_k
    noisy_v[1, 4:] = 50 * noise_v
    before = np.asarray(solution.attention(q, k, v, mask=mask))
    after = np.asarray(solution.attention(q, noisy_k, noisy_v, mask=mask))
    assert_close(after, before.astype(np.float64), "output after changing masked keys and values")
    assert_close(before, _oracle_attention(q, k, v, mask), "attention with a padding mask")


@check("masking", "causal=True with n_q == n_k: query i sees keys 0..i only")
def causal_square(solution):
    q, k, v = _inputs(8, (2, 5, 4), (2, 5, 4), (2, 5, 3))
    got = solution.attention(q, k, v, causal=True)
    assert_close(got, _oracle_attention(q, k, v, _causal(5, 5)), "causal attention")


@check("masking", "causal=True with fewer queries than keys: queries are the last positions, query i sees keys up to i + n_k - n_q")
def causal_with_fewer_queries(solution):
    q, k, v = _inputs(9, (2, 2, 4), (2, 5, 4), (2, 5, 3))
    got = solution.attention(q, k, v, causal=True)
    assert_close(got, _oracle_attention(q, k, v, _causal(2, 5)), "causal attention with n_q=2, n_k=5")
    one = q[:, -1:]
    got = solution.attention(one, k, v, causal=True)
    assert_close(got, _oracle_attention(one, k, v), "causal attention with one query (it sees every key)")


@check("masking", "a query with every key masked returns a row of zeros, not NaN, and other rows are unaffected")
def fully_masked_row_is_zero(solution):
    import numpy as np

    q, k, v = _inputs(10, (3, 4), (4, 4), (4, 2))
    mask = np.ones((3, 4), dtype=bool)
    mask[1] = False
    got = np.asarray(solution.attention(q, k, v, mask=mask))
    assert got.shape == (3, 2), f"expected shape (3, 2), got {got.shape}"
    assert np.all(np.isfinite(got[1])), f"expected zeros for the fully masked row, got {got[1].tolist()}"
    assert_close(got, _oracle_attention(q, k, v, mask), "attention with a fully masked row")


@check("masking", "mask and causal together: a key must be allowed by both, and an (n_q, n_k) mask broadcasts over the batch")
def mask_and_causal_together(solution):
    import numpy as np

    q, k, v = _inputs(11, (2, 4, 4), (2, 4, 4), (2, 4, 3))
    mask = np.array([[True, False, True, True]] * 4)  # key 1 is never allowed
    got = solution.attention(q, k, v, mask=mask, causal=True)
    assert_close(got, _oracle_attention(q, k, v, mask & _causal(4, 4)), "attention with mask and causal")


# ---------------------------------------------------------------- gate 3: multi-head


@check("multi-head", "with one head and identity weights it equals attention(x, x, x)")
def one_head_identity_is_attention(solution):
    import numpy as np

    (x,) = _inputs(12, (2, 5, 4))
    eye = np.eye(4)
    got = solution.multi_head_attention(x, eye, eye, eye, eye, 1)
    assert_close(got, _oracle_attention(x, x, x), "multi_head_attention with 1 head and identity weights")


@check("multi-head", "batch 2, seq 5, d_model 12 and 3 heads: output of shape (2, 5, 12) matches a reference")
def multi_head_matches_reference(solution):
    (x,) = _inputs(13, (2, 5, 12))
    weights = _weights(14, 12)
    got = solution.multi_head_attention(x, *weights, 3)
    assert_close(got, _oracle_multi_head(x, *weights, 3), "multi_head_attention")


@check("multi-head", "head j owns columns j*d_head:(j+1)*d_head: changing head 0's columns of w_q only moves head 0's output columns")
def heads_use_their_own_columns(solution):
    import numpy as np

    (x,) = _inputs(15, (2, 5, 12))
    w_q, w_k, w_v, _ = _weights(16, 12)
    eye = np.eye(12)
    before = np.asarray(solution.multi_head_attention(x, w_q, w_k, w_v, eye, 3), dtype=np.float64)
    changed = w_q.copy()
    changed[:, :4] = _inputs(17, (12, 4))[0]
    after = np.asarray(solution.multi_head_attention(x, changed, w_k, w_v, eye, 3), dtype=np.float64)
    assert after.shape == (2, 5, 12), f"expected shape (2, 5, 12), got {after.shape}"
    moved = np.abs(after - before).max(axis=(0, 1)) > TOLERANCE
    assert not moved[4:].any() and moved[:4].any(), (
        f"expected only output columns 0-3 (head 0) to change, got changes in columns {np.flatnonzero(moved).tolist()}"
    )


@check("multi-head", "a (batch, seq, seq) mask and causal=True apply to every head (batch equals heads here, so a mask on the wrong axis shows)")
def masks_reach_every_head(solution):
    import numpy as np

    (x,) = _inputs(18, (2, 4, 8))
    weights = _weights(19, 8)
    mask = np.ones((2, 4, 4), dtype=bool)
    mask[0, :, 3] = False  # sequence 0 is padded at position 3; sequence 1 is not
    got = solution.multi_head_attention(x, *weights, 2, mask=mask)
    assert_close(got, _oracle_multi_head(x, *weights, 2, mask), "multi_head_attention with a (batch, seq, seq) mask")
    got = solution.multi_head_attention(x, *weights, 2, causal=True)
    assert_close(got, _oracle_multi_head(x, *weights, 2, _causal(4, 4)), "multi_head_attention with causal=True")


@check("multi-head", "raises ValueError when d_model is not divisible by num_heads")
def rejects_heads_that_do_not_divide(solution):
    (x,) = _inputs(20, (1, 3, 10))
    weights = _weights(21, 10)
    try:
        solution.multi_head_attention(x, *weights, 3)
    except ValueError:
        return
    raise AssertionError("expected ValueError for d_model 10 with 3 heads, but the call returned")


# ---------------------------------------------------------------- gate 4: kv-cache


def _full_causal(x, weights, num_heads, position):
    """Output at `position` of causal multi-head attention over x[:, :position + 1]."""
    prefix = x[:, : position + 1]
    n = prefix.shape[1]
    return _oracle_multi_head(prefix, *weights, num_heads, _causal(n, n))[:, -1]


@check("kv-cache", "decoding one token at a time with step(x_t) matches full causal attention over the prefix at every step")
def steps_match_full_causal(solution):
    (x,) = _inputs(22, (2, 7, 12))
    weights = _weights(23, 12)
    cache = solution.CachedAttention(*weights, 3)
    for t in range(7):
        got = cache.step(x[:, t])
        assert_close(got, _full_causal(x, weights, 3, t), f"step {t}")


@check("kv-cache", "prefill(x) of a 5-token prompt, then single steps, matches full causal attention")
def prefill_then_steps(solution):
    import numpy as np

    (x,) = _inputs(24, (2, 8, 12))
    weights = _weights(25, 12)
    cache = solution.CachedAttention(*weights, 3)
    full = _oracle_multi_head(x, *weights, 3, _causal(8, 8))
    assert_close(cache.prefill(x[:, :5]), full[:, :5], "prefill of 5 tokens")
    for t in range(5, 8):
        assert_close(cache.step(x[:, t]), full[:, t], f"step {t} after the prefill")
    assert np.asarray(cache.step(x[:, 0])).shape == (2, 12), "expected step to return shape (batch, d_model)"


@check("kv-cache", "len(cache) counts cached positions: 0 when new, +n per prefill, +1 per step")
def cache_length_counts_positions(solution):
    (x,) = _inputs(26, (1, 6, 8))
    cache = solution.CachedAttention(*_weights(27, 8), 2)
    lengths = [len(cache)]
    cache.prefill(x[:, :4])
    lengths.append(len(cache))
    cache.step(x[:, 4])
    cache.step(x[:, 5])
    lengths.append(len(cache))
    assert lengths == [0, 4, 6], f"expected len(cache) to be 0, 4, 6, got {lengths}"


@check("kv-cache", "two caches decoding different sequences, interleaved, each match their own full computation")
def separate_caches_do_not_share_state(solution):
    x, y = _inputs(28, (1, 5, 8), (1, 5, 8))
    weights = _weights(29, 8)
    first, second = solution.CachedAttention(*weights, 2), solution.CachedAttention(*weights, 2)
    for t in range(5):
        assert_close(first.step(x[:, t]), _full_causal(x, weights, 2, t), f"first cache, step {t}")
        assert_close(second.step(y[:, t]), _full_causal(y, weights, 2, t), f"second cache, step {t}")


@check("kv-cache", "after 150 steps the output still matches full causal attention (the cache grows past any small buffer)")
def long_decode_stays_exact(solution):
    (x,) = _inputs(30, (1, 150, 8))
    weights = _weights(31, 8)
    cache = solution.CachedAttention(*weights, 2)
    for t in range(150):
        got = cache.step(x[:, t])
    assert_close(got, _full_causal(x, weights, 2, 149), "step 149")


def _counting(weight, tally):
    """`weight` as an array that adds to tally[0] the number of token vectors each matmul with it projects."""
    import numpy as np

    class CountingWeight(np.ndarray):
        def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
            plain = [np.asarray(a) if isinstance(a, CountingWeight) else a for a in inputs]
            if "out" in kwargs:
                kwargs["out"] = tuple(np.asarray(a) if isinstance(a, CountingWeight) else a for a in kwargs["out"])
            if ufunc is np.matmul and method == "__call__" and len(plain) == 2:
                if isinstance(inputs[1], CountingWeight) and not isinstance(inputs[0], CountingWeight):
                    other = np.asarray(plain[0])
                    tally[0] += other.size // max(other.shape[-1], 1)
                elif isinstance(inputs[0], CountingWeight) and np.ndim(plain[1]) >= 2:
                    other = np.asarray(plain[1])
                    tally[0] += other.size // max(other.shape[-2], 1)
            return getattr(ufunc, method)(*plain, **kwargs)

    return np.asarray(weight).view(CountingWeight)


@check("kv-cache", "each step projects only the new token: over 12 steps the weights multiply 12 tokens per sequence, not the whole prefix again")
def steps_project_only_the_new_token(solution):
    (x,) = _inputs(32, (2, 12, 8))
    weights = _weights(33, 8)
    tally = [0]
    cache = solution.CachedAttention(*(_counting(w, tally) for w in weights), 2)
    for t in range(12):
        got = cache.step(x[:, t])
    assert_close(got, _full_causal(x, weights, 2, 11), "step 11")
    # Four projections (q, k, v and out) of one token for each of the 2 sequences, per step.
    limit = 4 * 2 * 12
    assert tally[0] <= limit, (
        f"expected at most {limit} token projections over 12 steps, got {tally[0]}: "
        "earlier tokens are being projected again instead of read from the cache"
    )
