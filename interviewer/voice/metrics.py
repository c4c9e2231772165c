"""How an answer was delivered, from word timings: pace, fillers, long pauses, time to the first
word. Coaching feedback only: these never feed the technical scores, which read what was said.

Whisper often leaves fillers out of its text, so counts are a floor, not an exact tally (a prompt
that itself contains fillers keeps more of them, at a risk; see `vocabulary.FILLER_PROMPT`).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import asdict, dataclass, field
from typing import Iterable, Protocol

LONG_PAUSE_S = 2.0
# Sounds that are fillers wherever they occur.
_SOUNDS = {"um": "um", "umm": "um", "uhm": "um", "erm": "um", "uh": "uh", "uhh": "uh", "er": "er", "err": "er",
           "ah": "ah", "hmm": "hmm", "mm": "hmm", "mhm": "hmm"}
# Before "sort of" / "kind of", these make it a noun phrase ("what kind of index"), not a hedge.
_DETERMINERS = {"a", "an", "the", "what", "which", "this", "that", "these", "those", "some", "any", "every",
                "each", "one", "same", "no", "another", "different", "whatever", "all", "many"}
# After these, "like" is a verb or a comparison ("I'd like", "looks like"), whatever follows it.
_LIKE_NOT_FILLER = {"would", "i'd", "we'd", "you'd", "they'd", "i", "we", "they", "you", "look", "looks", "looked",
                    "feel", "feels", "felt", "seem", "seems", "sound", "sounds", "something", "things", "just"}
_NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twenty", "fifty",
                 "hundred", "thousand", "million", "half"}
_WORD = re.compile(r"[a-z0-9']+")


class TimedWord(Protocol):
    text: str
    start: float
    end: float


@dataclass
class DeliveryMetrics:
    words: int = 0
    duration_s: float = 0.0  # the recording, silence included
    speaking_s: float = 0.0  # first word to last, less long pauses
    words_per_minute: float = 0.0
    fillers: dict[str, int] = field(default_factory=dict)
    filler_count: int = 0
    fillers_per_100_words: float = 0.0
    long_pauses: int = 0  # gaps over LONG_PAUSE_S between words
    longest_pause_s: float = 0.0
    time_to_first_word_s: float | None = None  # from the question being shown

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class DeliverySummary:
    answers: int = 0
    words: int = 0
    words_per_minute: float = 0.0  # over all speaking time, so long answers weigh more
    fillers: dict[str, int] = field(default_factory=dict)
    filler_count: int = 0
    fillers_per_100_words: float = 0.0
    long_pauses: int = 0
    longest_pause_s: float = 0.0
    median_time_to_first_word_s: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def delivery_metrics(words: Iterable[TimedWord], question_offset_s: float = 0.0,
                     duration_s: float | None = None) -> DeliveryMetrics:
    """Metrics for one answer. `words` carry times from the start of the recording (a
    `Transcription.words`); `question_offset_s` is how long the question had been on screen when
    recording started."""
    timed = [w for w in words if _tokens(w.text)]
    end = timed[-1].end if timed else 0.0
    metrics = DeliveryMetrics(duration_s=round(duration_s if duration_s is not None else end, 3))
    if not timed:
        return metrics
    gaps = [b.start - a.end for a, b in zip(timed, timed[1:])]
    long = [g for g in gaps if g > LONG_PAUSE_S]
    speaking = max(0.0, timed[-1].end - timed[0].start - sum(long))
    metrics.words = sum(len(_tokens(w.text)) for w in timed)
    metrics.speaking_s = round(speaking, 3)
    metrics.words_per_minute = round(metrics.words / speaking * 60, 1) if speaking > 0 else 0.0
    metrics.fillers = count_fillers([w.text for w in timed])
    metrics.filler_count = sum(metrics.fillers.values())
    metrics.fillers_per_100_words = round(100 * metrics.filler_count / metrics.words, 1)
    metrics.long_pauses = len(long)
    metrics.longest_pause_s = round(max(long, default=0.0), 3)
    metrics.time_to_first_word_s = round(question_offset_s + timed[0].start, 3)
    return metrics


def summarize(answers: Iterable[DeliveryMetrics]) -> DeliverySummary:
    answers = [a for a in answers if a.words]
    summary = DeliverySummary(answers=len(answers))
    if not answers:
        return summary
    speaking = sum(a.speaking_s for a in answers)
    summary.words = sum(a.words for a in answers)
    summary.words_per_minute = round(summary.words / speaking * 60, 1) if speaking else 0.0
    for answer in answers:
        for filler, count in answer.fillers.items():
            summary.fillers[filler] = summary.fillers.get(filler, 0) + count
    summary.fillers = dict(sorted(summary.fillers.items(), key=lambda item: -item[1]))
    summary.filler_count = sum(summary.fillers.values())
    summary.fillers_per_100_words = round(100 * summary.filler_count / summary.words, 1)
    summary.long_pauses = sum(a.long_pauses for a in answers)
    summary.longest_pause_s = max(a.longest_pause_s for a in answers)
    firsts = [a.time_to_first_word_s for a in answers if a.time_to_first_word_s is not None]
    summary.median_time_to_first_word_s = round(statistics.median(firsts), 3) if firsts else None
    return summary


def count_fillers(words: list[str]) -> dict[str, int]:
    """Fillers in a list of recognised words (punctuation attached, as Whisper writes them).
    "like", "you know" and "I mean" count only where punctuation or a number after them shows
    they are fillers ("it's, like, 200 ms", not "I'd like a queue"); "sort of" / "kind of" only
    when they hedge ("kind of slow", not "what kind of index")."""
    tokens: list[tuple[str, bool, bool]] = []  # (word, punctuation before, punctuation after)
    for raw in words:
        parts = _tokens(raw)
        for i, part in enumerate(parts):
            before = i == 0 and (not tokens or tokens[-1][2])
            after = i == len(parts) - 1 and bool(re.search(r"[,.!?;:]$", raw.strip()))
            tokens.append((part, before or not tokens, after))
    counts: dict[str, int] = {}

    def add(name: str) -> None:
        counts[name] = counts.get(name, 0) + 1

    for i, (word, before, after) in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        previous = tokens[i - 1][0] if i > 0 else ""
        if word in _SOUNDS:
            add(_SOUNDS[word])
        elif word == "like" and previous not in _LIKE_NOT_FILLER and (before or after or _is_number(following)):
            add("like")
        elif word == "you" and following and following[0] == "know" and (before or following[2]):
            add("you know")
        elif word == "i" and following and following[0] == "mean" and following[2]:
            add("I mean")
        elif word in ("sort", "kind") and following and following[0] == "of" and previous not in _DETERMINERS:
            add(f"{word} of")
    return counts


def _is_number(token: tuple[str, bool, bool] | None) -> bool:
    return token is not None and (token[0][0].isdigit() or token[0] in _NUMBER_WORDS)


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())
