"""Figures the interviewer stated, restated by the candidate with another figure."""

from __future__ import annotations

import pytest

from interviewer.understanding.stated import figures, misstated

STATED = ("About 100,000 employees, asking questions in plain language. About 50 questions per second at peak. "
          "About 50 million documents: wikis, tickets, PDFs and chat threads. A rater grades roughly 20 to 60 long "
          "answers an hour. There's a pool of about 50 trained raters.")


@pytest.mark.parametrize(("said", "nouns"), [
    ("We have fifty thousand employees and twenty million documents.", ["document", "employee"]),
    ("So I'm designing for 5 questions per second at peak.", ["question"]),
    ("With our 500 raters each doing 40 answers an hour it's quick.", ["rater"]),
    ("At 3,000 questions a minute we're fine.", []),  # 50 a second, said per minute
    ("So a hundred thousand people and fifty million docs.", []),  # the right figures, in other words
    ("Roughly 100k employees and about 60 million documents.", []),  # rounded, within reason
    ("I'll retrieve the top 5 documents per query.", []),  # a different count
    ("One of the documents may be huge.", []),
    ("We re-index 5 million documents a week.", []),  # a rate, where the fact has none
    ("The facts say 50 a second; I'll size for 150 questions a second, 3x headroom.", []),  # chosen on purpose
    ("At 10x we'd have a million employees' worth of load.", []),
    ("About 2,000 active employees at any moment.", []),  # part of the whole
    ("50 raters at 40 an hour is 2,000 answers an hour.", []),  # a total worked out from a per-rater figure
])
def test_a_stated_figure_said_back_with_another_value_is_caught(said, nouns):
    assert sorted(c.fact_id.removeprefix("stated-") for c in misstated(said, 0, STATED)) == nouns


def test_the_correction_quotes_the_sentence_that_gave_the_figure():
    [claim] = misstated("We have fifty thousand employees.", 0, STATED)
    assert claim.says == "About 100,000 employees, asking questions in plain language."


def test_a_range_is_one_figure_from_its_bottom_to_its_top():
    [answers] = [f for f in figures("a rater grades roughly 20 to 60 long answers an hour.") if f.noun == "answer"]
    assert answers.near(30 / 3600) and answers.near(60 / 3600) and not answers.near(200 / 3600)
