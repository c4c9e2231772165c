"""How close a transcript is to what was said: word error rate and key-term recall.

Both sides are normalised the same way first, so spelling choices the recogniser makes freely
("200" or "two hundred", "P-95" or "p95", "WebSocket" or "web socket") are not counted as errors.
"""

from __future__ import annotations

import re

_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")


def normalize(text: str) -> list[str]:
    """Lower-case words with punctuation dropped, letters split from digits and number words
    turned into digits."""
    text = text.lower().replace("%", " percent ").replace("&", " and ")
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)  # 10,000 -> 10000
    text = _LETTER_DIGIT.sub(" ", text)
    return _numbers_to_digits(_TOKEN.findall(text))


def _numbers_to_digits(words: list[str]) -> list[str]:
    out: list[str] = []
    total = current = 0
    in_number = False
    for word in words + [""]:
        if word in _UNITS or word in _TENS or word in _SCALES:
            in_number = True
            if word in _UNITS:
                current += _UNITS[word]
            elif word in _TENS:
                current += _TENS[word]
            elif word == "hundred":
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * _SCALES[word]
                current = 0
            continue
        if in_number:
            out.append(str(total + current))
            total = current = 0
            in_number = False
        if word:
            out.append(word)
    return out


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / words in the reference."""
    ref, hyp = normalize(reference), normalize(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        row = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (r != h))
        previous = row
    return previous[-1] / len(ref)


def term_found(term: str, hypothesis: str) -> bool:
    """The term appears as whole words, or written as one word ("web socket" for "WebSocket")."""
    want = normalize(term)
    if not want:
        return False
    words = normalize(hypothesis)
    joined_want = "".join(want)
    for i in range(len(words)):
        if words[i:i + len(want)] == want:
            return True
        for span in range(1, 4):
            if "".join(words[i:i + span]) == joined_want:
                return True
    return False


def term_recall(terms: list[str], hypothesis: str) -> float:
    """Share of the key terms the transcript got right."""
    if not terms:
        return 1.0
    return sum(term_found(t, hypothesis) for t in terms) / len(terms)
