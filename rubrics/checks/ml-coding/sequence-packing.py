"""Hidden checks for the ML coding round's sequence-packing problem.

Every expected value comes from an oracle written here in plain Python, token by token, so it shares no
vectorised shortcut with the candidate's code. Documents come from seeded generators, so every run sees
the same data. numpy is imported inside the functions because the app lists these checks in its own
process, where numpy is not otherwise loaded.
"""

from __future__ import annotations

import json

from interviewer.workbench.spec import check

EOS, PAD = 1, 0
# Worked by hand: the stream is 5 6 7 EOS 8 EOS 9 10 EOS, cut every 4 tokens.
SMALL_DOCS = [[5, 6, 7], [8], [9, 10]]
SMALL_ROWS = [[5, 6, 7, 1], [8, 1, 9, 10], [1, 0, 0, 0]]


# ---------------------------------------------------------------- oracles and shared checks code


def _docs(seed, count, longest, shortest=0):
    """count documents of shortest..longest tokens, ids from 2 up (0 is padding and 1 is EOS)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    return [[int(t) for t in rng.integers(2, 1000, int(rng.integers(shortest, longest + 1)))] for _ in range(count)]


def _oracle_pack(docs, seq_len):
    stream = []
    for doc in docs:
        if len(doc):
            stream.extend(int(t) for t in doc)
            stream.append(EOS)
    rows = [stream[i : i + seq_len] for i in range(0, len(stream), seq_len)]
    if rows:
        rows[-1] = rows[-1] + [PAD] * (seq_len - len(rows[-1]))
    return rows


def _oracle_segments(row):
    """For each position, (segment number, position in segment) walking the row; padding is (None, 0)."""
    out, segment, position = [], 0, 0
    for index, token in enumerate(row):
        if index == 0 or row[index - 1] == EOS:
            segment, position = segment + 1, 0
        out.append((None, 0) if token == PAD else (segment, position))
        position += 1
    return out


def _oracle_positions(rows):
    return [[position for _, position in _oracle_segments(row)] for row in rows]


def _oracle_attention(rows):
    masks = []
    for row in rows:
        segments = _oracle_segments(row)
        mask = []
        for i, (segment_i, _) in enumerate(segments):
            if segment_i is None:
                mask.append([j == i for j in range(len(row))])
            else:
                mask.append([j <= i and segments[j][0] == segment_i for j in range(len(row))])
        masks.append(mask)
    return masks


def _oracle_loss(rows):
    return [[t + 1 < len(row) and row[t] not in (EOS, PAD) and row[t + 1] != PAD for t in range(len(row))]
            for row in rows]


def _array(result, what, shape, kind):
    """The result as an array of the given shape and dtype kind ('i' for integers, 'b' for booleans)."""
    import numpy as np

    assert isinstance(result, np.ndarray), f"{what}: expected a numpy array, got {type(result).__name__}"
    assert result.shape == tuple(shape), f"{what}: expected shape {tuple(shape)}, got {result.shape}"
    if kind == "i":
        assert result.dtype == np.int64, f"{what}: expected dtype int64, got {result.dtype}"
    else:
        assert result.dtype == np.bool_, f"{what}: expected dtype bool, got {result.dtype}"
    return result


def _assert_equal(got, expected, what):
    import numpy as np

    expected = np.asarray(expected)
    if got.shape != expected.shape:
        raise AssertionError(f"{what}: expected shape {expected.shape}, got {got.shape}")
    wrong = np.argwhere(got != expected)
    if wrong.size:
        first = tuple(int(i) for i in wrong[0])
        raise AssertionError(f"{what}: {len(wrong)} entries differ; first at {first}, expected {expected[first]}, "
                             f"got {got[first]}")


def _packed(solution, docs, seq_len):
    """pack run on copies of docs, so code that appends to them can't change what the oracle or a later
    check sees; the result checked for type, shape and dtype and compared with the oracle."""
    import numpy as np

    expected = _oracle_pack(docs, seq_len)
    copies = [doc.copy() if isinstance(doc, np.ndarray) else list(doc) for doc in docs]
    rows = _array(solution.pack(copies, seq_len, EOS, PAD), f"pack(..., seq_len={seq_len})", (len(expected), seq_len), "i")
    _assert_equal(rows, np.array(expected, dtype=np.int64).reshape(-1, seq_len), f"pack of {len(docs)} documents in rows of {seq_len}")
    return rows


# ---------------------------------------------------------------- gate 1: greedy-pack


@check("greedy-pack", "a tiny example worked by hand: [[5, 6, 7], [8], [9, 10]] in rows of 4 with EOS 1 and padding 0")
def hand_worked_pack(solution):
    _assert_equal(_packed(solution, SMALL_DOCS, 4), SMALL_ROWS, "pack([[5, 6, 7], [8], [9, 10]], 4, eos_id=1, pad_id=0)")


@check("greedy-pack", "500 documents of 0 to 300 tokens in rows of 128 match joining them with EOS and cutting every 128 tokens")
def random_documents_match(solution):
    _packed(solution, _docs(1, 500, 300), 128)


@check("greedy-pack", "no documents, or only empty ones, give shape (0, seq_len); empty documents add no EOS")
def empty_input_and_empty_documents(solution):
    for docs in ([], [[], []]):
        _packed(solution, docs, 8)
    _assert_equal(_packed(solution, [[], [4, 4], [], [], [3]], 3), [[4, 4, 1], [3, 1, 0]], "pack([[], [4, 4], [], [], [3]], 3, ...)")


@check("greedy-pack", "a stream that fills its last row exactly gets no extra row of padding")
def exact_fit_has_no_padding_row(solution):
    _assert_equal(_packed(solution, [[2, 3, 4], [5, 6, 7]], 4), [[2, 3, 4, 1], [5, 6, 7, 1]], "pack([[2, 3, 4], [5, 6, 7]], 4, ...)")


@check("greedy-pack", "a 100,000-token document spans many rows, and documents given as numpy arrays pack the same as lists")
def long_documents_and_arrays(solution):
    import numpy as np

    docs = _docs(2, 3, 20, shortest=1) + _docs(3, 1, 100_000, shortest=100_000) + _docs(4, 3, 20, shortest=1)
    _packed(solution, docs, 512)
    _packed(solution, [np.array(doc, dtype=np.int64) for doc in SMALL_DOCS], 4)


@check("greedy-pack", "the caller's documents are left unchanged (no EOS appended to their lists)")
def documents_left_unchanged(solution):
    docs = [list(doc) for doc in SMALL_DOCS]
    solution.pack(docs, 4, EOS, PAD)
    assert docs == SMALL_DOCS, f"expected the documents passed in to stay {SMALL_DOCS}, got {docs}"


# ---------------------------------------------------------------- gate 2: positions


def _positions(solution, rows):
    import numpy as np

    rows = np.asarray(rows, dtype=np.int64)
    before = rows.copy()
    got = _array(solution.position_ids(rows, EOS, PAD), "position_ids", rows.shape, "i")
    assert np.array_equal(rows, before), "position_ids changed the tokens array it was given"
    return got


@check("positions", "the hand-worked rows get positions [[0, 1, 2, 3], [0, 1, 0, 1], [0, 0, 0, 0]]")
def hand_worked_positions(solution):
    _assert_equal(_positions(solution, SMALL_ROWS), [[0, 1, 2, 3], [0, 1, 0, 1], [0, 0, 0, 0]],
                  "position_ids of the rows of [[5, 6, 7], [8], [9, 10]]")


@check("positions", "positions restart after every EOS and at every row start, and padding is 0, on 400 packed documents")
def positions_match_oracle(solution):
    docs = _docs(5, 400, 90)
    rows = _oracle_pack(docs, 64)
    _assert_equal(_positions(solution, rows), _oracle_positions(rows), "position_ids of 400 documents in rows of 64")


@check("positions", "a row that is one long document counts 0 to seq_len - 1; an EOS in the last column leaves the next row at 0")
def long_row_and_eos_at_the_edge(solution):
    rows = [list(range(2, 10)), [2, 3, 4, 5, 6, 7, 8, 1], [9, 9, 1, 0, 0, 0, 0, 0]]
    _assert_equal(_positions(solution, rows), [list(range(8)), list(range(8)), [0, 1, 2, 0, 0, 0, 0, 0]],
                  "position_ids of a full row, a row ending in EOS, and a padded row")


@check("positions", "a batch of 64 rows of 8,192 tokens returns correct positions (no per-token Python work needed)")
def full_size_batch(solution):
    docs = _docs(6, 1500, 700)
    rows = _oracle_pack(docs, 8192)[:64]
    _assert_equal(_positions(solution, rows), _oracle_positions(rows), "position_ids of 64 rows of 8,192")


# ---------------------------------------------------------------- gate 3: doc-masks


def _masks(solution, rows):
    import numpy as np

    rows = np.asarray(rows, dtype=np.int64)
    n, seq_len = rows.shape
    attention = _array(solution.attention_mask(rows, EOS, PAD), "attention_mask", (n, seq_len, seq_len), "b")
    loss = _array(solution.loss_mask(rows, EOS, PAD), "loss_mask", (n, seq_len), "b")
    return attention, loss


@check("doc-masks", "the hand-worked rows: block-diagonal causal attention per document, and the loss mask [[1, 1, 1, 0], [1, 0, 1, 0], [0, 0, 0, 0]]")
def hand_worked_masks(solution):
    attention, loss = _masks(solution, SMALL_ROWS)
    _assert_equal(attention, _oracle_attention(SMALL_ROWS), "attention_mask of the rows of [[5, 6, 7], [8], [9, 10]]")
    _assert_equal(loss, [[True, True, True, False], [True, False, True, False], [False] * 4],
                  "loss_mask of the rows of [[5, 6, 7], [8], [9, 10]]")


@check("doc-masks", "on 300 packed documents, a query sees exactly the earlier keys of its own document, itself included")
def attention_mask_matches_oracle(solution):
    docs = _docs(7, 300, 40)
    rows = _oracle_pack(docs, 48)
    attention, _ = _masks(solution, rows)
    _assert_equal(attention, _oracle_attention(rows), "attention_mask of 300 documents in rows of 48")


@check("doc-masks", "no query's row of the mask is empty: padding sees itself only, and no real token sees padding")
def padding_sees_only_itself(solution):
    import numpy as np

    rows = _oracle_pack([[4, 5], [6, 7, 8]], 10)
    attention, _ = _masks(solution, rows)
    assert attention.any(axis=-1).all(), "a query row of attention_mask has no allowed key; softmax over it gives NaN"
    pad = np.asarray(rows) == PAD
    assert not (attention & pad[:, None, :] & ~np.eye(10, dtype=bool)).any(), "some query may attend to a padding key"
    _assert_equal(attention, _oracle_attention(rows), "attention_mask of a padded row")


@check("doc-masks", "attention through the mask: changing one document's values leaves every other document's output unchanged")
def documents_do_not_leak(solution):
    import numpy as np

    rows = np.asarray(_oracle_pack(_docs(8, 12, 9, shortest=2), 16), dtype=np.int64)
    attention, _ = _masks(solution, rows)
    rng = np.random.default_rng(9)
    scores = rng.standard_normal(attention.shape)
    values = rng.standard_normal(rows.shape + (3,))

    def attend(v):
        weights = np.exp(np.where(attention, scores, -np.inf))
        weights /= weights.sum(axis=-1, keepdims=True)
        return weights @ v

    segments = np.cumsum(np.concatenate([np.ones((rows.shape[0], 1), bool), rows[:, :-1] == EOS], axis=1), axis=1)
    changed = values.copy()
    target = (segments == 2) & (rows != PAD)
    changed[target] += 5.0
    outside = ~target & (rows != PAD)
    difference = np.abs(attend(changed) - attend(values))[outside].max()
    assert difference < 1e-12, f"changing the second document of each row moved other documents' outputs by {difference:.3g}"


@check("doc-masks", "the loss mask counts a prediction only when the next token is real and in the same document, on 300 documents")
def loss_mask_matches_oracle(solution):
    docs = _docs(10, 300, 40)
    rows = _oracle_pack(docs, 48)
    _, loss = _masks(solution, rows)
    _assert_equal(loss, _oracle_loss(rows), "loss_mask of 300 documents in rows of 48")


# ---------------------------------------------------------------- gate 4: streaming


class _Source:
    """An iterator over documents that counts how many have been pulled from it."""

    def __init__(self, docs, forever=False):
        self.docs, self.forever, self.pulled = docs, forever, 0

    def __iter__(self):
        return self

    def __next__(self):
        if not self.forever and self.pulled >= len(self.docs):
            raise StopIteration
        doc = self.docs[self.pulled % len(self.docs)]
        self.pulled += 1
        return list(doc)


def _rows_of(stream, count=None):
    import numpy as np

    rows = []
    for row in stream:
        assert isinstance(row, np.ndarray) and row.dtype == np.int64 and row.ndim == 1, (
            f"expected each row as a 1-D int64 array, got {type(row).__name__} "
            f"{getattr(row, 'dtype', '')} {getattr(row, 'shape', '')}"
        )
        rows.append(row.tolist())
        if count is not None and len(rows) == count:
            break
    return rows


def _state(stream):
    state = stream.state()
    text = json.dumps(state)  # raises TypeError when the state is not plain JSON
    assert len(text) <= 300, f"expected a small state (no token ids), got {len(text)} characters of JSON"
    return json.loads(text)


@check("streaming", "PackedStream yields the same rows as pack, one int64 array of seq_len at a time, last row padded")
def stream_matches_pack(solution):
    docs = _docs(11, 200, 70)
    rows = _rows_of(solution.PackedStream(_Source(docs), 32, EOS, PAD))
    expected = _oracle_pack(docs, 32)
    assert len(rows) == len(expected), f"expected {len(expected)} rows, got {len(rows)}"
    _assert_equal(__import__("numpy").array(rows), expected, "rows of PackedStream over 200 documents")


@check("streaming", "documents are pulled only as rows need them, and an endless iterator of documents still yields rows")
def pulls_lazily(solution):
    docs = _docs(12, 50, 30, shortest=1)
    source = _Source(docs, forever=True)
    stream = solution.PackedStream(source, 16, EOS, PAD)
    rows = _rows_of(stream, count=5)
    assert len(rows) == 5, f"expected 5 rows from an endless iterator, got {len(rows)}"
    used, needed = 0, 0
    while used < 5 * 16:  # how many documents the first 80 tokens of the stream come from
        used += len(docs[needed % len(docs)]) + 1
        needed += 1
    assert source.pulled <= needed + 1, (
        f"5 rows of 16 tokens use {needed} documents, but {source.pulled} were pulled from the iterator"
    )


@check("streaming", "resuming from state() at every row boundary, with a fresh iterator, yields exactly the rows that were left")
def resumes_at_every_row(solution):
    docs = _docs(13, 40, 25)
    expected = _oracle_pack(docs, 12)
    for cut in range(len(expected) + 1):
        first = solution.PackedStream(_Source(docs), 12, EOS, PAD)
        head = _rows_of(first, count=cut) if cut else []
        state = _state(first)
        tail = _rows_of(solution.PackedStream(_Source(docs), 12, EOS, PAD, state=state))
        assert head + tail == expected, (
            f"after {cut} rows and a resume, expected {len(expected)} rows matching pack in total, "
            f"got {len(head)} + {len(tail)}" + ("" if len(head) + len(tail) != len(expected) else " with different tokens")
        )


@check("streaming", "a 100,000-token document cut mid-way resumes exactly, and the saved state stays small JSON")
def resumes_inside_a_long_document(solution):
    docs = _docs(14, 2, 10, shortest=3) + _docs(15, 1, 100_000, shortest=100_000) + _docs(16, 2, 10, shortest=3)
    expected = _oracle_pack(docs, 1000)
    first = solution.PackedStream(_Source(docs), 1000, EOS, PAD)
    head = _rows_of(first, count=37)
    state = _state(first)
    tail = _rows_of(solution.PackedStream(_Source(docs), 1000, EOS, PAD, state=state))
    assert head + tail == expected, f"expected the resumed rows to continue the 100,000-token document exactly"


@check("streaming", "resuming with a different seq_len raises ValueError instead of silently repacking")
def resume_rejects_another_seq_len(solution):
    docs = _docs(17, 20, 20)
    first = solution.PackedStream(_Source(docs), 16, EOS, PAD)
    _rows_of(first, count=3)
    state = _state(first)
    try:
        solution.PackedStream(_Source(docs), 32, EOS, PAD, state=state)
    except ValueError:
        return
    raise AssertionError("expected ValueError when a state saved with seq_len 16 is resumed with seq_len 32")
