"""The repeat index gives exactly the verdicts of comparing each sentence with every earlier one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from interviewer.scoring.repeats import REPEAT, Said
from interviewer.understanding.signals import overlap

WORDS = st.sampled_from([f"w{i}" for i in range(12)])  # few words: overlaps near the threshold are common
KEYS = st.lists(st.frozensets(WORDS, max_size=9), max_size=40)


def brute_force(keys: list[frozenset[str]]) -> list[bool]:
    earlier: list[frozenset[str]] = []
    verdicts = []
    for key in keys:
        repeat = not key or any(overlap(key, other) >= REPEAT for other in earlier)
        verdicts.append(repeat)
        if not repeat:
            earlier.append(key)
    return verdicts


def indexed(keys: list[frozenset[str]]) -> list[bool]:
    said = Said()
    verdicts = []
    for key in keys:
        repeat = said.repeats(key)
        verdicts.append(repeat)
        if not repeat:
            said.add(key)
    return verdicts


@settings(max_examples=400, deadline=None)
@given(KEYS)
def test_index_agrees_with_comparing_every_pair(keys):
    assert indexed(keys) == brute_force(keys)


def test_thresholds_at_the_boundary():
    said = Said()
    said.add(frozenset("abcdefghij"))  # ten words
    assert said.repeats(frozenset("abcdefg"))  # 7 of 10: exactly the threshold
    assert not said.repeats(frozenset("abcdef"))  # 6 of 10
    assert said.repeats(frozenset())  # nothing said is never new
