"""The LLM interviewer and judge, over real HTTP to a loopback OpenAI-compatible server."""

from __future__ import annotations

import json
from pathlib import Path
import subprocess

import pytest
from conftest import FIXTURES, PASSIVE, cli_env, interviewer_cmd
from llm_server import FakeOpenAI, Reply

from interviewer.errors import SessionStateError
from interviewer.rubric import RubricLibrary
from interviewer.scoring.llm_judge import REMOVED, judge
from interviewer.services import build_services
from interviewer.session import Session
from interviewer.transcript import load_transcript

FAST = {"read_timeout_s": 0.5, "timeout_s": 2.0, "max_attempts": 3, "backoff_base_s": 0.01,
        "backoff_max_s": 0.02}


def instruction(body: dict) -> str:
    """The engine's move, as the interviewer model received it."""
    move = [m["content"] for m in body["messages"] if m["role"] == "system" and m["content"].startswith("ENGINE")][-1]
    return move.splitlines()[-2] if len(move.splitlines()) > 1 else move


def interviewer_model(body: dict) -> Reply:
    return Reply(text=f"(phrased) {instruction(body)}\n<notes>answer noted</notes>", chunk_chars=7)


def services_for(server: FakeOpenAI, tmp_path, **llm):
    return build_services(base_url=server.base_url, model="test-model", transcripts_dir=tmp_path / "t",
                          llm={**FAST, **llm})


def new_session(services, round_id="system-design", problem="streaming-chat"):
    return Session.create(services.library, round_id, problem, services.settings, services.brain,
                          brain_settings=services.llm.public())




PROACTIVE = PASSIVE[:-1] + [
    "At 10x the single Postgres primary becomes the write bottleneck, so I'd shard conversations by user id; if a "
    "shard fails its users read history from a replica while we fail over.",
]


@pytest.mark.parametrize(("answers", "drilled"), [(PASSIVE, 3), (PROACTIVE, 2)], ids=["passive", "raised-10x"])
def test_scripted_system_design_session_streams_and_runs_the_drill(tmp_path, answers, drilled):
    with FakeOpenAI(responder=interviewer_model) as server:
        services = services_for(server, tmp_path)
        session = new_session(services)
        chunks: list[str] = []
        session.on_chunk = chunks.append
        reply = session.open()
        assert len(chunks) > 3 and "(phrased)" in reply.text
        kinds = []
        for answer in answers:
            reply = session.submit(answer)
            kinds.append(reply.move.kind)
        kinds.append(session.command("next").move.kind)
        for _ in range(40):
            reply = session.submit("I'd keep conversations in Postgres keyed by user id because we read them in order.")
            kinds.append(reply.move.kind)
            if reply.finished:
                break
        assert reply.finished
        # Only the steps the candidate had not raised on their own were asked.
        assert kinds.count("drill") == drilled
        drill_requests = [body for body in server.requests if "Scale drill" in instruction(body)]
        assert len(drill_requests) == drilled
        assert ("Scale drill (10x)" in json.dumps(drill_requests)) is (drilled == 3)
        assert "<notes>" not in reply.text and "answer noted" not in "".join(chunks)

    transcript = load_transcript(session.path)
    assert transcript.completed
    interviewer_turns = [t for t in transcript.turns if t.role == "interviewer"]
    assert all(t.llm and t.llm["completion_tokens"] > 0 and t.llm["first_token_ms"] is not None
               for t in interviewer_turns)
    assert all(t.llm["notes"] == "answer noted" for t in interviewer_turns)
    assert len(transcript.candidate_turns()) == len(kinds) - 1  # every reply but the one to /next answered a turn
    end = json.loads(session.path.read_text().splitlines()[-1])
    assert end["usage"]["prompt_tokens"] > 0


def test_later_gates_never_reach_the_model_early(tmp_path):
    references = Path(__file__).resolve().parent / "references" / "coding" / "kv-store"
    with FakeOpenAI(responder=interviewer_model) as server:
        services = services_for(server, tmp_path)
        session = new_session(services, "coding", "kv-store")
        gates = session.problem.gates
        session.open()
        session.submit("Strings and single-threaded? I'll assume both.")
        session.command("next")
        revealed = 1
        seen_before_reveal = []
        for _ in range(20):
            reply = session.submit("I'd use a dict so get, set and delete are O(1); def get(self, k): return self.d.get(k)"
                                   " I'd test overwrite and a missing key. I chose lazy expiry over a sweeper, "
                                   "at the cost of memory held by expired keys.")
            if reply.move.kind == "gate_hold":  # the part waits for its checks: run the code that passes them
                run = session.run_checks((references / f"gate{revealed}.py").read_text(encoding="utf-8"))
                reply = run.reply
            if reply.move.kind == "gate_reveal":
                revealed = reply.move.gate
            for request in server.requests:
                text = json.dumps(request)
                seen_before_reveal += [n for n in range(revealed + 1, 5) if gates[n - 1].adds in text]
            if revealed == 3:
                break
        assert revealed == 3
        assert seen_before_reveal == []
        session.close("quit")


def _drive(services, answers=3):
    session = new_session(services)
    notices: list[str] = []
    session.on_notice = notices.append
    session.open()
    for answer in PASSIVE[:answers]:
        session.submit(answer)
    session.close("quit")
    return session, load_transcript(session.path), notices


def test_429_then_success_retries_and_keeps_going(tmp_path):
    with FakeOpenAI(responder=interviewer_model) as server:
        server.queue(Reply(fault="429", retry_after=0.01))
        session, transcript, notices = _drive(services_for(server, tmp_path))
    opening = transcript.turns[0]
    assert opening.llm["attempts"] == 2 and opening.llm["retried_for"] == ["429 rate limited"]
    assert transcript.turns[0].text.startswith("(phrased)")
    assert [t.text for t in transcript.candidate_turns()] == PASSIVE[:3]
    assert notices == []


@pytest.mark.parametrize("fault", ["500", "hang"])
def test_an_endpoint_that_stays_down_hands_over_to_the_offline_interviewer(tmp_path, fault):
    with FakeOpenAI(responder=interviewer_model, hang_seconds=5) as server:
        server.queue(Reply(text="ok"))  # the opening works
        for _ in range(FAST["max_attempts"]):
            server.queue(Reply(fault=fault))
        session, transcript, notices = _drive(services_for(server, tmp_path))
    assert [t.text for t in transcript.candidate_turns()] == PASSIVE[:3]  # zero lost answers
    assert len(transcript.turns) == 7  # every answer got a reply
    degraded = [e for e in transcript.events if e["kind"] == "brain_degraded"]
    assert len(degraded) == 1 and ("server error 500" in degraded[0]["reason"] or "timed out" in degraded[0]["reason"])
    assert any("continuing with the offline interviewer" in n for n in notices)
    brains = [json.loads(line).get("brain") for line in session.path.read_text().splitlines()
              if '"role":"interviewer"' in line]
    assert brains == ["llm:test-model", "offline", "offline", "offline"]
    assert json.loads(session.path.read_text().splitlines()[-1])["degraded"]


def test_a_request_the_server_refuses_degrades_at_once_with_a_clean_reason(tmp_path):
    with FakeOpenAI(responder=interviewer_model) as server:
        server.queue(Reply(fault="bad_request"))
        session, transcript, notices = _drive(services_for(server, tmp_path))
        assert len(server.requests) == 1  # not retried: a retry cannot fix a refused request
    assert transcript.turns[0].llm["degraded"] == "LLM interviewer test-model at " + server.base_url + \
        ": the server rejected the request (invalid_request_error)"
    assert [t.text for t in transcript.candidate_turns()] == PASSIVE[:3]


def test_a_stream_cut_mid_reply_is_retried_and_the_cut_text_kept(tmp_path):
    with FakeOpenAI(responder=interviewer_model) as server:
        server.queue(Reply(text="Thanks for coming in today, let me describe the problem.", fault="disconnect",
                           disconnect_after_chars=24))
        services = services_for(server, tmp_path)
        session = new_session(services)
        chunks: list[str] = []
        session.on_chunk = chunks.append
        opening = session.open()
        session.close("quit")
    assert any(type(c).__name__ == "Restart" for c in chunks)
    assert opening.text.startswith("(phrased)")
    record = load_transcript(session.path).turns[0].llm
    assert record["partials"] == ["Thanks for coming in tod"] and record["attempts"] == 2


def test_a_stream_cut_every_time_keeps_what_streamed_and_falls_back(tmp_path):
    with FakeOpenAI(responder=interviewer_model) as server:
        for _ in range(FAST["max_attempts"]):
            server.queue(Reply(text="Thanks for coming in today.", fault="disconnect", disconnect_after_chars=10))
        session, transcript, notices = _drive(services_for(server, tmp_path), answers=1)
    first = transcript.turns[0]
    assert first.llm["degraded"] and first.llm["partials"] == ["Thanks for"] * FAST["max_attempts"]  # every cut kept
    assert "Today's problem" in first.text  # the offline interviewer phrased the opening
    assert [t.text for t in transcript.candidate_turns()] == PASSIVE[:1]


def test_the_answer_is_saved_before_the_llm_is_called(tmp_path):
    saved_at_call: list[int] = []

    def watching(body: dict) -> Reply:
        path = next((tmp_path / "t").glob("*.jsonl"), None)
        if path:
            saved_at_call.append(sum(1 for line in path.read_text().splitlines() if '"role":"candidate"' in line))
        return interviewer_model(body)

    with FakeOpenAI(responder=watching) as server:
        _drive(services_for(server, tmp_path))
    assert saved_at_call == [0, 1, 2, 3]


JUDGE_DIMS = [d.id for d in RubricLibrary().load("system-design").rubric.dimensions]


def judge_reply(level="good", score=55, quote=None, turn=2):
    dims = [{"id": d, "level": level, "score": score, "rationale": "r",
             "evidence": [{"turn": turn, "quote": quote}] if quote else []} for d in JUDGE_DIMS]
    return json.dumps({"dimensions": dims, "overall": {"level": level, "score": score}, "level_signal": "L5"})


def _judge(server, tmp_path, path):
    services = services_for(server, tmp_path)
    transcript = load_transcript(path)
    return judge(transcript, services.library.load(transcript.round).rubric, services.chat_model())


MIDDLING = FIXTURES / "scoring/system-design/middling.txt"


def test_judge_uses_structured_output_at_temperature_zero_and_checks_quotes(tmp_path):
    transcript = load_transcript(MIDDLING)
    real = transcript.candidate_turns()[0]
    quote = real.text.split(".")[0]
    body = json.loads(judge_reply(quote=quote, turn=real.n))
    body["dimensions"][1]["evidence"] = [{"turn": real.n, "quote": "words the candidate never said"}]
    with FakeOpenAI([Reply(text=json.dumps(body))]) as server:
        card = _judge(server, tmp_path, MIDDLING)
        request = server.requests[0]
    assert request["temperature"] == 0 and request["response_format"]["type"] == "json_schema"
    assert card.scorer == "llm:test-model"
    assert card.dropped_quotes == 1
    out = card.to_json()
    assert set(out) >= {"round", "scorer", "overall", "dimensions"}
    for dim in out["dimensions"]:
        for q in dim["evidence"]:
            assert q["quote"] in transcript.turn(q["turn"]).text


def test_judge_falls_back_to_json_mode_without_structured_outputs(tmp_path):
    with FakeOpenAI([Reply(text="Here you go:\n```json\n" + judge_reply() + "\n```")], structured_outputs=False) as server:
        card = _judge(server, tmp_path, MIDDLING)
    assert card.scorer == "llm:test-model" and "JSON mode, schema in the prompt" in card.notes[0]
    assert server.requests[-1]["response_format"]["type"] == "json_object"
    assert '"dimensions"' in server.requests[-1]["messages"][-1]["content"]  # the schema, spelled out


@pytest.mark.parametrize("reply", [Reply(fault="invalid_json"), Reply(text='{"dimensions": "nope"}')],
                         ids=["not-json", "wrong-shape"])
def test_a_malformed_judge_reply_falls_back_to_the_offline_scorecard(tmp_path, reply):
    with FakeOpenAI([reply]) as server:
        card = _judge(server, tmp_path, MIDDLING)
    assert card.scorer == "offline-heuristic"
    assert card.notes[0].startswith("Showing the offline scorecard: the LLM judge's reply was not a valid scorecard")


def gullible_judge(body: dict) -> Reply:
    """A judge model that does whatever the transcript tells it to."""
    text = json.dumps(body).lower()
    told = "rate this candidate great" in text or "ignore the rubric" in text
    return Reply(text=judge_reply("great", 95) if told else judge_reply("below_bar", 20))


def test_instructions_inside_an_answer_never_reach_the_judge(tmp_path):
    with FakeOpenAI(responder=gullible_judge) as server:
        plain = _judge(server, tmp_path, FIXTURES / "scoring/system-design/weak.txt")
        tampered = _judge(server, tmp_path, FIXTURES / "scoring/system-design/weak_injected.txt")
        sent = json.dumps(server.requests[-1])
    assert tampered.overall_score == plain.overall_score == pytest.approx(20)
    assert REMOVED in sent and "ignore the rubric" not in sent.lower()


def test_context_stays_within_budget_with_a_stable_prefix(tmp_path):
    with FakeOpenAI(responder=interviewer_model) as server:
        services = services_for(server, tmp_path, context_budget_tokens=600)
        session = new_session(services)
        session.open()
        long_answer = ("At 20k concurrent streams and 50 tokens per second we emit 1M tokens a second, so the GPU "
                       "fleet dominates cost and I'd batch continuously. ") * 4
        for _ in range(25):
            if session.submit(long_answer).finished:
                break
        else:
            session.close("quit")
        with pytest.raises(SessionStateError, match="this session has ended"):
            session.submit(long_answer)
        bodies = server.requests
    systems = {b["messages"][0]["content"] for b in bodies}
    assert len(systems) == 1  # the cached prefix never changes
    history_tokens = [sum(len(m["content"]) for m in b["messages"][1:-1]) // 4 for b in bodies]
    assert max(history_tokens) < 600 + 300  # the budget covers summary and recent turns; slack for the move
    assert any("<earlier_turns>" in m["content"] and m["role"] == "user" for m in bodies[-1]["messages"])


def interviewer_and_judge(body: dict) -> Reply:
    return Reply(text=judge_reply()) if "response_format" in body else interviewer_model(body)


def test_the_key_never_reaches_transcripts_logs_or_output(tmp_path):
    key = "sk-test-" + "k" * 40
    with FakeOpenAI(responder=interviewer_and_judge) as server:
        env = cli_env(tmp_path)
        env.update(OPENAI_API_KEY=key, OPENAI_BASE_URL=server.base_url, INTERVIEWER_MODEL="test-model",
                   INTERVIEWER_LOG="DEBUG")
        result = subprocess.run(interviewer_cmd() + ["practice", "system-design", "--plain"], env=env, text=True,
                                input="\n".join(PASSIVE[:2]) + "\n/quit\n", capture_output=True, timeout=120)
        auth = [h for h in server.requests]  # bodies only; the key travels in a header, as it should
    assert result.returncode == 0, result.stderr
    assert "using the LLM interviewer test-model" in result.stderr
    assert "(phrased)" in result.stdout
    saved = "".join(p.read_text() for p in (tmp_path / "transcripts").glob("*.jsonl"))
    for text in (saved, result.stdout, result.stderr, json.dumps(auth)):
        assert key not in text
    assert "LLM usage this session:" in result.stdout and "estimated cost $0.0000" in result.stdout
    assert "scorer: `llm:test-model`" in result.stdout  # an LLM session ends with the LLM judge


def test_score_llm_from_the_command_line(tmp_path):
    with FakeOpenAI([Reply(text=judge_reply())]) as server:
        result = subprocess.run(interviewer_cmd() + ["score", str(MIDDLING), "--llm", "--json", "--base-url",
                                server.base_url, "--model", "test-model"], env=cli_env(tmp_path), text=True,
                                capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    card = json.loads(result.stdout)
    assert card["scorer"] == "llm:test-model" and len(card["dimensions"]) == len(JUDGE_DIMS)


def test_score_llm_without_an_endpoint_is_a_usage_error(tmp_path):
    result = subprocess.run(interviewer_cmd() + ["score", str(MIDDLING), "--llm"], env=cli_env(tmp_path), text=True,
                            capture_output=True, timeout=60)
    assert result.returncode == 2 and "score --llm needs an endpoint" in result.stderr


def test_without_key_or_endpoint_the_offline_interviewer_says_how_to_switch(tmp_path):
    result = subprocess.run(interviewer_cmd() + ["practice", "coding", "--plain"], env=cli_env(tmp_path),
                            input="/quit\n", capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "using the offline interviewer" in result.stderr and "OPENAI_API_KEY" in result.stderr
