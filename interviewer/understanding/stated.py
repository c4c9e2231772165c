"""Figures the interviewer has stated, and a candidate who restates one with another figure.

The interviewer gives the problem's facts ("about 100,000 employees", "about 50 questions per second at
peak"); a candidate who then plans for "fifty thousand employees" has misheard, and a real interviewer
says so before the design is built on it. A figure is a number with the noun it counts (and the rate it
is per, if any); a candidate's figure restates one when it counts the same noun at the same rate with no
narrower subject ("active", "per region", "top 5"). It contradicts it when it is off by half or more
from every figure said for that noun. A figure chosen on purpose ("I'll size for 150 a second, 3x
headroom", "at 10x") is a choice, not a slip, and anything ambiguous is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .claims import NUMBER, Contradiction, number_value

# A number, then up to three words that end in the noun it counts, then an optional rate.
_FIGURE = re.compile(
    rf"(?<![\w.$-]){NUMBER}\s+((?:[a-z][a-z-]*\s+){{0,2}}?[a-z][a-z-]*s)\b"
    r"(?:\s+(?:per|a|an|each|every)\s+(second|sec|minute|min|hour|day|week|month|year))?"
)
_PER_SECOND = {"second": 1.0, "sec": 1.0, "minute": 60.0, "min": 60.0, "hour": 3600.0, "day": 86400.0,
               "week": 604800.0, "month": 2592000.0, "year": 31536000.0}
_RANGE_START = re.compile(rf"{NUMBER}\s*(?:-|–|to)\s*$")
# Words that make a figure about part of the whole, or another kind of count, than the one stated.
_NARROWER = frozenset("active concurrent new unique simultaneous online returning paying top first last "
                      "more fewer extra additional other different".split())
_SCOPED_AFTER = re.compile(r"^\s*(?:per|in (?:the|one|each|a|every)|of (?:them|those|these)|at (?:once|a time)|"
                           r"for (?:each|every|one)|on (?:each|one|every)|out of)\b")
_FUNCTION = frozenset("of the a an to in for with and or per from on at by that which our their my we these those its "
                      "his her your this is are was were be".split())
_SCOPED_BEFORE = re.compile(r"\b(?:top|first|last|best|next|up to|at most|only|another|extra|additional|per|each|"
                            r"every|under|over|fewer than|more than|than)\s+$")
# A figure chosen rather than misheard: headroom, growth, a drill's multiple, a what-if.
_CHOSEN = re.compile(r"\b(?:headroom|buffer|margin|safety factor|to be safe|grow|growth|future|next year|in a year|"
                     r"by then|worst case|\d+\s*x\b|\d+x|times (?:the|that|our)|double|triple|tenfold|what if|suppose|"
                     r"imagine|round(?:ed|ing)? (?:up|down)|size (?:it |us )?for|plan (?:it |us )?for \w+ (?:more|extra)|"
                     r"instead of|rather than|not \d|if (?:it|we|traffic|load|usage|that))\b")
_PER_ONE = re.compile(r"^(?:a|an|each|every|one|per)\s+[a-z-]+\b")
# Off by this factor or more, up or down, from every figure stated for the noun.
OFF_BY = 1.5


@dataclass(frozen=True)
class Figure:
    value: float  # per second when it has a rate; the top of a range ("20 to 60 answers an hour")
    noun: str  # singular stem of the counted noun
    modifiers: frozenset[str]
    rate: bool
    low: float = 0.0  # the bottom of a range, per second like `value`; 0 when the figure is one number

    def near(self, value: float) -> bool:
        """Whether `value` says this figure (within OFF_BY of it, or of anywhere in its range)."""
        low = self.low or self.value
        return low / OFF_BY < value < self.value * OFF_BY


def figures(text: str) -> list[Figure]:
    """Every counted figure in `text` (lower-cased)."""
    found = []
    for match in _FIGURE.finditer(text):
        value = number_value(match.group(1), match.group(2))
        words = match.group(3).split()
        if set(words[:-1]) & _FUNCTION or _SCOPED_BEFORE.search(text[max(0, match.start() - 24):match.start()]):
            continue  # "one of the documents", "the top 5 documents": not a count of the whole
        noun = _singular(words[-1])
        rate = match.group(4)
        per = _PER_SECOND[rate] if rate else 1.0
        start = _RANGE_START.search(text[max(0, match.start() - 24):match.start()])
        low = number_value(start.group(1), start.group(2)) / per if start else 0.0
        found.append(Figure(value / per, noun, frozenset(words[:-1]), bool(rate), low))
    return found


def _singular(word: str) -> str:
    return word[:-3] + "y" if word.endswith("ies") else word[:-1] if word.endswith("s") else word


def misstated(sentence: str, start: int, stated: str) -> list[Contradiction]:
    """The figures of `sentence` that restate a figure of `stated` (what the interviewer said) with another value:
    one contradiction per noun, quoting the stated sentence that holds the figure."""
    low = sentence.lower()
    if _CHOSEN.search(low):
        return []
    said = _said(stated)
    if not said:
        return []
    found: dict[str, Contradiction] = {}
    for match in _FIGURE.finditer(low):
        if _SCOPED_AFTER.search(low[match.end():]):
            continue
        mine = figures(match.group(0))
        if not mine:
            continue
        figure = mine[0]
        if figure.modifiers & _NARROWER:
            continue
        same = [f for f in said if f.noun == figure.noun and f.rate == figure.rate]
        if not same or figure.value <= 0 or any(f.near(figure.value) for f in same):
            continue
        if any(s.near(f.value) for f in figures(low) for s in same if f.noun == figure.noun):
            continue  # the stated figure is said too: the other one is a choice beside it
        found.setdefault(figure.noun, Contradiction(f"stated-{figure.noun}", _stated_sentence(stated, figure.noun),
                                                    sentence, start, start + len(sentence)))
    return list(found.values())


@lru_cache(maxsize=8)
def _said(stated: str) -> tuple[Figure, ...]:
    """The figures of what the interviewer stated, read once per reply heard (an answer is read sentence by sentence
    against the same text). A figure about one of something ("A rater grades roughly 20 to 60 answers an hour") is
    not the total a candidate works out from it ("50 raters at 40 an hour is 2,000 answers an hour")."""
    return tuple(f for sentence in _sentences(stated) if not _PER_ONE.match(sentence.lower())
                 for f in figures(sentence.lower()))


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+", text.strip())


def _stated_sentence(stated: str, noun: str) -> str:
    """The sentence of what was stated that gives the figure for `noun`, as the interviewer said it."""
    for sentence in _sentences(stated):
        if any(f.noun == noun for f in figures(sentence.lower())):
            return sentence.strip()
    return stated.strip()
