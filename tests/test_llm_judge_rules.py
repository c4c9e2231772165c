"""The LLM judge follows the offline scorer's rules, over real HTTP to the loopback server: it is told the
problem's requirements, reference facts and drill expectations; its reply can leave a dimension not
assessed, list corrections and flag answers written for another problem; the card carries all of it and
never takes a correction or a quote the candidate did not say."""

from __future__ import annotations

import json

from conftest import FIXTURES
from llm_server import FakeOpenAI, Reply
from test_llm import services_for

from interviewer.rubric import RubricLibrary
from interviewer.scoring.llm_judge import judge, response_schema
from interviewer.transcript import load_transcript, parse_text

MIDDLING = FIXTURES / "scoring/system-design/middling.txt"
DIMS = [d.id for d in RubricLibrary().load("system-design").rubric.dimensions]


def _reply(**extra) -> str:
    dims = [{"id": d, "level": "good", "score": 60, "rationale": "r", "evidence": []} for d in DIMS]
    body = {"dimensions": dims, "overall": {"level": "good", "score": 60}, "level_signal": "L5",
            "off_problem": False, "answered_instead": "", "corrections": []}
    for key, value in extra.items():
        if key == "not_assessed":
            for d in body["dimensions"]:
                if d["id"] in value:
                    d.update(level="not_assessed", score=None)
        else:
            body[key] = value
    return json.dumps(body)


def _judge(server, tmp_path, transcript):
    services = services_for(server, tmp_path)
    return judge(transcript, services.library.load(transcript.round).rubric, services.chat_model())


def test_the_judge_is_told_the_problem_its_facts_and_what_each_scale_step_should_change(tmp_path):
    transcript = load_transcript(MIDDLING)
    with FakeOpenAI([Reply(text=_reply())]) as server:
        _judge(server, tmp_path, transcript)
        [body] = server.requests
    system = body["messages"][0]["content"]
    services = services_for(server, tmp_path)
    problem = services.library.load("system-design").rubric.problem("streaming-chat")
    assert problem.requirements[0] in system
    assert "An H100 has 80 GB" in system and problem.reference_numbers[0] in system
    assert " ".join(problem.scale_drill[2].expect.split()) in system
    assert "not_assessed" in system and "off_problem" in system and "corrections" in system
    schema = json.dumps(response_schema())
    assert "not_assessed" in schema and "corrections" in schema and "off_problem" in schema


def test_a_dimension_the_judge_leaves_unassessed_is_not_assessed_on_the_card(tmp_path):
    with FakeOpenAI([Reply(text=_reply(not_assessed=["scale_thinking", "failure_modes"]))]) as server:
        card = _judge(server, tmp_path, load_transcript(MIDDLING))
    levels = {d.id: d.level for d in card.dimensions}
    assert levels["scale_thinking"] == levels["failure_modes"] == "not_assessed"
    data = card.to_json()
    assert next(d for d in data["dimensions"] if d["id"] == "failure_modes")["score"] is None
    assert card.missing == ["Scale thinking", "Failure modes"]


def test_corrections_are_kept_only_when_the_candidate_said_them(tmp_path):
    transcript = parse_text(
        "Round: system-design\nProblem: inference-serving\nLevel: L5\n\n"
        "Interviewer: How many GPUs make a replica?\n"
        "Candidate: An H100 has 16 GB, so a 70B FP16 model fits on one GPU. We shard by user id because reads are "
        "per user.\n"
    )
    said = "We shard by user id because reads are per user."
    corrections = [{"turn": 2, "claim": said, "fact": "Sharding by user id is fine; this is a made-up example."},
                   {"turn": 2, "claim": "Kafka stores the KV cache.", "fact": "It doesn't."}]
    with FakeOpenAI([Reply(text=_reply(corrections=corrections))]) as server:
        card = _judge(server, tmp_path, transcript)
    claims = [c["claim"] for c in card.corrections]
    assert "An H100 has 16 GB, so a 70B FP16 model fits on one GPU." in claims  # the offline fact check
    assert said in claims and "Kafka stores the KV cache." not in claims  # never words the candidate didn't say


def test_answers_for_another_problem_stay_below_the_bar(tmp_path):
    reply = _reply(off_problem=True, answered_instead="High-scale streaming chat")
    reply = reply.replace('"score": 60', '"score": 85').replace('"level": "good"', '"level": "great"')
    with FakeOpenAI([Reply(text=reply)]) as server:
        card = _judge(server, tmp_path, load_transcript(MIDDLING))
    assert all(d.level == "below_bar" for d in card.dimensions)
    assert card.relevance["off_problem"] and "High-scale streaming chat" in " ".join(card.notes)


def test_two_claims_against_the_facts_leave_the_judges_whole_result_below_the_bar(tmp_path):
    text = MIDDLING.read_text()
    claims = ("An H100 has 16 GB, so a 70B FP16 model fits on one GPU. "
              "It cut p99 latency by 300%, which took it well below zero.")
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("Candidate:"))
    lines[first] = f"{lines[first]} {claims}"
    transcript = parse_text("\n".join(lines))
    with FakeOpenAI([Reply(text=_reply(overall={"level": "good", "score": 60}))]) as server:
        card = _judge(server, tmp_path, transcript)
    assert len(card.corrections) >= 2
    assert card.overall_level == "below_bar" and card.overall_score < 40 and card.level_signal == "below L4"
    system = server.requests[0]["messages"][0]["content"]
    assert "restates its claim" in system and "two or more leave it below the bar" in system
