"""A Markdown reply as speech: code and tables are announced, not read; sentences come out of a
stream as soon as they are whole, and never from inside a code block."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interviewer.voice.speakable import (CODE_ON_SCREEN, SentenceStream, opening, sentences, speakable,
                                        speakable_sentences)

REPLY = """## Requirements

Let's start with **scale**: how many webhooks a second at peak, e.g. during a flash sale?

- Retries with `exponential_backoff()` and _jitter_
- A dead-letter queue (see [the runbook](https://example.com/runbook))

```python
def f(x):
    return x.y. Then more.
```

| p50 | p99 |
|-----|-----|
| 3 ms | 40 ms |

What would you change if p99 had to stay under 200 ms? It costs ~3.5 GB vs. 10k req/s."""


def test_markdown_is_reduced_to_what_a_person_would_say():
    assert speakable_sentences(REPLY) == [
        "Requirements.",
        "Let's start with scale: how many webhooks a second at peak,", "for example during a flash sale?",
        "Retries with exponential backoff and jitter.",
        "A dead-letter queue (see the runbook).",
        CODE_ON_SCREEN,
        "Here's a table on screen.",
        "What would you change if p99 had to stay under 200 milliseconds?",
        "It costs about 3.5 GB versus 10 thousand requests per second.",
    ]


def test_inline_code_reads_as_a_word_only_when_it_is_one():
    assert speakable("Call `get()` on the `LRUCache`.") == "Call get on the LRUCache."
    assert speakable("Why `x[i] += 1`?") == "Why the code on screen?"
    assert speakable("See https://example.com/x for more.") == "See the link on screen for more."


def test_an_unfinished_code_block_holds_back_what_follows_it():
    stream = SentenceStream()
    assert stream.feed("Here is a start.\n\n```python\nx = 1. Not a sentence. ") == ["Here is a start."]
    assert stream.feed("y = 2\n") == []
    assert stream.feed("```\nNow tell me. ") == [CODE_ON_SCREEN, "Now tell me."]


def test_a_decimal_point_is_not_the_end_of_a_sentence():
    stream = SentenceStream()
    assert stream.feed("It holds 3.") == []
    assert stream.feed("5 GB per node. Next") == ["It holds 3.5 GB per node."]
    assert stream.flush() == ["Next."]


def test_a_long_sentence_is_said_in_clauses_so_the_first_sound_comes_soon():
    long = ("When the receiver is down for an hour, the events wait in the retry queue, and the worker backs off "
            "with jitter until the receiver answers again.")
    parts = sentences(long)
    assert len(parts) > 1 and " ".join(parts) == long



@pytest.mark.parametrize("sentence, expected", [
    ("Before we go further, what are you assuming about who uses this and how?",
     ["Before we go further,", "what are you assuming about who uses this and how?"]),
    ("So, before we go further, what are you assuming about the users?",  # "So," alone would sound clipped
     ["So, before we go further,", "what are you assuming about the users?"]),
    ("Good — now walk me through the write path and its retries.",
     ["Good — now walk me through the write path and its retries."]),
    ("How many writes a second at peak?", ["How many writes a second at peak?"]),  # short: said whole
    ("Walk me through the write path from the client to the disk, please.",  # no clause to cut at
     ["Walk me through the write path from the client to the disk, please."]),
    ("It holds 1,000 events per shard and two replicas across the zones.",  # a thousands comma is no clause
     ["It holds 1,000 events per shard and two replicas across the zones."]),
])
def test_a_long_opening_sentence_is_cut_at_its_first_clause(sentence, expected):
    assert opening(sentence) == expected
    assert " ".join(opening(sentence)) == sentence


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=60))
def test_streaming_in_any_pieces_says_the_same_as_the_whole_reply(cuts):
    stream, said, start = SentenceStream(), [], 0
    for size in cuts:
        said += stream.feed(REPLY[start:start + size])
        start += size
    said += stream.feed(REPLY[start:]) + stream.flush()
    assert said == speakable_sentences(REPLY)
