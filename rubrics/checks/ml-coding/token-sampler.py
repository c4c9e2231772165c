"""Hidden checks for the ML coding round's next-token sampler.

Every draw comes from a numpy.random.Generator made here with a fixed seed and passed in, so a run is
reproducible. Frequency checks allow five standard errors per token plus three draws (rare tokens
follow a Poisson tail), so a correct sampler that uses the generator differently from ours fails one by
chance far less than once in ten thousand runs, while a wrong formula misses by far more. The expected
probabilities come from an oracle written here token by token in float64. numpy is imported inside
the functions because the app lists these checks in its own process, where numpy is not otherwise
loaded.
"""

from __future__ import annotations

import math

from interviewer.workbench.spec import check

SIGMAS = 5


# ---------------------------------------------------------------- oracle and shared checks code


def _oracle(logits, temperature=1.0, top_k=None, top_p=None, generated=(), penalty=1.0, bias=None):
    """The probability of each token under the stated rules, one token at a time in plain Python."""
    scores = [float(x) for x in logits]
    for token in set(generated):
        scores[token] = scores[token] / penalty if scores[token] > 0 else scores[token] * penalty
    for token, value in (bias or {}).items():
        scores[token] += value
    if temperature == 0:
        best = max(range(len(scores)), key=lambda i: (scores[i], -i))
        return [1.0 if i == best else 0.0 for i in range(len(scores))]
    scores = [s / temperature for s in scores]
    if top_k:
        threshold = sorted(scores, reverse=True)[min(top_k, len(scores)) - 1]
        scores = [s if s >= threshold else -math.inf for s in scores]
    top = max(scores)
    weights = [math.exp(s - top) for s in scores]
    probabilities = [w / sum(weights) for w in weights]
    if top_p is not None and top_p < 1.0:
        kept, total = set(), 0.0
        for token in sorted(range(len(scores)), key=lambda i: -probabilities[i]):
            kept.add(token)
            total += probabilities[token]
            if total >= top_p:
                break
        probabilities = [p if i in kept else 0.0 for i, p in enumerate(probabilities)]
        probabilities = [p / sum(probabilities) for p in probabilities]
    return probabilities


def _rng(seed):
    import numpy as np

    return np.random.default_rng(seed)


def _draw_many(solution, logits, n, seed, temperature=1.0, **settings):
    """n single-row draws, one call each, from one seeded generator."""
    import numpy as np

    rng = _rng(seed)
    return np.array([int(solution.sample(logits, temperature, rng, **settings)) for _ in range(n)])


def _assert_distribution(tokens, probabilities, what):
    """Token frequencies match probabilities within five standard errors; impossible tokens never appear."""
    import numpy as np

    tokens = np.asarray(tokens).ravel()
    n, vocab = tokens.size, len(probabilities)
    assert tokens.min() >= 0 and tokens.max() < vocab, f"{what}: expected token ids in 0..{vocab - 1}, got {tokens.min()}..{tokens.max()}"
    frequencies = np.bincount(tokens, minlength=vocab) / n
    expected = np.array(probabilities)
    for token in range(vocab):
        if expected[token] == 0 and frequencies[token] > 0:
            raise AssertionError(f"{what}: token {token} should never be drawn, got it in {frequencies[token]:.1%} of {n} draws")
        allowed = SIGMAS * math.sqrt(expected[token] * (1 - expected[token]) / n) + 3 / n
        assert abs(frequencies[token] - expected[token]) <= allowed, (
            f"{what}: expected frequencies {np.round(expected, 3).tolist()}, got {np.round(frequencies, 3).tolist()} over {n} draws"
        )


def _batch_draws(solution, rows, n, seed, temperature=1.0, **per_row_settings):
    """Each row repeated n times in one batched call; returns the draws as (len(rows), n).

    temperature and each setting hold one entry per row (temperature may be a single number); every
    copy of a row gets that row's entry.
    """
    import numpy as np

    def repeated(values):
        copies = [value for value in values for _ in range(n)]
        numeric = all(isinstance(value, (int, float)) for value in values)
        return np.array(copies) if numeric else copies

    logits = np.repeat(np.asarray(rows, dtype=np.float64), n, axis=0)
    settings = {name: repeated(values) for name, values in per_row_settings.items()}
    if not isinstance(temperature, (int, float)):
        temperature = repeated(temperature)
    tokens = np.asarray(solution.sample(logits, temperature, _rng(seed), **settings))
    assert tokens.shape == (len(rows) * n,), f"expected one token per row, shape ({len(rows) * n},), got {tokens.shape}"
    return tokens.reshape(len(rows), n)


def _log(probabilities):
    return [math.log(p) for p in probabilities]


def _expect_value_error(call, what):
    try:
        result = call()
    except ValueError:
        return
    raise AssertionError(f"expected ValueError for {what}, got {result!r}")


# Six tokens, most likely not first, so argmax and ordering bugs show.
LOGITS = [1.0, 3.0, 0.5, 2.0, -1.0, 0.0]


# ---------------------------------------------------------------- gate 1: temperature


@check("temperature", "temperature 0 returns the argmax as an integer, every time")
def zero_temperature_is_argmax(solution):
    import numpy as np

    for logits in (LOGITS, [-5.0, -2.0, -3.0], [0.1, 0.2, 0.7, 0.3]):
        expected = int(np.argmax(logits))
        got = solution.sample(np.array(logits), 0, _rng(1))
        assert isinstance(got, (int, np.integer)), f"expected an integer token id, got {type(got).__name__} {got!r}"
        assert got == expected, f"temperature 0 on {logits}: expected token {expected}, got {got}"


@check("temperature", "1,000 seeded draws at temperature 0.7 match softmax(logits / 0.7) within five standard errors")
def frequencies_match_softmax(solution):
    import numpy as np

    tokens = _draw_many(solution, np.array(LOGITS), 1000, seed=2, temperature=0.7)
    _assert_distribution(tokens, _oracle(LOGITS, 0.7), "temperature 0.7")


@check("temperature", "logits around 1,000 sample without overflow, with the same distribution as logits around 0")
def huge_logits_stay_finite(solution):
    import numpy as np

    logits = [998.5, 1000.0, 990.0, 999.0]
    tokens = _draw_many(solution, np.array(logits), 600, seed=3)
    _assert_distribution(tokens, _oracle(logits), "logits around 1,000")


@check("temperature", "a temperature of 1e-6 behaves like greedy instead of overflowing")
def tiny_temperature_is_greedy(solution):
    import numpy as np

    tokens = _draw_many(solution, np.array([0.5, 2.0, 1.9]), 50, seed=4, temperature=1e-6)
    assert (tokens == 1).all(), f"expected token 1 (the argmax) every time at temperature 1e-6, got {sorted(set(tokens.tolist()))}"


@check("temperature", "randomness comes only from the rng passed in: two generators with the same seed give the same 50 tokens")
def same_seed_same_tokens(solution):
    import numpy as np

    logits = np.array(LOGITS)
    rng = _rng(7)
    first = [int(solution.sample(logits, 1.0, rng)) for _ in range(50)]
    np.random.seed(12345)  # global state must not matter
    rng = _rng(7)
    second = [int(solution.sample(logits, 1.0, rng)) for _ in range(50)]
    assert first == second, f"expected the same tokens from two generators seeded 7, got {first[:10]}... and {second[:10]}..."
    assert len(set(first)) > 1, f"expected varied tokens at temperature 1, got token {first[0]} 50 times"


@check("temperature", "a float32 vocabulary of 100,000 works: a logit far above the rest is drawn every time")
def large_vocabulary(solution):
    import numpy as np

    logits = _rng(8).standard_normal(100_000).astype(np.float32)
    logits[73_519] = 60.0
    tokens = _draw_many(solution, logits, 20, seed=9)
    assert (tokens == 73_519).all(), f"expected token 73519 every time, got {sorted(set(tokens.tolist()))}"


# ---------------------------------------------------------------- gate 2: top-k-top-p


@check("top-k-top-p", "top_k=3 draws only the 3 most likely tokens, in renormalised proportions")
def top_k_keeps_k_most_likely(solution):
    import numpy as np

    tokens = _draw_many(solution, np.array(LOGITS), 600, seed=10, top_k=3)
    _assert_distribution(tokens, _oracle(LOGITS, top_k=3), "top_k=3")


@check("top-k-top-p", "top_k keeps every token tied with the k-th most likely: top_k=2 on [3, 2, 2, 1, 0] keeps three")
def top_k_keeps_ties_at_cutoff(solution):
    import numpy as np

    logits = [3.0, 2.0, 2.0, 1.0, 0.0]
    tokens = _draw_many(solution, np.array(logits), 800, seed=11, top_k=2)
    _assert_distribution(tokens, _oracle(logits, top_k=2), "top_k=2 with a tie at the cutoff")


@check("top-k-top-p", "top_p keeps the token that takes the total past p: probabilities 0.5 and 0.3 both survive top_p=0.75")
def top_p_keeps_crossing_token(solution):
    import numpy as np

    logits = _log([0.05, 0.5, 0.15, 0.3])
    for seed, p in ((12, 0.75), (13, 0.85)):
        tokens = _draw_many(solution, np.array(logits), 600, seed=seed, top_p=p)
        _assert_distribution(tokens, _oracle(logits, top_p=p), f"top_p={p}")


@check("top-k-top-p", "a tiny top_p, or top_k=1, leaves only the most likely token")
def tiny_top_p_and_top_k_one_are_greedy(solution):
    import numpy as np

    for settings in ({"top_p": 1e-9}, {"top_k": 1}):
        tokens = _draw_many(solution, np.array(LOGITS), 50, seed=14, **settings)
        assert (tokens == 1).all(), f"{settings}: expected token 1 (the most likely) every time, got {sorted(set(tokens.tolist()))}"


@check("top-k-top-p", "top_k equal to the vocabulary size with top_p=1.0 gives the plain softmax distribution, rare tokens included")
def no_limit_settings_match_plain(solution):
    import numpy as np

    # Temperature 2 flattens the distribution so that even the least likely token is common enough to miss.
    tokens = _draw_many(solution, np.array(LOGITS), 1000, seed=15, temperature=2.0, top_k=len(LOGITS), top_p=1.0)
    _assert_distribution(tokens, _oracle(LOGITS, 2.0), "temperature 2, top_k=6, top_p=1.0")


@check("top-k-top-p", "top_k comes first, then top_p on what is left, renormalised: [0.4, 0.3, 0.2, 0.1] with top_k=2, top_p=0.5 keeps one token")
def top_k_applies_before_top_p(solution):
    import numpy as np

    logits = _log([0.4, 0.3, 0.2, 0.1])
    tokens = _draw_many(solution, np.array(logits), 300, seed=16, top_k=2, top_p=0.5)
    _assert_distribution(tokens, _oracle(logits, top_k=2, top_p=0.5), "top_k=2 then top_p=0.5")


# ---------------------------------------------------------------- gate 3: batched


BATCH_ROWS = [LOGITS, [0.0, -1.0, 2.5, 1.5, 2.0, 0.5], [2.0, 1.0, 0.0, -1.0, 3.0, 1.0]]


@check("batched", "(batch, vocab) logits give an integer array of shape (batch,), one id per row, each in range")
def one_id_per_row(solution):
    import numpy as np

    logits = _rng(17).standard_normal((4, 50))
    tokens = np.asarray(solution.sample(logits, 1.0, _rng(18)))
    assert tokens.shape == (4,), f"expected shape (4,) for 4 rows, got {tokens.shape}"
    assert np.issubdtype(tokens.dtype, np.integer), f"expected an integer array, got dtype {tokens.dtype}"
    assert ((tokens >= 0) & (tokens < 50)).all(), f"expected ids in 0..49, got {tokens.tolist()}"
    greedy = np.asarray(solution.sample(logits, 0, _rng(18)))
    assert greedy.tolist() == np.argmax(logits, axis=1).tolist(), f"expected each row's argmax at temperature 0, got {greedy.tolist()}"


@check("batched", "a per-row temperature of shape (batch,): rows at 0 are greedy, the others follow their own temperature")
def per_row_temperature(solution):
    temperatures = [0.0, 1.0, 0.5]
    draws = _batch_draws(solution, BATCH_ROWS, 1500, seed=19, temperature=temperatures)
    for row, temperature in enumerate(temperatures):
        _assert_distribution(draws[row], _oracle(BATCH_ROWS[row], temperature), f"row {row} at temperature {temperature}")


@check("batched", "per-row top_k of [1, 3, 0]: each row keeps its own number of tokens, and 0 means no limit")
def per_row_top_k(solution):
    top_ks = [1, 3, 0]
    draws = _batch_draws(solution, BATCH_ROWS, 1500, seed=20, top_k=top_ks)
    for row, k in enumerate(top_ks):
        _assert_distribution(draws[row], _oracle(BATCH_ROWS[row], top_k=k), f"row {row} with top_k={k}")


@check("batched", "per-row top_p of [1e-9, 0.75, 1.0]: each row keeps its own nucleus, and 1.0 means no limit")
def per_row_top_p(solution):
    top_ps = [1e-9, 0.75, 1.0]
    draws = _batch_draws(solution, BATCH_ROWS, 1500, seed=21, top_p=top_ps)
    for row, p in enumerate(top_ps):
        _assert_distribution(draws[row], _oracle(BATCH_ROWS[row], top_p=p), f"row {row} with top_p={p}")


@check("batched", "all settings per row at once: each row's draws match the single-row distribution for its settings")
def each_row_matches_its_own_distribution(solution):
    settings = {"temperature": [0.5, 1.5, 1.0], "top_k": [0, 4, 2], "top_p": [0.9, 1.0, 0.8]}
    draws = _batch_draws(solution, BATCH_ROWS, 1500, seed=22, **settings)
    for row in range(3):
        mine = {name: values[row] for name, values in settings.items()}
        _assert_distribution(draws[row], _oracle(BATCH_ROWS[row], **mine), f"row {row} with {mine}")


@check("batched", "32 rows over a 20,000-token vocabulary with per-row top_k from 1 to 32: every id is inside its row's top_k")
def large_batch_stays_in_top_k(solution):
    import numpy as np

    logits = _rng(23).standard_normal((32, 20_000)).astype(np.float32)
    top_ks = np.arange(1, 33)
    tokens = np.asarray(solution.sample(logits, 1.0, _rng(24), top_k=top_ks))
    assert tokens.shape == (32,), f"expected shape (32,), got {tokens.shape}"
    rank = (logits > logits[np.arange(32), tokens][:, None]).sum(axis=1)  # how many tokens beat the drawn one
    outside = np.flatnonzero(rank >= top_ks)
    assert outside.size == 0, (
        f"row {outside[0]} has top_k={top_ks[outside[0]]} but drew a token ranked {rank[outside[0]] + 1}"
    )


# ---------------------------------------------------------------- gate 4: penalties


@check("penalties", "a row whose logits are all -inf raises ValueError instead of returning a token")
def all_negative_infinity_row_raises(solution):
    import numpy as np

    _expect_value_error(lambda: solution.sample(np.full(5, -np.inf), 1.0, _rng(25)), "1-D logits that are all -inf")
    logits = np.zeros((3, 5))
    logits[1] = -np.inf
    _expect_value_error(lambda: solution.sample(logits, 1.0, _rng(25)), "a batch whose row 1 is all -inf")
    _expect_value_error(
        lambda: solution.sample(np.zeros(3), 1.0, _rng(25), logit_bias={0: -np.inf, 1: -np.inf, 2: -np.inf}),
        "a logit_bias that bans every token",
    )


@check("penalties", "repetition_penalty divides positive logits and multiplies negative ones of generated tokens")
def repetition_penalty_divides_positive_multiplies_negative(solution):
    import numpy as np

    for logits, expected in (([3.0, 2.0], 1), ([-1.0, -1.5], 1)):
        got = solution.sample(np.array(logits), 0, _rng(26), generated=[0], repetition_penalty=2.0)
        assert got == expected, f"logits {logits} with token 0 generated and penalty 2: expected greedy token {expected}, got {got}"
    logits = [2.0, -1.0, 0.5, 1.0]
    draws = _batch_draws(solution, [logits], 3000, seed=27, generated=[[0, 1]], repetition_penalty=[2.0])
    _assert_distribution(draws[0], _oracle(logits, generated=[0, 1], penalty=2.0), "penalty 2 on tokens 0 and 1")


@check("penalties", "a token generated several times is penalised once, not once per occurrence")
def penalty_applies_once_per_token(solution):
    import numpy as np

    got = solution.sample(np.array([3.0, 2.0]), 0, _rng(28), generated=[0, 0, 0, 0], repetition_penalty=1.4)
    assert got == 0, "logits [3, 2], token 0 generated 4 times, penalty 1.4: expected token 0 (3 / 1.4 = 2.14 > 2), got token 1"


@check("penalties", "logit_bias adds its values by token id, and the caller's logits array is left unchanged")
def logit_bias_added_by_index(solution):
    import numpy as np

    logits = np.array([1.0, 0.0, 0.5])
    got = solution.sample(logits, 0, _rng(29), logit_bias={1: 2.0}, generated=[0], repetition_penalty=3.0)
    assert got == 1, f"logits [1, 0, 0.5], token 0 penalised by 3, bias {{1: 2.0}}: expected greedy token 1, got {got}"
    assert logits.tolist() == [1.0, 0.0, 0.5], f"expected the caller's logits unchanged, got {logits.tolist()}"
    rows = [LOGITS]
    draws = _batch_draws(solution, rows, 3000, seed=30, logit_bias=[{0: 2.5, 3: -1.0}])
    _assert_distribution(draws[0], _oracle(LOGITS, bias={0: 2.5, 3: -1.0}), "logit_bias {0: 2.5, 3: -1.0}")


@check("penalties", "tokens banned with -inf bias are never drawn, sampled or greedy")
def banned_tokens_never_drawn(solution):
    import numpy as np

    logits = _rng(31).standard_normal(20)
    banned = {int(t): -np.inf for t in np.argsort(-logits)[:3]}
    draws = _batch_draws(solution, [logits], 3000, seed=32, temperature=2.0, logit_bias=[banned])
    hits = sorted(set(draws[0].tolist()) & set(banned))
    assert not hits, f"expected banned tokens {sorted(banned)} never to be drawn, got {hits}"
    got = solution.sample(logits, 0, _rng(33), logit_bias=banned)
    expected = int(np.argsort(-logits)[3])
    assert got == expected, f"expected greedy to pick the best unbanned token {expected}, got {got}"


@check("penalties", "in a batch each row uses its own generated ids and bias")
def penalties_are_per_row(solution):
    import numpy as np

    logits = np.array([[3.0, 2.0, 0.0], [3.0, 2.0, 0.0], [3.0, 2.0, 0.0]])
    got = np.asarray(
        solution.sample(logits, 0, _rng(34), generated=[[0], [], []], repetition_penalty=2.0, logit_bias=[{}, {2: 5.0}, {}])
    )
    assert got.tolist() == [1, 2, 0], f"expected greedy tokens [1, 2, 0] (penalised, biased, untouched), got {got.tolist()}"
