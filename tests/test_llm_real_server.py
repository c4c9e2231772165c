"""A short interview and its judge against a real OpenAI-compatible server.

Set INTERVIEWER_TEST_LLM_BASE_URL (and INTERVIEWER_TEST_LLM_MODEL) to run it; `.ci/run` starts a llama.cpp
server with the small Gemma 3 270M model for it and sets INTERVIEWER_REQUIRE_LLM_SERVER, so in CI it fails
rather than skips when no server is there. A 270M model phrases poorly and may echo its instructions: the test
holds the product to what it controls (the session stays on the model, every request carries its cap and fits,
the judge's reply is held to a grammar that fits its cap), not the model to good prose.
"""

from __future__ import annotations

import json
import os
import re
import time

import pytest
from conftest import PASSIVE

from interviewer.llm.messages import estimate_tokens
from interviewer.scoring.llm_judge import judge
from interviewer.services import build_services
from interviewer.session import Session
from interviewer.transcript import load_transcript

BASE_URL = os.environ.get("INTERVIEWER_TEST_LLM_BASE_URL", "").strip()
MODEL = os.environ.get("INTERVIEWER_TEST_LLM_MODEL", "local").strip()
if not BASE_URL and os.environ.get("INTERVIEWER_REQUIRE_LLM_SERVER"):
    pytest.fail("a real LLM server is required here (.ci/run starts one): INTERVIEWER_TEST_LLM_BASE_URL is not set",
                pytrace=False)
pytestmark = pytest.mark.skipif(not BASE_URL, reason="set INTERVIEWER_TEST_LLM_BASE_URL (and INTERVIEWER_TEST_LLM_MODEL) "
                                "to a local OpenAI-compatible server, e.g. llama.cpp's, to run this")

# Caps small enough for a CPU server (a reply takes seconds, the judge a couple of minutes), generous timeouts
# for a busy machine. The server's context is llm.context_window_tokens (INTERVIEWER_LLM_CONTEXT_WINDOW).
SETTINGS = {"timeout_s": 300, "read_timeout_s": 240, "reply_max_tokens": 120, "judge_max_tokens": 800,
            "judge_timeout_s": 900}
MOVE_TOKENS = 400  # the engine's move for one turn, at most, by our estimate
_FOLDED = re.compile(r"\[Instructions\]\n(.*?)\n\[End of instructions\]", re.S)


def _recorded(model) -> list[dict]:
    """Every request the model sends, as sent (after any folding of system messages)."""
    sent: list[dict] = []
    create = model.client.chat.completions.create

    def recording(**kwargs):
        sent.append(kwargs)
        return create(**kwargs)

    model.client.chat.completions.create = recording
    model.real_create = create
    return sent


def _instructions(messages: list[dict]) -> list[str]:
    """The system prompt and the move, whether sent as system messages or folded into user turns."""
    return [m["content"] for m in messages if m["role"] == "system"] + \
        [block for m in messages if m["role"] == "user" for block in _FOLDED.findall(m["content"])]


def _server_count(model, request: dict) -> int:
    """The server's own count of a request's prompt: the same messages again, for one token, not streamed (some
    servers report usage only then). Sent right after the request itself, so a server's prompt cache answers it."""
    response = model.real_create(model=request["model"], messages=request["messages"], stream=False, max_tokens=1,
                                 temperature=0)
    assert response.usage and response.usage.prompt_tokens > 0, "the server reports no prompt tokens"
    return response.usage.prompt_tokens


def test_a_short_session_and_its_judge_stay_on_a_real_server(tmp_path):
    services = build_services(base_url=BASE_URL, model=MODEL, transcripts_dir=tmp_path / "t", llm=SETTINGS)
    config, model = services.llm, services.brain.model
    sent = _recorded(model)
    session = Session.create(services.library, "system-design", "streaming-chat", services.settings, services.brain,
                             brain_settings=config.public())
    notices: list[str] = []
    session.on_notice = notices.append
    times = []
    for answer in [None, *PASSIVE[:2]]:
        started = time.perf_counter()
        reply = session.open() if answer is None else session.submit(answer)
        times.append(time.perf_counter() - started)
        assert reply.text.strip()
    replies = [r for r in sent if r["stream"]]
    last_reply_tokens = _server_count(model, replies[-1])
    session.close("quit")
    transcript = load_transcript(session.path)

    # The session stayed on the model: no fall-back, every interviewer turn phrased by it.
    assert not [e for e in transcript.events if e["kind"] == "brain_degraded"], transcript.events
    records = [json.loads(line) for line in session.path.read_text().splitlines()]
    assert {r.get("brain") for r in records if r.get("role") == "interviewer"} == {f"llm:{MODEL}"}
    # A template that drops system messages was measured and folded from the first reply; one that keeps them
    # was left alone. .ci/run's Gemma template drops them.
    adapted = [e for e in transcript.events if e["kind"] == "llm_adapted"]
    assert model.fold is bool(adapted) and notices == [e["finding"] for e in adapted]
    if os.environ.get("INTERVIEWER_TEST_LLM_DROPS_SYSTEM"):
        assert adapted and adapted[0]["after_turn"] == 0, "the dropped system messages were not detected"
    assert all(not any(m["role"] == "system" for m in r["messages"]) for r in replies) is model.fold

    # Every reply request carried its cap, and what it sent fits: the history within the budget by our estimate,
    # the whole prompt and the reply within the server's context by the server's own count.
    assert [r["max_tokens"] for r in replies] == [config.reply_max_tokens] * len(replies)
    for request in replies:
        messages = request["messages"]
        total = sum(estimate_tokens(m["content"]) for m in messages)
        fixed = sum(estimate_tokens(text) for text in _instructions(messages))
        assert total - fixed <= config.context_budget_tokens + MOVE_TOKENS, (total, fixed)
    assert last_reply_tokens + config.reply_max_tokens <= config.context_window_tokens

    # The judge ran, on the model, within the context window, and its card holds every dimension.
    started = time.perf_counter()
    card = judge(transcript, services.library.load("system-design").rubric, model)
    judge_s = time.perf_counter() - started
    assert card.scorer == f"llm:{MODEL}", card.notes[:1]
    request = sent[-1]
    assert request["stream"] and request["max_tokens"] == config.judge_max_tokens
    judge_tokens = _server_count(model, request)
    assert judge_tokens + config.judge_max_tokens <= config.context_window_tokens
    assert [d.id for d in card.dimensions] == [d.id for d in services.library.load("system-design").rubric.dimensions]
    print(json.dumps({"turn_s": [round(t, 1) for t in times], "last_reply_prompt_tokens": last_reply_tokens,
                      "judge_s": round(judge_s, 1), "judge_prompt_tokens": judge_tokens,
                      "judge_mode": model.last.structured, "scorer": card.scorer}))
