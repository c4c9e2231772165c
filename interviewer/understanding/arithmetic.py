"""Figures a candidate derives, checked by working them out: the error bar on a pass rate measured over n
items, what losing a cache does to the reads behind it, and a reduction of more than 100%.

A reference fact holds a claim to a fixed range; these hold it to arithmetic on the candidate's own inputs
("at 80% on 500 items the error bar is a tenth of a point": 1.96 x sqrt(0.8 x 0.2 / 500) is 3.5 points).
Only a figure more than twice off is challenged, and only when every input is in the answer itself: a
wrong challenge costs more trust than a missed one.
"""

from __future__ import annotations

import math
import re

from .claims import Contradiction

_FRACTIONS = {"a tenth of a": 0.1, "one tenth of a": 0.1, "a fifth of a": 0.2, "a quarter of a": 0.25, "half a": 0.5,
              "half of a": 0.5, "a third of a": 1 / 3}
_SPOKEN = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
           "twenty": 20, "fifty": 50, "a hundred": 100, "hundred": 100}
_NUM = r"(\d+(?:,\d{3})*(?:\.\d+)?|" + "|".join(sorted(_SPOKEN, key=len, reverse=True)) + r")"

# -------------------------------------------------------------- error bars
_ITEMS = re.compile(_NUM + r"\s*(k\b|thousand\b)?[- ](?:items?|prompts?|examples?|samples?|questions?|cases?|tasks?)\b"
                    r"|(?:on|over|with)\s+" + _NUM + r"\s*(k\b|thousand\b)?\s*(?:items?|prompts?|examples?|samples?)\b")
_RATE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|percent)\s*(?:pass rate|accuracy|success rate|win rate|score|pass)"
                   r"|(?:pass rate|accuracy|success rate|win rate|score)\s*(?:of|at|is|around|about|near)?\s*(\d+(?:\.\d+)?)\s*(?:%|percent)")
_BAR = re.compile(r"\berror bars?\b|\bconfidence interval\b|\bmargin of error\b|\bplus or minus\b|±|\+/-")
_HALF_SPOKEN = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|ten) and a half\b")
_MARGIN = re.compile(r"(?:(a tenth of a|one tenth of a|a fifth of a|a quarter of a|half a|half of a|a third of a)\s+"
                     r"(?:percentage\s+)?points?\b)|(?:" + _NUM + r"(?:\s+and a half)?\s*(?:percentage points?|points?|pp\b|%))")


_NOT_MARGIN = re.compile(r"\s*(?:pass rate|accuracy|success rate|win rate|score|confidence|ci\b|of the time|level)")


def _number(text: str, thousands: str | None = None) -> float:
    value = float(_SPOKEN[text]) if text in _SPOKEN else float(text.replace(",", ""))
    return value * (1000 if thousands else 1)


def _margin_after(low: str, start: int) -> float | None:
    """The margin the candidate gives after an error-bar cue, in points of the rate."""
    tail = low[start:start + 120]
    half = _HALF_SPOKEN.search(tail)
    # "at an 80% pass rate ... plus or minus 2.5 points": a rate or a confidence level is not the margin.
    match = next((m for m in _MARGIN.finditer(tail) if not _NOT_MARGIN.match(tail, m.end())), None)
    if half and (match is None or half.start() <= match.start()):
        return _SPOKEN[half.group(1)] + 0.5
    if match is None:
        return None
    if match.group(1):
        return _FRACTIONS[match.group(1)]
    value = _number(match.group(2))
    return value + 0.5 if "and a half" in match.group(0) else value


def error_bar(sentence: str, start: int, before: str = "") -> Contradiction | None:
    low = sentence.lower()
    bar = _BAR.search(low)
    if bar is None:
        return None
    context = before.lower() + " " + low
    items, rate = _ITEMS.search(context), _RATE.search(context)
    claimed = _margin_after(low, bar.start())
    if items is None or rate is None or claimed is None:
        return None
    n = _number(items.group(1), items.group(2)) if items.group(1) else _number(items.group(3), items.group(4))
    p = float(rate.group(1) or rate.group(2)) / 100
    if not (10 <= n <= 10_000_000 and 0 < p < 1) or claimed <= 0:
        return None
    margin = 1.96 * math.sqrt(p * (1 - p) / n) * 100
    if margin / 2 <= claimed <= margin * 2:
        return None
    says = (f"At {p * 100:.0f}% on {n:,.0f} items the 95% error bar is about plus or minus {margin:.1f} points: "
            f"1.96 times the square root of p(1-p)/n.")
    return Contradiction("derived-error-bar", says, sentence, start, start + len(sentence))


# --------------------------------------------------------------- caches
_HIT_RATE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|percent)\s*(?:cache\s+)?hit(?:\s*-?\s*rate|\s+ratio)?"
                       r"|hit(?:\s*-?\s*rate|\s+ratio)\s*(?:of|at|is|around|about|near)?\s*(\d+(?:\.\d+)?)\s*(?:%|percent)")
_CACHE_LOST = re.compile(r"\b(?:died|dies|goes down|went down|is down|fails|failed|failing|lost|lose|loses|losing|without"
                         r"|went away|goes away|cold|flushed|restarts?|outage)\b")
_BACKEND = re.compile(r"\b(?:database|db|postgres|mysql|backend|origin|primary|store)\b")
_TIMES = re.compile(r"\b(double|doubles|twice|triple|triples|(\d+(?:\.\d+)?)\s*(?:x|×|times|-fold|fold))(?![\w%])")


def cache_loss(sentence: str, start: int, whole: str) -> Contradiction | None:
    low = sentence.lower()
    if not (_CACHE_LOST.search(low) and _BACKEND.search(low)):
        return None
    times, hit = _TIMES.search(low), _HIT_RATE.search(whole.lower())
    if times is None or hit is None:
        return None
    h = float(hit.group(1) or hit.group(2)) / 100
    if not 0.5 <= h < 1:
        return None
    word = times.group(1)
    claimed = 2.0 if word.startswith(("double", "twice")) else 3.0 if word.startswith("triple") else float(times.group(2))
    expected = 1 / (1 - h)
    if expected / 2 <= claimed <= expected * 2:
        return None
    says = (f"With a {h * 100:.0f}% hit rate the database serves only {100 - h * 100:.0f}% of reads today, so losing "
            f"the cache sends it about {expected:.0f} times its usual read load.")
    return Contradiction("derived-cache-loss", says, sentence, start, start + len(sentence))


# ------------------------------------------------------------ reductions
_CUT_BY = re.compile(r"\b(?:cut|cuts|reduced|reduces|reduce|lowered|lowers|decreased|decreases|dropped|drops|fell|"
                     r"shrank|shrunk|shrinks|brought down|slashed)\b[^.;]{0,50}?\bby\s+(\d+(?:,\d{3})*(?:\.\d+)?)\s*(?:%|percent)")


def impossible_cut(sentence: str, start: int) -> Contradiction | None:
    """A reduction of more than 100% ("cut offensive suggestions by 300%"): nothing can fall by more than all of it."""
    match = _CUT_BY.search(sentence.lower())
    if match is None or float(match.group(1).replace(",", "")) <= 100:
        return None
    says = "A reduction can't be more than 100%: cutting something by more than all of it would take it below zero."
    return Contradiction("derived-cut-over-100", says, sentence, start, start + len(sentence))


def derived_claims(sentence: str, start: int, before: str, whole: str) -> list[Contradiction]:
    """Every derived check on one sentence (`before`: the sentence before it; `whole`: the answer it is in)."""
    found = (error_bar(sentence, start, before), cache_loss(sentence, start, whole), impossible_cut(sentence, start))
    return [claim for claim in found if claim is not None]
