"""Vocabulary priming: which of the round's terms reach the recogniser, and in what form."""

from __future__ import annotations

import pytest

from interviewer.voice.vocabulary import DEFAULT_LIMIT, STYLES, Priming, priming, round_terms


@pytest.fixture
def webhooks(library):
    rubric = library.load("system-design").rubric
    return rubric, rubric.problem("webhook-delivery")


def test_terms_the_problem_uses_come_first(webhooks):
    rubric, problem = webhooks
    terms = round_terms(rubric, problem)
    first = terms[:5]
    assert "idempotency key" in first and "jitter" in first
    assert set(rubric.vocabulary) - set(terms) <= {"p99", "quantization"}  # only ones inside a longer term
    assert not {"KB", "GB", "API"} & set(terms)  # units and everyday acronyms are left to the recogniser
    assert len(terms) == len(set(terms))


def test_hard_words_from_the_problem_join_the_vocabulary(library):
    rubric = library.load("coding").rubric
    terms = round_terms(rubric, rubric.problem("lru-cache"))
    assert "OrderedDict" in terms[:10] and "LRU" in terms[:10]


def test_without_a_problem_the_hard_terms_lead(library):
    rubric = library.load("system-design").rubric
    terms = round_terms(rubric)
    assert terms[0] in rubric.vocabulary and any(ch.isupper() or ch.isdigit() for ch in terms[0])


def test_default_priming_is_hotwords(webhooks):
    rubric, problem = webhooks
    primed = priming(rubric, problem)
    assert primed.prompt is None
    assert primed.hotwords.split(", ") == list(primed.terms) == round_terms(rubric, problem)[:DEFAULT_LIMIT]


@pytest.mark.parametrize("style", STYLES)
def test_every_style(webhooks, style):
    rubric, problem = webhooks
    primed = priming(rubric, problem, style=style, limit=5)
    if style == "none":
        assert primed == Priming()
        return
    assert primed.terms
    if "sentence" in style:
        assert primed.prompt.startswith("For the webhook delivery system, I'd talk about ")
        assert primed.prompt.endswith(f" and {primed.terms[-1]}.")
    if style == "list":
        assert primed.prompt == ", ".join(round_terms(rubric, problem)) and primed.hotwords is None
    assert ("hotwords" in style) == (primed.hotwords is not None)


def test_unknown_style(webhooks):
    with pytest.raises(ValueError, match="use one of"):
        priming(*webhooks, style="shout")


def test_filler_prompt_leads_any_prompt(webhooks):
    from interviewer.voice.vocabulary import FILLER_PROMPT

    assert priming(*webhooks, keep_fillers=True).prompt == FILLER_PROMPT
    sentence = priming(*webhooks, style="sentence", keep_fillers=True).prompt
    assert sentence.startswith(FILLER_PROMPT + " For the webhook delivery system")
    assert priming(*webhooks, style="none", keep_fillers=True) == Priming()
