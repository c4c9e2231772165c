"""Delivery metrics from word timings, on hand-built word lists (the real-audio check with a known
pause lives with the model tests)."""

from __future__ import annotations

import pytest

from interviewer.voice.accuracy import normalize, term_found, term_recall, word_error_rate
from interviewer.voice.metrics import DeliveryMetrics, count_fillers, delivery_metrics, summarize
from interviewer.voice.transcription import Segment, Transcription, Word


def timed(text: str, start: float = 0.0, step: float = 0.4, gaps: dict[int, float] | None = None) -> list[Word]:
    """Words `step` seconds apart; `gaps` adds extra silence before the word at that index."""
    words, t = [], start
    for i, token in enumerate(text.split()):
        t += (gaps or {}).get(i, 0.0)
        words.append(Word(token, t, t + step * 0.8, 0.9))
        t += step
    return words


def test_pace_counts_speaking_time_only():
    words = timed("one two three four five six seven eight nine ten", start=1.0, step=0.5, gaps={5: 3.0})
    metrics = delivery_metrics(words, question_offset_s=2.5, duration_s=10.0)
    # 10 words from 1.0 s to 8.9 s, less the 3.1 s pause: 4.8 s of speaking, 125 words a minute.
    assert metrics.words == 10
    assert metrics.speaking_s == pytest.approx(4.8)
    assert metrics.words_per_minute == pytest.approx(125.0)
    assert (metrics.long_pauses, metrics.longest_pause_s) == (1, pytest.approx(3.1))
    assert metrics.time_to_first_word_s == pytest.approx(3.5)
    assert metrics.duration_s == 10.0


def test_pauses_at_or_under_two_seconds_are_not_long():
    metrics = delivery_metrics(timed("a b c d", gaps={1: 1.5, 3: 1.9}))
    assert metrics.long_pauses == 0 and metrics.longest_pause_s == 0.0


def test_fillers_counted_only_where_they_are_fillers():
    text = ("Um, so I think I would, uh, stream the reply. A WebSocket is, you know, kind of more than we need. "
            "Uh, the p95 is like 200 milliseconds. Um, that is sort of the number. Like, it works.")
    assert count_fillers(text.split()) == {"um": 2, "uh": 2, "you know": 1, "kind of": 1, "like": 2, "sort of": 1}


@pytest.mark.parametrize("text", [
    "I would like a queue here.",
    "It looks like a queue.",
    "What kind of index would you use?",
    "Some sort of cache sits in front.",
    "Do you know the key before the request?",
    "I mean the second replica.",
    "Things like retries and timeouts.",
])
def test_words_that_only_look_like_fillers(text):
    assert count_fillers(text.split()) == {}


def test_no_words_gives_empty_metrics():
    metrics = delivery_metrics([], question_offset_s=4.0, duration_s=3.0)
    assert metrics == DeliveryMetrics(duration_s=3.0)
    assert metrics.to_dict()["time_to_first_word_s"] is None


def test_metrics_read_a_transcription_words():
    words = tuple(timed("Um, the cache, uh, holds it.", start=0.5))
    result = Transcription("Um, the cache, uh, holds it.", [Segment("...", 0.5, 2.5, words)], duration=3.0)
    metrics = delivery_metrics(result.words, duration_s=result.duration)
    assert metrics.fillers == {"um": 1, "uh": 1} and metrics.filler_count == 2
    assert metrics.fillers_per_100_words == pytest.approx(100 * 2 / 6, abs=0.1)


def test_summary_across_answers():
    first = delivery_metrics(timed("um a b c d e f g h i", step=0.5), question_offset_s=1.0)
    second = delivery_metrics(timed("uh, a b c d e, like, f g h i j k l m n o p q r", step=0.25, gaps={6: 2.5}),
                              question_offset_s=3.0)
    third = delivery_metrics([], question_offset_s=9.0)  # nothing said: left out
    summary = summarize([first, second, third])
    assert summary.answers == 2
    assert summary.words == first.words + second.words
    assert summary.words_per_minute == pytest.approx(
        (first.words + second.words) / (first.speaking_s + second.speaking_s) * 60, abs=0.1)
    assert summary.fillers == {"um": 1, "uh": 1, "like": 1} and summary.filler_count == 3
    assert (summary.long_pauses, summary.longest_pause_s) == (1, second.longest_pause_s)
    assert summary.median_time_to_first_word_s == pytest.approx(2.0)
    assert summarize([]).to_dict()["answers"] == 0


def test_word_error_rate_forgives_spelling_choices_not_mistakes():
    assert normalize("The P-95 is two hundred ms, 10,000 H100s") == ["the", "p", "95", "is", "200", "ms", "10000",
                                                                    "h", "100", "s"]
    assert word_error_rate("the p95 is two hundred milliseconds", "The P-95 is 200 milliseconds.") == 0
    assert word_error_rate("put the writes on Kafka", "put the rights on Kafka") == pytest.approx(0.2)
    assert word_error_rate("a b c", "") == 1.0
    assert term_found("WebSocket", "over a web socket") and not term_found("idempotency key", "hide-and-potency key")
    assert term_recall(["LRU", "p95"], "the LRU cache and the P 95") == 1.0
