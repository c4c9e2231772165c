"""LLM path costs. Prints figures; asserts nothing.

    python bench/bench_llm.py [--replies 200]

1. Our overhead per streamed reply: time to the first token handed to the consumer through
   the product's path (openai client -> model -> LLM brain with its notes filter), minus the
   time to the first SSE data line read with a bare socket client from the same loopback
   server, measured side by side in one run.
2. Prompt tokens sent over a simulated 60-minute system-design session, with the context
   budget versus resending the full history every turn (target: at most half).
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from llm_server import FakeOpenAI, Reply  # noqa: E402

from interviewer.brains.base import Conversation  # noqa: E402
from interviewer.brains.llm import LLMBrain  # noqa: E402
from interviewer.engine.state import Move  # noqa: E402
from interviewer.llm.config import LLMConfig  # noqa: E402
from interviewer.llm.context import ContextWindow  # noqa: E402
from interviewer.llm.model import OpenAIChatModel, ScriptedModel, estimate_tokens  # noqa: E402
from interviewer.rubric import RubricLibrary  # noqa: E402

REPLY = "That makes sense. What happens to an in-flight stream when its gateway node dies? <notes>ok</notes>"


def raw_first_data(base_url: str, body: dict) -> float:
    url = urlparse(base_url)
    start = time.perf_counter()
    conn = http.client.HTTPConnection(url.hostname, url.port)
    conn.request("POST", url.path + "/chat/completions", json.dumps(body), {"Content-Type": "application/json"})
    response = conn.getresponse()
    while True:
        line = response.readline()
        if line.startswith(b"data:") and b'"content"' in line and b'"content":""' not in line:
            elapsed = time.perf_counter() - start
            break
    response.read()
    conn.close()
    return elapsed


def bench_overhead(replies: int) -> None:
    rubric = RubricLibrary().load("system-design").rubric
    problem = rubric.problem("streaming-chat")
    move = Move("question", "What happens when a gateway dies?", "deep_dive", "Deep dive")
    conversation = Conversation(rubric, problem, "L5", 3, "an answer", history=(("interviewer", "q"), ("candidate", "a")))
    with FakeOpenAI(responder=lambda body: Reply(text=REPLY, chunk_chars=4)) as server:
        brain = LLMBrain(OpenAIChatModel(LLMConfig(model="test-model", base_url=server.base_url)))
        body = {"model": "test-model", "stream": True, "messages": brain.messages(move, conversation)}
        product, raw = [], []
        for i in range(replies + 10):
            start = time.perf_counter()
            stream = brain.respond(move, conversation)
            next(stream)
            first = time.perf_counter() - start
            for _ in stream:
                pass
            bare = raw_first_data(server.base_url, body)
            if i >= 10:  # the first few warm up connections and caches
                product.append(first)
                raw.append(bare)
    p, r = statistics.median(product), statistics.median(raw)
    print(f"first token, {replies} replies over loopback (median): product path {p * 1e3:.2f} ms, "
          f"bare socket {r * 1e3:.2f} ms, our overhead {(p - r) * 1e3:.2f} ms per reply "
          f"(p90 product {sorted(product)[int(0.9 * len(product))] * 1e3:.2f} ms)")


def simulated_session(budget: int | None) -> tuple[int, int]:
    """45 exchanges (about 60 minutes): 40-word questions, 130-word answers."""
    rubric = RubricLibrary().load("system-design").rubric
    problem = rubric.problem("streaming-chat")
    model = ScriptedModel(lambda messages: "A forty word question " * 8)
    brain = LLMBrain(model, budget_tokens=budget or 10**9)
    history: list[tuple[str, str]] = []
    total = 0
    answer = ("At 20k concurrent streams and 50 tokens per second we emit one million tokens a second, so the GPU "
              "fleet dominates cost; I'd use continuous batching because requests finish at different times, and "
              "keep a per-stream replay buffer in Redis for sixty seconds so a reconnect can resume. ") * 3
    for turn in range(45):
        move = Move("question", f"Deep-dive question {turn}?", "deep_dive", "Deep dive")
        conversation = Conversation(rubric, problem, "L5", turn + 1, answer, history=tuple(history))
        messages = brain.messages(move, conversation)
        total += sum(estimate_tokens(m["content"]) for m in messages)
        reply = "".join(brain.respond(move, conversation))
        history += [("interviewer", reply), ("candidate", answer)]
    return total, estimate_tokens(brain.system_prompt(conversation))


def bench_context() -> None:
    budgeted, system = simulated_session(LLMConfig().context_budget_tokens)
    full, _ = simulated_session(None)
    budget = LLMConfig().context_budget_tokens
    fixed = 45 * system
    print(f"prompt tokens over a simulated 60-minute session (45 exchanges): with the {budget:,}-token history budget "
          f"{budgeted:,}, full history {full:,}: {budgeted / full:.4f} of full (target: at most 0.5000); "
          "leaving out the system prompt "
          f"({system:,} tokens a turn, the same every turn so providers can cache it): "
          f"{budgeted - fixed:,} vs {full - fixed:,} = {(budgeted - fixed) / (full - fixed):.4f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=200)
    args = parser.parse_args()
    bench_overhead(args.replies)
    bench_context()
    return 0


if __name__ == "__main__":
    sys.exit(main())
