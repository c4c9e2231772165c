"""Hidden checks for the ML coding round's attention tensor plumbing problem.

Expected values come from oracles written here one head, one pair or one position at a time in float64,
the plainest statement of each rule, so they share no reshape or broadcasting trick with the candidate's
code. Every input comes from a seeded generator. numpy is imported inside the functions because the app
lists these checks in its own process, where numpy is not otherwise loaded.
"""

from __future__ import annotations

import math

from interviewer.workbench.check_tools import assert_close
from interviewer.workbench.spec import check


# ---------------------------------------------------------------- oracles and shared checks code


def _normal(seed, *shapes, dtype="float64"):
    import numpy as np

    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape).astype(dtype) for shape in shapes]


def _oracle_split(x, num_heads):
    import numpy as np

    batch, seq, d_model = x.shape
    head_dim = d_model // num_heads
    out = np.zeros((batch, num_heads, seq, head_dim), dtype=x.dtype)
    for h in range(num_heads):
        out[:, h] = x[:, :, h * head_dim : (h + 1) * head_dim]
    return out


def _oracle_rope(x, positions, base=10000.0):
    """Each pair (i, i + half) of each position rotated on its own, in float64."""
    import numpy as np

    x = np.asarray(x, dtype=np.float64)
    batch, heads, seq, head_dim = x.shape
    half = head_dim // 2
    positions = np.broadcast_to(np.asarray(positions), (batch, seq))
    out = np.zeros_like(x)
    for b in range(batch):
        for t in range(seq):
            for i in range(half):
                angle = float(positions[b, t]) * base ** (-2.0 * i / head_dim)
                c, s = math.cos(angle), math.sin(angle)
                first, second = x[b, :, t, i], x[b, :, t, i + half]
                out[b, :, t, i] = first * c - second * s
                out[b, :, t, i + half] = second * c + first * s
    return out


def _oracle_attention(q, k, v, allowed=None):
    """One query vector at a time in float64: q (n_q, d), k and v (n_k, d)."""
    import numpy as np

    q, k, v = (np.asarray(a, dtype=np.float64) for a in (q, k, v))
    out = np.zeros((q.shape[0], v.shape[1]))
    for i in range(q.shape[0]):
        keys = np.arange(k.shape[0]) if allowed is None else np.flatnonzero(allowed[i])
        scores = k[keys] @ q[i] / math.sqrt(q.shape[1])
        weights = np.exp(scores - scores.max())
        out[i] = weights / weights.sum() @ v[keys]
    return out


def _oracle_gqa(q, k, v, causal=False):
    import numpy as np

    batch, n_heads, seq_q, d = q.shape
    n_kv, seq_k = k.shape[1], k.shape[2]
    group = n_heads // n_kv
    allowed = None
    if causal:
        allowed = np.arange(seq_k)[None, :] <= np.arange(seq_q)[:, None] + (seq_k - seq_q)
    out = np.zeros((batch, n_heads, seq_q, d))
    for b in range(batch):
        for h in range(n_heads):
            out[b, h] = _oracle_attention(q[b, h], k[b, h // group], v[b, h // group], allowed)
    return out


def _expect_value_error(call, what):
    try:
        result = call()
    except ValueError:
        return
    raise AssertionError(f"expected ValueError for {what}, got a result of type {type(result).__name__}")


# ---------------------------------------------------------------- gate 1: split-merge


@check("split-merge", "split_heads on (2, 5, 12) with 3 heads gives (2, 3, 5, 4), head h holding columns 4h to 4h + 3")
def split_matches_oracle(solution):
    import numpy as np

    (x,) = _normal(1, (2, 5, 12))
    got = solution.split_heads(x, 3)
    assert_close(np.asarray(got), _oracle_split(x, 3), "split_heads(x, 3)")


@check("split-merge", "merge_heads(split_heads(x, h)) gives x back exactly, and merge_heads puts head h in columns h * head_dim onward")
def merge_inverts_split(solution):
    import numpy as np

    (x,) = _normal(2, (3, 7, 20))
    round_trip = np.asarray(solution.merge_heads(solution.split_heads(x, 4)))
    assert round_trip.shape == x.shape, f"expected shape {x.shape} back, got {round_trip.shape}"
    assert np.array_equal(round_trip, x), "merge_heads(split_heads(x, 4)) is not x: heads and positions got mixed"
    (heads,) = _normal(3, (2, 3, 4, 5))
    expected = np.concatenate([heads[:, h] for h in range(3)], axis=-1)
    assert_close(np.asarray(solution.merge_heads(heads)), expected, "merge_heads of (2, 3, 4, 5)")


@check("split-merge", "float16 and float32 inputs keep their dtype through split_heads and merge_heads")
def dtype_is_kept(solution):
    import numpy as np

    for dtype in (np.float16, np.float32):
        (x,) = _normal(4, (2, 3, 8), dtype=dtype)
        split = solution.split_heads(x, 2)
        assert split.dtype == dtype, f"split_heads turned {np.dtype(dtype)} into {split.dtype}"
        merged = solution.merge_heads(split)
        assert merged.dtype == dtype, f"merge_heads turned {np.dtype(dtype)} into {merged.dtype}"


@check("split-merge", "split_heads returns a view that shares x's memory instead of a copy")
def split_is_a_view(solution):
    import numpy as np

    (x,) = _normal(5, (2, 6, 16))
    split = solution.split_heads(x, 4)
    assert np.shares_memory(split, x), "split_heads copied x; a reshape and a transpose can give a view instead"


@check("split-merge", "d_model 10 with 4 heads raises ValueError")
def split_rejects_uneven_heads(solution):
    (x,) = _normal(6, (1, 3, 10))
    _expect_value_error(lambda: solution.split_heads(x, 4), "d_model 10 split into 4 heads")


# ---------------------------------------------------------------- gate 2: rope


@check("rope", "a hand-worked pair: head_dim 2, x = [1, 0] at position 1 turns into [cos 1, sin 1]; position 0 changes nothing")
def hand_worked_rotation(solution):
    import numpy as np

    x = np.array([1.0, 0.0]).reshape(1, 1, 1, 2)
    got = np.asarray(solution.apply_rope(x, np.array([1])))
    expected = np.array([math.cos(1.0), math.sin(1.0)]).reshape(1, 1, 1, 2)
    assert_close(got, expected, "apply_rope([1, 0], position 1)")
    (y,) = _normal(7, (2, 3, 1, 8))
    assert_close(np.asarray(solution.apply_rope(y, np.array([0]))), y, "apply_rope at position 0")


@check("rope", "(2, 3, 7, 8) inputs at positions 0..6 match rotating each pair (i, i + 4) on its own in float64")
def rope_matches_oracle(solution):
    import numpy as np

    (x,) = _normal(8, (2, 3, 7, 8))
    positions = np.arange(7)
    assert_close(np.asarray(solution.apply_rope(x, positions)), _oracle_rope(x, positions), "apply_rope(x, arange(7))")
    assert_close(np.asarray(solution.apply_rope(x, positions, base=500.0)), _oracle_rope(x, positions, 500.0),
                  "apply_rope(x, arange(7), base=500.0)")


@check("rope", "per-row positions of shape (batch, seq), as packed rows restart them, rotate each row by its own positions")
def per_row_positions(solution):
    import numpy as np

    (x,) = _normal(9, (3, 2, 6, 4))
    positions = np.array([[0, 1, 2, 3, 4, 5], [0, 1, 2, 0, 1, 2], [7, 8, 9, 0, 1, 0]])
    assert_close(np.asarray(solution.apply_rope(x, positions)), _oracle_rope(x, positions), "apply_rope with (3, 6) positions")


@check("rope", "q.k after rotation depends only on the distance between positions: shifting both by 100 leaves it unchanged")
def relative_positions(solution):
    import numpy as np

    q, k = _normal(10, (1, 1, 1, 16), (1, 1, 1, 16))
    dots = []
    for shift in (0, 100):
        rq = np.asarray(solution.apply_rope(q, np.array([5 + shift])), dtype=np.float64)
        rk = np.asarray(solution.apply_rope(k, np.array([2 + shift])), dtype=np.float64)
        dots.append(float((rq * rk).sum()))
    # 1e-5 leaves room for angles worked out in float32, as many real implementations do.
    assert abs(dots[0] - dots[1]) <= 1e-5 * (1 + abs(dots[0])), (
        f"q at 5 and k at 2 give q.k = {dots[0]:.6f}; shifted to 105 and 102 it's {dots[1]:.6f}"
    )


@check("rope", "float16 inputs at positions up to 32,768 keep float16 and match a float64 reference within 1e-2")
def float16_long_positions(solution):
    import numpy as np

    (x,) = _normal(11, (1, 2, 6, 16), dtype=np.float16)
    positions = np.array([3, 2049, 4097, 16_385, 30_001, 32_767])
    got = solution.apply_rope(x, positions)
    assert_close(np.asarray(got), _oracle_rope(x, positions), "apply_rope on float16 at long positions", tolerance=1e-2,
                  dtype=np.float16)


@check("rope", "an odd head_dim raises ValueError")
def odd_head_dim_rejected(solution):
    import numpy as np

    (x,) = _normal(12, (1, 1, 2, 5))
    _expect_value_error(lambda: solution.apply_rope(x, np.arange(2)), "head_dim 5")


# ---------------------------------------------------------------- gate 3: gqa


@check("gqa", "8 query heads over 2 KV heads: head h uses KV head h // 4, matching per-head attention in float64")
def gqa_matches_oracle(solution):
    import numpy as np

    q, k, v = _normal(13, (2, 8, 3, 4), (2, 2, 5, 4), (2, 2, 5, 4))
    assert_close(np.asarray(solution.gqa_attention(q, k, v)), _oracle_gqa(q, k, v), "gqa_attention with 8 query and 2 KV heads")


@check("gqa", "as many KV heads as query heads is plain multi-head attention; one KV head is multi-query attention")
def mha_and_mqa_are_special_cases(solution):
    import numpy as np

    for n_kv in (6, 1):
        q, k, v = _normal(14 + n_kv, (1, 6, 4, 8), (1, n_kv, 4, 8), (1, n_kv, 4, 8))
        assert_close(np.asarray(solution.gqa_attention(q, k, v)), _oracle_gqa(q, k, v), f"gqa_attention with {n_kv} KV heads")


@check("gqa", "causal=True with 3 queries over 7 keys: query i sees keys up to i + 4")
def causal_with_offset(solution):
    import numpy as np

    q, k, v = _normal(21, (2, 4, 3, 4), (2, 2, 7, 4), (2, 2, 7, 4))
    assert_close(np.asarray(solution.gqa_attention(q, k, v, causal=True)), _oracle_gqa(q, k, v, causal=True),
                  "gqa_attention(causal=True) with 3 queries and 7 keys")


@check("gqa", "float32 scores in the thousands stay finite, match a float64 reference, and come back as float32")
def large_scores_stay_finite(solution):
    import numpy as np

    q, k, v = _normal(22, (1, 4, 2, 8), (1, 2, 6, 8), (1, 2, 6, 8))
    q, k = q * 30, k * 30
    got = solution.gqa_attention(q.astype(np.float32), k.astype(np.float32), v.astype(np.float32))
    assert_close(np.asarray(got), _oracle_gqa(q, k, v), "gqa_attention with large scores", tolerance=1e-4, dtype=np.float32)


@check("gqa", "at decode, 64 query heads over 8 KV heads of 4,096 positions: peak extra memory stays far below a repeated copy of k and v")
def no_repeated_copies(solution):
    import tracemalloc

    import numpy as np

    q, k, v = _normal(23, (1, 64, 1, 64), (1, 8, 4096, 64), (1, 8, 4096, 64), dtype="float32")
    tracemalloc.start()
    try:
        got = solution.gqa_attention(q, k, v)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert np.asarray(got).shape == (1, 64, 1, 64), f"expected shape (1, 64, 1, 64), got {np.asarray(got).shape}"
    repeated = 8 * (k.nbytes + v.nbytes)
    limit = 3 * (k.nbytes + v.nbytes)
    assert peak <= limit, (
        f"the call allocated up to {peak / 2**20:.0f} MB at once; k and v repeated for every query head take "
        f"{repeated / 2**20:.0f} MB, and k and v themselves {(k.nbytes + v.nbytes) / 2**20:.0f} MB"
    )


@check("gqa", "12 query heads over 5 KV heads raises ValueError")
def uneven_groups_rejected(solution):
    q, k, v = _normal(24, (1, 12, 2, 4), (1, 5, 2, 4), (1, 5, 2, 4))
    _expect_value_error(lambda: solution.gqa_attention(q, k, v), "12 query heads over 5 KV heads")


# ---------------------------------------------------------------- gate 4: paged-cache


def _paged_setup(seed, seq_lens, page_size=4, n_kv=2, d=8, spare_pages=3, dtype="float64"):
    """Random per-sequence k and v, scattered into shuffled pages; spare pages and unused slots hold NaN.

    Returns (k_pages, v_pages, block_table, k_seqs, v_seqs), the last two one (n_kv, length, d) array each.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    needed = [-(-n // page_size) for n in seq_lens]
    num_pages = sum(needed) + spare_pages
    order = rng.permutation(num_pages)
    k_pages = np.full((num_pages, page_size, n_kv, d), np.nan, dtype=dtype)
    v_pages = np.full((num_pages, page_size, n_kv, d), np.nan, dtype=dtype)
    block_table = np.full((len(seq_lens), max(needed) + 1), -1, dtype=np.int64)
    k_seqs, v_seqs, next_page = [], [], 0
    for b, n in enumerate(seq_lens):
        k_seq = rng.standard_normal((n_kv, n, d)).astype(dtype)
        v_seq = rng.standard_normal((n_kv, n, d)).astype(dtype)
        for p in range(n):
            if p % page_size == 0:
                block_table[b, p // page_size] = order[next_page]
                next_page += 1
            page = block_table[b, p // page_size]
            k_pages[page, p % page_size] = k_seq[:, p]
            v_pages[page, p % page_size] = v_seq[:, p]
        k_seqs.append(k_seq)
        v_seqs.append(v_seq)
    return k_pages, v_pages, block_table, k_seqs, v_seqs


def _oracle_gather(seqs, dtype):
    import numpy as np

    longest = max(s.shape[1] for s in seqs)
    out = np.zeros((len(seqs), seqs[0].shape[0], longest, seqs[0].shape[2]), dtype=dtype)
    for b, seq in enumerate(seqs):
        out[b, :, : seq.shape[1]] = seq
    return out


@check("paged-cache", "gather_kv with pages in shuffled order returns each sequence's positions in order, zeros past its length")
def gather_matches_oracle(solution):
    import numpy as np

    seq_lens = np.array([9, 4, 1, 6])
    k_pages, _, table, k_seqs, _ = _paged_setup(25, seq_lens)
    got = solution.gather_kv(k_pages, table, seq_lens)
    expected = _oracle_gather(k_seqs, np.float64)
    assert isinstance(got, np.ndarray) and got.shape == expected.shape, (
        f"expected shape {expected.shape} (batch, n_kv_heads, max(seq_lens), head_dim), got {np.shape(got)}"
    )
    assert not np.isnan(got).any(), "gather_kv returned NaN: it read a slot past a sequence's length or an unowned page"
    wrong = np.argwhere(got != expected)
    assert wrong.size == 0, f"gather_kv differs from the cached positions first at {tuple(int(i) for i in wrong[0])}"


@check("paged-cache", "a -1 entry in the block table brings in nothing: NumPy would quietly read it as the last page")
def minus_one_is_not_the_last_page(solution):
    import numpy as np

    seq_lens = np.array([3, 8])
    k_pages, _, table, k_seqs, _ = _paged_setup(26, seq_lens, spare_pages=0)
    k_pages[np.isnan(k_pages)] = 0.0
    # One more page at the end that no sequence owns: only a -1 taken as an index reaches it.
    k_pages = np.concatenate([k_pages, np.full_like(k_pages[:1], 777.0)])
    got = np.asarray(solution.gather_kv(k_pages, table, seq_lens))
    assert not (got == 777.0).any(), "gather_kv returned values from the last page, which no sequence owns"
    assert np.array_equal(got, _oracle_gather(k_seqs, np.float64)), "gather_kv differs from the cached positions"


@check("paged-cache", "gather_kv keeps the pages' dtype: float16 pages give float16")
def gather_keeps_dtype(solution):
    import numpy as np

    seq_lens = np.array([5, 2])
    k_pages, _, table, k_seqs, _ = _paged_setup(27, seq_lens, dtype="float16")
    got = solution.gather_kv(k_pages, table, seq_lens)
    assert got.dtype == np.float16, f"expected float16, got {got.dtype}"
    valid = np.arange(5)[None, :] < seq_lens[:, None]  # zeros past each length are another check's business
    expected = _oracle_gather(k_seqs, np.float16)
    assert np.array_equal(got.transpose(0, 2, 1, 3)[valid], expected.transpose(0, 2, 1, 3)[valid]), (
        "gather_kv of float16 pages differs from the cached positions"
    )


@check("paged-cache", "paged_attention for one decode step matches attention over each sequence's own keys, with NaN in every unowned slot")
def paged_attention_matches_oracle(solution):
    import numpy as np

    seq_lens = np.array([9, 4, 1, 8])
    k_pages, v_pages, table, k_seqs, v_seqs = _paged_setup(28, seq_lens)
    (q,) = _normal(29, (4, 6, 8))
    got = np.asarray(solution.paged_attention(q, k_pages, v_pages, table, seq_lens))
    expected = np.zeros((4, 6, 8))
    for b in range(4):
        for h in range(6):
            kv = h // 3
            expected[b, h] = _oracle_attention(q[b, h][None], k_seqs[b][kv], v_seqs[b][kv])[0]
    assert_close(got, expected, "paged_attention")


@check("paged-cache", "a length that fills its last page exactly, and 64 sequences of up to 300 positions, still match")
def full_pages_and_a_bigger_batch(solution):
    import numpy as np

    rng = np.random.default_rng(30)
    seq_lens = np.concatenate([[8, 16], rng.integers(1, 301, 62)])
    k_pages, v_pages, table, k_seqs, v_seqs = _paged_setup(31, seq_lens, page_size=8)
    (q,) = _normal(32, (64, 4, 8))
    got = np.asarray(solution.paged_attention(q, k_pages, v_pages, table, seq_lens))
    expected = np.zeros((64, 4, 8))
    for b in range(64):
        for h in range(4):
            expected[b, h] = _oracle_attention(q[b, h][None], k_seqs[b][h // 2], v_seqs[b][h // 2])[0]
    assert_close(got, expected, "paged_attention over 64 sequences")
