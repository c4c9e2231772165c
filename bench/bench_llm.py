"""LLM path costs. Prints figures; asserts nothing.

    python bench/bench_llm.py [--replies 200]
    python bench/bench_llm.py --base-url http://127.0.0.1:8080/v1 --model gemma3-270m [--every 5]

1. Our overhead per streamed reply: time to the first token handed to the consumer through
   the product's path (openai client -> model -> LLM brain with its notes filter), minus the
   time to the first SSE data line read with a bare socket client from the same loopback
   server, measured side by side in one run.
2. Prompt tokens sent over a simulated 60-minute system-design session, with the context
   budget versus resending the full history every turn (target: at most half).

With --base-url, instead, against a real server (nothing is generated: each request is sent once more for one
token, not streamed, for the server's own count, `usage.prompt_tokens`, as its tokenizer and chat template
make it): whether its template keeps system messages, the prompt tokens of every --every-th turn of the
simulated 60-minute session (as sent: folded when the template drops system messages) with our estimate and
the budget beside them, and the judge's request for that session against llm.context_window_tokens.
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
from interviewer.errors import InterviewerError  # noqa: E402
from interviewer.llm.model import CallStats, OpenAIChatModel, ScriptedModel, estimate_tokens  # noqa: E402
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


EXCHANGES = 45  # about 60 minutes
ANSWER = ("At 20k concurrent streams and 50 tokens per second we emit one million tokens a second, so the GPU "
          "fleet dominates cost; I'd use continuous batching because requests finish at different times, and "
          "keep a per-stream replay buffer in Redis for sixty seconds so a reconnect can resume. ") * 3


def simulated_session(budget: int | None, on_turn=None) -> tuple[int, int, list[tuple[str, str]]]:
    """45 exchanges (about 60 minutes): 40-word questions, 130-word answers. `on_turn(turn, messages, history
    tokens)` sees each turn's request. Returns the prompt tokens sent, the system prompt's and the history."""
    rubric = RubricLibrary().load("system-design").rubric
    problem = rubric.problem("streaming-chat")
    model = ScriptedModel(lambda messages: "A forty word question " * 8)
    brain = LLMBrain(model, budget_tokens=budget or 10**9)
    history: list[tuple[str, str]] = []
    total = 0
    for turn in range(EXCHANGES):
        move = Move("question", f"Deep-dive question {turn}?", "deep_dive", "Deep dive")
        conversation = Conversation(rubric, problem, "L5", turn + 1, ANSWER, history=tuple(history))
        messages = brain.messages(move, conversation)
        total += sum(estimate_tokens(m["content"]) for m in messages)
        if on_turn is not None:  # the history: everything but the system prompt first and the move last
            on_turn(turn, messages, sum(estimate_tokens(m["content"]) for m in messages[1:-1]))
        reply = "".join(brain.respond(move, conversation))
        history += [("interviewer", reply), ("candidate", ANSWER)]
    return total, estimate_tokens(brain.system_prompt(conversation)), history


def bench_context() -> None:
    budgeted, system, _ = simulated_session(LLMConfig().context_budget_tokens)
    full, _, _ = simulated_session(None)
    budget = LLMConfig().context_budget_tokens
    fixed = 45 * system
    print(f"prompt tokens over a simulated 60-minute session (45 exchanges): with the {budget:,}-token history budget "
          f"{budgeted:,}, full history {full:,}: {budgeted / full:.4f} of full (target: at most 0.5000); "
          "leaving out the system prompt "
          f"({system:,} tokens a turn, the same every turn so providers can cache it): "
          f"{budgeted - fixed:,} vs {full - fixed:,} = {(budgeted - fixed) / (full - fixed):.4f}")


COUNT_TIMEOUT_S = 600  # a CPU server reads a few thousand prompt tokens in a minute or more


class _Capture:
    """Stands in for the judge's model: keeps its request as built for the configured window, sends nothing."""

    def __init__(self, name: str, config: LLMConfig) -> None:
        self.name, self.config, self.last = name, config, CallStats()
        self.requests: list[tuple[list[dict], dict | None]] = []

    def complete(self, messages: list[dict], schema: dict | None = None, **options) -> str:
        self.requests.append((messages, schema))
        return "{}"


def bench_real_server(base_url: str, model_name: str, every: int) -> None:
    from interviewer.llm import system_probe
    from interviewer.llm.config import llm_config
    from interviewer.llm.messages import fold_system, with_schema
    from interviewer.scoring import llm_judge
    from interviewer.transcript import parse_text

    config = llm_config(model=model_name, base_url=base_url)
    client = OpenAIChatModel(config).client

    def server_count(messages: list[dict]) -> int | None:
        usage = client.chat.completions.create(model=model_name, messages=messages, stream=False, max_tokens=1,
                                               temperature=0, timeout=COUNT_TIMEOUT_S).usage
        return usage.prompt_tokens if usage else None

    measured = system_probe.count_system(client.chat.completions.create, model_name, "max_tokens", COUNT_TIMEOUT_S)
    fold = bool(measured and measured.dropped)
    print(f"{config.describe()}: whether its chat template keeps system messages: "
          f"{'not measurable (no usage reported)' if measured is None else measured.describe()}; "
          f"{'folded into user turns' if fold else 'sent as they are'}")
    budget, window, reply_cap = config.context_budget_tokens, config.context_window_tokens, config.reply_max_tokens
    print(f"prompt tokens per turn, simulated {EXCHANGES}-exchange (60-minute) session, every {every}th turn: "
          f"history (our estimate) against the {budget:,}-token budget; the whole prompt by our estimate and by the "
          f"server; the server's count plus llm.reply_max_tokens ({reply_cap}) against the {window:,}-token window")
    rows = []

    def on_turn(turn: int, messages: list[dict], history: int) -> None:
        if turn % every and turn != EXCHANGES - 1:
            return
        sent = fold_system(messages) if fold else messages
        ours = sum(estimate_tokens(m["content"]) for m in sent)
        started = time.perf_counter()
        theirs = server_count(sent)
        rows.append((ours, theirs))
        print(f"  turn {turn + 1:>2}: history {history:>5,} / budget {budget:,}; prompt ours {ours:>5,}, server "
              f"{theirs if theirs is not None else 'n/a':>5}; fits {window:,}: "
              f"{'yes' if theirs is not None and theirs + reply_cap <= window else 'NO'} "
              f"({time.perf_counter() - started:.1f} s to count)")

    _, _, history = simulated_session(budget, on_turn)
    ratios = [theirs / ours for ours, theirs in rows if theirs]
    if ratios:
        print(f"  server count / our estimate: {min(ratios):.2f} to {max(ratios):.2f}")
    unbudgeted: list[int] = []
    simulated_session(None, lambda turn, messages, _: unbudgeted.append(sum(estimate_tokens(m["content"])
                                                                             for m in messages)))
    print(f"  baseline, the full history resent every turn: turn {EXCHANGES}'s prompt would be {unbudgeted[-1]:,} by "
          f"our estimate (about {int(unbudgeted[-1] * min(ratios or [1])):,} by the server's ratio), against the "
          f"{window:,}-token window")

    text = "".join(f"{role.capitalize()}: {said}\n\n" for role, said in history)
    transcript = parse_text(f"Round: system-design\nProblem: streaming-chat\nLevel: L5\n\n{text}")
    capture = _Capture(model_name, config)
    llm_judge.judge(transcript, RubricLibrary().load("system-design").rubric, capture)
    messages, schema = capture.requests[0]
    request, _ = with_schema(fold_system(messages) if fold else messages, schema, "json_object")
    ours = sum(estimate_tokens(m["content"]) for m in request)
    whole = sum(len(said) for _, said in history) // 4
    theirs = server_count(request)
    print(f"judge request for that session (whole transcript about {whole:,} tokens; JSON mode, schema in the "
          f"prompt): ours {ours:,}, server {theirs if theirs is not None else 'n/a'}; plus llm.judge_max_tokens "
          f"({config.judge_max_tokens:,}) against llm.context_window_tokens {window:,}: "
          f"{'fits' if theirs is not None and theirs + config.judge_max_tokens <= window else 'DOES NOT FIT'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=200)
    parser.add_argument("--base-url", help="a real OpenAI-compatible server to count prompt tokens with")
    parser.add_argument("--model", default="local", help="the model name to ask --base-url for")
    parser.add_argument("--every", type=int, default=5, help="with --base-url: count every Nth turn (and the last)")
    args = parser.parse_args()
    if args.base_url:
        try:
            bench_real_server(args.base_url, args.model, max(args.every, 1))
        except InterviewerError as exc:  # a --base-url that is not a URL
            parser.exit(2, f"bench_llm: error: {exc}\n")
        except Exception as exc:  # noqa: BLE001 - the server refused or is not there: one line, not a traceback
            if type(exc).__module__.split(".")[0] != "openai":
                raise
            status = getattr(exc, "status_code", None)  # never the server's message: a 401 body can echo the key
            parser.exit(2, f"bench_llm: error: {args.base_url}: {type(exc).__name__}{f' {status}' if status else ''}\n")
        return 0
    bench_overhead(args.replies)
    bench_context()
    return 0


if __name__ == "__main__":
    sys.exit(main())
