"""The LLM path against servers as they really behave, played by the loopback server's quirk profiles:
structured output that degrades by what the server accepts, output caps on every call, context-length
refusals named with their fix, and streams that end without saying so."""

from __future__ import annotations

import json
import subprocess

import pytest
from conftest import FIXTURES, cli_env, interviewer_cmd
from llm_server import PROFILES, FakeOpenAI, Reply
from test_llm import FAST, judge_reply

from interviewer.llm import system_probe
from interviewer.llm.messages import estimate_tokens
from interviewer.scoring.llm_judge import judge
from interviewer.services import build_services
from interviewer.transcript import load_transcript

MIDDLING = FIXTURES / "scoring/system-design/middling.txt"
# The fake counts four characters a token, and "Say hello." is 3 of them with or without the system message.
DROPPED_NOTICE = (f"the server's chat template drops system messages (a {estimate_tokens(system_probe.SYSTEM)}-token "
                  "system message added 0 prompt tokens (3 without it, 3 with it)); sending them inside user turns "
                  "for the rest of the session")


def _services(server, tmp_path, **llm):
    return build_services(base_url=server.base_url, model="test-model", transcripts_dir=tmp_path / "t",
                          llm={**FAST, **llm})


def _judge(model, services, path=MIDDLING):
    transcript = load_transcript(path)
    return judge(transcript, services.library.load(transcript.round).rubric, model)


def test_a_500_naming_response_format_degrades_to_json_mode_and_is_remembered(tmp_path):
    """llama-cpp-python answers json_schema with a 500; that is a refusal, not an outage to retry."""
    profile = {**PROFILES["llama-cpp-python"], "context_window": 32_768}  # the judge's fit is tested on its own
    with FakeOpenAI([Reply(text=judge_reply()), Reply(text=judge_reply())], **profile) as server:
        services = _services(server, tmp_path)
        model = services.chat_model()
        first = _judge(model, services)
        second = _judge(model, services)
        kinds = [r.get("response_format", {}).get("type") for r in server.requests]
    assert kinds == ["json_schema", "json_object", "json_object"]  # refused once, then asked the simpler way
    assert first.scorer == second.scorer == "llm:test-model"
    assert "JSON mode, schema in the prompt" in first.notes[0]
    assert server.requests[1]["response_format"]["schema"]["required"]  # llama.cpp servers make it a grammar


def test_a_server_refusing_every_response_format_gets_the_schema_in_the_prompt(tmp_path):
    with FakeOpenAI([Reply(text="```json\n" + judge_reply() + "\n```")], **PROFILES["no-response-format"]) as server:
        services = _services(server, tmp_path)
        card = _judge(services.chat_model(), services)
        kinds = [r.get("response_format", {}).get("type") for r in server.requests]
    assert kinds == ["json_schema", "json_object", None]
    assert card.scorer == "llm:test-model" and "plain JSON, schema in the prompt" in card.notes[0]
    assert "matching" not in card.notes[0] and '"overall"' in server.requests[-1]["messages"][-1]["content"]


def test_score_llm_exits_3_with_the_offline_card_when_the_judge_did_not_run(tmp_path):
    with FakeOpenAI([Reply(fault="500")] * FAST["max_attempts"]) as server:
        env = cli_env(tmp_path)
        env["INTERVIEWER_CONFIG"] = str(tmp_path / "config.toml")
        (tmp_path / "config.toml").write_text("[llm]\nbackoff_base_s = 0.01\nbackoff_max_s = 0.02\n")
        result = subprocess.run(interviewer_cmd() + ["score", str(MIDDLING), "--llm", "--json", "--base-url",
                                server.base_url, "--model", "test-model"], env=env, text=True,
                                capture_output=True, timeout=60)
    assert result.returncode == 3, result.stderr
    card = json.loads(result.stdout)
    assert card["scorer"] == "offline-heuristic"
    assert "server error 500" in card["llm_judge_skipped"]["reason"] and card["llm_judge_skipped"]["at"]
    assert "the LLM judge did not run" in result.stderr and "exit 3" in result.stderr


def _session(services):
    from test_llm import new_session

    session = new_session(services)
    notices: list[str] = []
    session.on_notice = notices.append
    return session, notices


def test_every_call_carries_its_cap_from_the_settings_or_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERVIEWER_LLM_JUDGE_MAX_TOKENS", "1500")
    with FakeOpenAI(responder=lambda body: Reply(text=judge_reply() if "response_format" in body else "Hello.")) \
            as server:
        services = _services(server, tmp_path, reply_max_tokens=120)
        session, _ = _session(services)
        session.open()
        session.submit("I'd start from the requirements.")
        session.close("quit")
        session.scorecard()
        caps = [(("judge" if "response_format" in r else "reply"), r.get("max_tokens")) for r in server.requests]
    assert caps == [("reply", 120), ("reply", 120), ("judge", 1500)]


def test_a_bad_cap_in_the_environment_is_one_line_naming_the_variable(tmp_path):
    env = {**cli_env(tmp_path), "INTERVIEWER_LLM_REPLY_MAX_TOKENS": "lots", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
    result = subprocess.run(interviewer_cmd() + ["practice", "coding", "--plain"], env=env, input="/quit\n",
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == ("interviewer: error: INTERVIEWER_LLM_REPLY_MAX_TOKENS is 'lots'; "
                                                      "use a whole number from 16 to 32000")


def test_a_reply_that_reaches_its_cap_is_kept_and_recorded(tmp_path):
    with FakeOpenAI([Reply(text="word " * 100)]) as server:
        services = _services(server, tmp_path, reply_max_tokens=20)
        session, _ = _session(services)
        reply = session.open()
        session.close("quit")
    assert len(reply.text) <= 80
    assert load_transcript(session.path).turns[0].llm["finish_reason"] == "length"


@pytest.mark.parametrize("profile", ["llama-cpp-python", "llama-server"])
def test_a_context_length_refusal_is_named_with_its_fix(tmp_path, profile):
    with FakeOpenAI(**{**PROFILES[profile], "context_window": 1024}) as server:
        services = _services(server, tmp_path)
        session, notices = _session(services)
        session.open()
        session.close("quit")
        assert len(server.requests) == 1  # not retried: the same prompt cannot fit the next time either
    reason = load_transcript(session.path).turns[0].llm["degraded"]
    assert reason.endswith("the prompt is longer than the model's context window (context_length_exceeded); lower "
                           "llm.context_budget_tokens or llm.reply_max_tokens, or give the server a larger context "
                           "(llama.cpp: --ctx-size; Ollama: num_ctx)")
    assert "\n" not in reason and any(reason in n for n in notices)


def test_a_stream_that_ends_without_finish_or_done_is_a_cut_retried_and_kept(tmp_path):
    with FakeOpenAI([Reply(text="Thanks for coming in today, let me describe", fault="end_early",
                           disconnect_after_chars=17)], responder=lambda body: Reply(text="Welcome. The problem:")) \
            as server:
        services = _services(server, tmp_path)
        session, notices = _session(services)
        opening = session.open()
        session.close("quit")
    record = load_transcript(session.path).turns[0].llm
    assert opening.text == "Welcome. The problem:"
    assert record["partials"] == ["Thanks for coming"] and record["retried_for"] == ["stream cut after 17 characters"]
    assert notices == ["connection dropped mid-reply; retrying"]


def test_a_stream_with_a_finish_but_no_done_is_whole(tmp_path):
    with FakeOpenAI([Reply(text="Welcome. The problem:")], **PROFILES["no-done-no-usage"]) as server:
        services = _services(server, tmp_path)
        session, _ = _session(services)
        session.open()
        session.close("quit")
    record = load_transcript(session.path).turns[0].llm
    assert record["attempts"] == 1 and record["usage_reported"] is False


def test_system_messages_fold_into_user_turns_for_templates_that_drop_them(tmp_path):
    seen: list[list[dict]] = []

    def model(body: dict) -> Reply:
        seen.append(body["messages"])  # what the model is given, after the template dropped system messages
        return Reply(text="Welcome.")

    for fold in (False, True):
        with FakeOpenAI(responder=model, **PROFILES["llama-cpp-python"]) as server:
            session, _ = _session(_services(server, tmp_path, fold_system=fold))
            session.open()
            session.submit("I'd start from the requirements.")
            session.close("quit")
    unfolded, folded = seen[:2], seen[2:]
    assert not any("ENGINE INSTRUCTION" in m["content"] for body in unfolded for m in body)
    for body in folded:
        assert body[0]["role"] == "user" and "You are" in body[0]["content"]
        assert "ENGINE INSTRUCTION" in body[-1]["content"] and body[-1]["role"] == "user"
        roles = [m["role"] for m in body]
        assert all(a != b for a, b in zip(roles, roles[1:]))  # roles still alternate


def test_after_a_fall_back_the_llm_is_tried_again_after_a_back_off_and_says_it_is_back(tmp_path):
    from conftest import PASSIVE, FakeClock

    from interviewer.session import Session

    clock = FakeClock()
    with FakeOpenAI(responder=lambda body: Reply(text="(phrased) next question?")) as server:
        server.queue(Reply(text="Welcome."), *[Reply(fault="500")] * FAST["max_attempts"])
        services = _services(server, tmp_path)
        session = Session.create(services.library, "system-design", "streaming-chat", services.settings,
                                 services.brain, clock=clock)
        notices: list[str] = []
        session.on_notice = notices.append
        session.open()
        session.submit(PASSIVE[0])  # the endpoint fails: offline from here
        clock.advance(30)
        session.submit(PASSIVE[1])  # still within the back-off: offline, the endpoint is not asked
        asked = len(server.requests)
        clock.advance(31)
        back = session.submit(PASSIVE[2])  # the back-off has passed: asked again, and it answers
        card, transcript = session.scorecard()
    assert asked == 1 + FAST["max_attempts"]
    assert back.text == "(phrased) next question?"
    brains = [json.loads(line).get("brain") for line in session.path.read_text().splitlines()
              if '"role":"interviewer"' in line]
    assert brains == ["llm:test-model", "offline", "offline", "llm:test-model"]
    assert "trying the LLM again in 60 s" in notices[0]
    assert notices[-1] == "llm:test-model answers again; the LLM interviewer is back"
    assert [e["kind"] for e in transcript.events if e["kind"].startswith("brain_")] == ["brain_degraded",
                                                                                      "brain_restored"]


def test_the_scorecard_says_when_and_why_the_llm_judge_was_skipped(tmp_path):
    from conftest import PASSIVE

    with FakeOpenAI(responder=lambda body: Reply(fault="500")) as server:
        server.queue(Reply(text="Welcome."))
        session, _ = _session(_services(server, tmp_path))
        session.open()
        session.submit(PASSIVE[0])
        session.close("quit")
        asked = len(server.requests)
        card, _ = session.scorecard()
        assert len(server.requests) == asked  # the endpoint that just failed is not waited on again
    assert card.scorer == "offline-heuristic"
    assert "server error 500" in card.judge_skipped["reason"] and card.judge_skipped["at"]
    assert card.notes[0].startswith("Showing the offline scorecard: the LLM was not used, it failed during the session")


def test_a_long_session_is_judged_within_the_context_window_by_evidence_per_dimension(tmp_path):
    from interviewer.transcript import parse_text

    answer = ("At 20k concurrent streams and 50 tokens per second we emit 1M tokens a second, so I'd batch "
              "continuously on the GPU fleet and shard history by user id; if a shard fails we read from a replica. ")
    turns = "".join(f"Interviewer: What about part {n}?\n\nCandidate: {answer * 6}\n\n" for n in range(40))
    transcript = parse_text(f"Round: system-design\nProblem: streaming-chat\n\n{turns}")
    (tmp_path / "long.txt").write_text(f"Round: system-design\nProblem: streaming-chat\n\n{turns}")
    with FakeOpenAI([Reply(text=judge_reply())], **{**PROFILES["llama-cpp-python"], "context_window": 8192}) as server:
        services = _services(server, tmp_path)  # llm.context_window_tokens defaults to 8192
        card = _judge(services.chat_model(), services, tmp_path / "long.txt")
        [refused, body] = server.requests  # json_schema refused with a 500, then JSON mode
    assert sum(len(t.text) for t in transcript.turns) // 4 > 8192  # it could never have gone whole
    sent = sum(len(m["content"]) for m in body["messages"]) // 4
    assert sent + body["max_tokens"] <= 8192 and body["stream"] is True
    assert card.scorer == "llm:test-model"
    assert "left out to fit the model's context" in body["messages"][-1]["content"]


def test_a_judge_past_its_deadline_is_given_up_and_its_stream_closed(tmp_path):
    slow = Reply(text=judge_reply(), chunk_chars=2, chunk_delay=0.05)  # about 20 s to send it all
    with FakeOpenAI([slow]) as server:
        services = _services(server, tmp_path, judge_timeout_s=1.0, max_attempts=1)
        card = _judge(services.chat_model(), services)
        assert server.abandoned.wait(5)  # the server saw the client go: a local one stops generating
    assert card.scorer == "offline-heuristic"
    assert "did not finish within llm.judge_timeout_s = 1 s" in card.judge_skipped["reason"]


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_a_session_and_its_judge_stay_on_the_llm_on_every_server_profile(tmp_path, profile):
    from conftest import PASSIVE

    def model(body: dict) -> Reply:
        said = json.dumps(body["messages"])
        if "Score this interview" in said:
            return Reply(text=judge_reply())
        assert "ENGINE INSTRUCTION" in said  # the model sees the engine's move, whatever the template drops
        return Reply(text="(phrased) Go on?")

    settings = PROFILES[profile]
    with FakeOpenAI(responder=model, **{**settings, "context_window": 8192 if "context_window" in settings else None}) \
            as server:
        services = _services(server, tmp_path)  # llm.fold_system left to measure: "auto"
        session, notices = _session(services)
        session.open()
        for answer in PASSIVE[:3]:
            session.submit(answer)
        session.close("quit")
        card, transcript = session.scorecard()
    assert not [e for e in transcript.events if e["kind"] == "brain_degraded"]
    assert card.scorer == "llm:test-model", card.notes[:1]
    drops = "drops_system" in settings.get("quirks", ())
    assert notices == ([DROPPED_NOTICE] if drops and "no_usage" not in settings.get("quirks", ()) else [])


def test_a_template_that_drops_system_messages_is_measured_and_folded_from_the_first_call(tmp_path):
    """llama-cpp-python's Gemma template drops system messages and reports usage only when not streaming:
    two one-token requests, with and without a system message, tell it before the opening is asked for."""
    seen: list[list[dict]] = []

    def model(body: dict) -> Reply:
        seen.append(body["messages"])  # what the model is given, after the template dropped system messages
        return Reply(text=judge_reply() if "Score this interview" in json.dumps(body) else "Welcome.")

    with FakeOpenAI(responder=model, **{**PROFILES["llama-cpp-python"], "context_window": 32_768}) as server:
        session, notices = _session(_services(server, tmp_path))
        session.open()
        session.submit("I'd start from the requirements.")
        session.close("quit")
        card, transcript = session.scorecard()
        probes = server.probes
    assert [len(p["messages"]) for p in probes] == [1, 2] and all(p["max_tokens"] == 1 for p in probes)
    assert len(seen) == 3 and all("ENGINE INSTRUCTION" in json.dumps(body) for body in seen[:2])
    assert all(m["role"] != "system" for body in seen for m in body)
    assert "Score this interview" in json.dumps(seen[2]) and "You are" in seen[2][0]["content"]  # the judge too
    assert notices == [DROPPED_NOTICE]  # said once, for the whole session
    [event] = [e for e in transcript.events if e["kind"] == "llm_adapted"]
    assert event["finding"] == DROPPED_NOTICE and event["after_turn"] == 0
    assert card.scorer == "llm:test-model" and "chat template drops system messages" in card.notes[1]


@pytest.mark.parametrize("profile", ["openai", "no-done-no-usage"])
def test_a_template_that_keeps_them_or_a_server_without_usage_is_sent_system_messages_as_they_are(tmp_path, profile):
    with FakeOpenAI(responder=lambda body: Reply(text="Welcome."), **PROFILES[profile]) as server:
        session, notices = _session(_services(server, tmp_path))
        session.open()
        session.submit("I'd start from the requirements.")
        session.close("quit")
        probes, requests = server.probes, server.requests
    # Measured once, not again at the second call; without usage in the first answer there is nothing to compare.
    assert len(probes) == (1 if profile == "no-done-no-usage" else 2)
    assert all(body["messages"][0]["role"] == "system" for body in requests)
    assert notices == []


def test_fold_system_set_either_way_is_not_measured(tmp_path):
    for fold in (True, False):
        with FakeOpenAI(responder=lambda body: Reply(text="Welcome."), **PROFILES["llama-cpp-python"]) as server:
            session, notices = _session(_services(server, tmp_path, fold_system=fold))
            session.open()
            session.close("quit")
            assert server.probes == [] and notices == []
            assert (server.requests[0]["messages"][0]["role"] == "user") is fold


@pytest.mark.parametrize("first", ["down", "refused"])
def test_a_probe_the_server_cannot_answer_yet_is_tried_again_and_one_it_refuses_is_not(tmp_path, first):
    with FakeOpenAI(responder=lambda body: Reply(text="Welcome."), **PROFILES["llama-cpp-python"]) as server:
        model = _services(server, tmp_path).chat_model()
        real = model.client.chat.completions.create
        calls = []

        def fails_once(**kwargs):
            calls.append(kwargs["stream"])
            if len(calls) == 1:
                if first == "down":
                    # A real request: newer clients read its headers when the error is built.
                    import httpx2

                    raise model._openai.APIConnectionError(request=httpx2.Request("POST", server.base_url))
                raise ValueError("refused")  # neither an outage nor a timeout: a retry would not help
            return real(**kwargs)

        model.client.chat.completions.create = fails_once
        messages = [{"role": "system", "content": system_probe.SYSTEM}, {"role": "user", "content": "Hi"}]
        assert "".join(model.stream(messages)) == "Welcome."
        assert model.fold is (None if first == "down" else False)  # a failure settles nothing; a refusal does
        assert "".join(model.stream(messages)) == "Welcome."
    if first == "down":
        assert model.fold is True and calls == [False, True, False, False, True]
    else:
        assert model.fold is False and calls == [False, True, True]


def _longest(schema: dict):
    """The longest instance a grammar built from `schema` allows: every list full, every string at its limit."""
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return max(schema["enum"], key=lambda v: len(json.dumps(v)))
    if "anyOf" in schema:
        return max((_longest(s) for s in schema["anyOf"]), key=lambda v: len(json.dumps(v)))
    kind = schema.get("type")
    if kind == "object":
        return {name: _longest(s) for name, s in schema["properties"].items()}
    if kind == "array":
        if "prefixItems" in schema:
            return [_longest(s) for s in schema["prefixItems"]]
        return [_longest(schema["items"])] * schema["maxItems"]
    return {"string": lambda: "x" * schema["maxLength"], "integer": lambda: 9999, "boolean": lambda: False,
            "null": lambda: None}[kind]()


@pytest.mark.parametrize("cap", [800, 2000, 4000])
def test_in_json_mode_the_judge_is_held_to_the_rubric_and_to_what_fits_its_cap(tmp_path, cap):
    """llama.cpp servers turn the JSON-mode schema into a grammar: one entry per dimension with its id fixed, scores
    0-100, and a longest reply (at three characters a token, a low count for English JSON) within the cap."""
    from interviewer.scoring.judge_schema import CHARS_PER_TOKEN, JudgeReply

    with FakeOpenAI([Reply(text=judge_reply())], **{**PROFILES["llama-cpp-python"], "context_window": 32_768}) \
            as server:
        # The server holds 32k tokens and the settings say so: what is tested here is the grammar, not the fit.
        services = _services(server, tmp_path, judge_max_tokens=cap, context_window_tokens=32_768)
        card = _judge(services.chat_model(), services)
        grammar = server.requests[-1]["response_format"]["schema"]
    rubric = services.library.load("system-design").rubric
    dims = grammar["properties"]["dimensions"]
    assert [d["properties"]["id"]["const"] for d in dims["prefixItems"]] == [d.id for d in rubric.dimensions]
    assert dims["prefixItems"][0]["properties"]["score"]["anyOf"][0]["enum"] == list(range(101))
    longest = _longest(grammar)
    JudgeReply.model_validate(longest)  # whatever the grammar allows is a scorecard
    assert len(json.dumps(longest)) <= cap * CHARS_PER_TOKEN
    assert card.scorer == "llm:test-model"


def test_a_judge_reply_cut_at_its_cap_says_so_and_names_the_setting(tmp_path):
    long = judge_reply().replace('"rationale": "r"', '"rationale": "' + "a long rationale " * 20 + '"')
    with FakeOpenAI([Reply(text=long)]) as server:  # the fake cuts a reply longer than max_tokens
        services = _services(server, tmp_path, judge_max_tokens=256)
        card = _judge(services.chat_model(), services)
    assert card.scorer == "offline-heuristic"
    assert card.judge_skipped["reason"].startswith("the LLM judge's reply reached llm.judge_max_tokens = 256 before "
                                                   "its JSON ended")
    assert card.judge_skipped["reason"].endswith("; raise llm.judge_max_tokens")
