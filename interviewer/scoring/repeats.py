"""Which sentences say again what was already said: the same verdict as comparing each new sentence
with every earlier one (content-word overlap of at least REPEAT), found through an inverted index so
scoring stays linear in the length of the session.

Why the index finds every match: an earlier sentence B overlapping sentence A by at least t shares at
least t*|A| of A's words (|A & B| >= t*|A | B| >= t*|A|), so it lacks at most |A| - t*|A| of them and
must contain one of any |A| - t*|A| + 1 of A's words. Looking up only that many of A's words, the
rarest so far, finds every candidate B; each candidate is then checked exactly.
"""

from __future__ import annotations

import math

from ..understanding.signals import overlap

REPEAT = 0.7  # content-word overlap at which a sentence says again what an earlier one said


class Said:
    """The content-word fingerprints said so far (for one signal), indexed by word."""

    def __init__(self, threshold: float = REPEAT) -> None:
        self.threshold = threshold
        self.keys: list[frozenset[str]] = []
        self.by_word: dict[str, list[int]] = {}

    def repeats(self, key: frozenset[str]) -> bool:
        """True when `key` is empty or overlaps an earlier fingerprint by at least the threshold."""
        if not key:
            return True
        # Shared words needed, rounded down with a margin so float rounding can never skip a match.
        shared = max(0, math.floor(self.threshold * len(key) - 1e-9))
        probes = sorted(key, key=lambda w: len(self.by_word.get(w, ())))[:len(key) - shared + 1]
        checked: set[int] = set()
        for word in probes:
            for i in self.by_word.get(word, ()):
                if i not in checked:
                    checked.add(i)
                    if overlap(key, self.keys[i]) >= self.threshold:
                        return True
        return False

    def add(self, key: frozenset[str]) -> None:
        index = len(self.keys)
        self.keys.append(key)
        for word in key:
            self.by_word.setdefault(word, []).append(index)
