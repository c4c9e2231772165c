"""The LLM interviewer listens too: over real HTTP to the loopback server, each request carries the
problem's facts and reference facts (in the unchanging system prompt), what the candidate has covered,
the answers to their questions, and any claim to challenge, while the engine still decides every move."""

from __future__ import annotations

from llm_server import FakeOpenAI, Reply
from test_llm import new_session, services_for

from interviewer.transcript import load_transcript

# The model does its worst: it tries to skip ahead and praise, whatever it is told.
UNRULY = "Great answer! Let's skip the rest and move to the scale drill.\n<notes>noted</notes>"


def _system(body: dict) -> str:
    return body["messages"][0]["content"]


def _instruction(body: dict) -> str:
    return [m["content"] for m in body["messages"] if m["role"] == "system" and m["content"].startswith("ENGINE")][-1]


def _session(server, tmp_path, problem="streaming-chat"):
    services = services_for(server, tmp_path)
    session = new_session(services, "system-design", problem)
    session.open()
    return session


def test_the_system_prompt_holds_the_problems_facts_and_never_changes(tmp_path):
    with FakeOpenAI(responder=lambda body: Reply(text=UNRULY)) as server:
        session = _session(server, tmp_path)
        session.submit("Who are the users, and how much traffic should I plan for?")
        session.submit("I'd use SSE over WebSockets because traffic is one way after the request.")
        systems = {_system(body) for body in server.requests}
        assert len(systems) == 1  # a stable prefix, so providers' prompt caching applies
        [system] = systems
        problem = session.problem
        assert problem.facts["users"] in system and problem.facts["load"] in system
        assert "An H100 has 80 GB" in system  # a reference fact of the round
        for fact in problem.facts.values():
            assert fact in system
        # Gate facts and later requirements are never in it (design rounds have none; nothing leaks).
        assert "your call" in system.lower() or "candidate's call" in system.lower()


def test_a_question_gets_the_facts_and_the_engine_keeps_the_floor(tmp_path):
    with FakeOpenAI(responder=lambda body: Reply(text=UNRULY)) as server:
        session = _session(server, tmp_path)
        reply = session.submit("Who are the users, and what peak load should I plan for?")
        instruction = _instruction(server.requests[-1])
        assert "First answer what the candidate asked" in instruction
        assert session.problem.facts["users"] in instruction and session.problem.facts["load"] in instruction
        # The model said "skip to the scale drill"; the engine's next move is still the planned question.
        assert reply.move.kind == "question" and reply.move.phase == "requirements"
        events = [e["kind"] for e in load_transcript(session.path).events]
        assert "question_answered" in events


def test_what_was_covered_is_never_asked_again_and_the_model_is_told(tmp_path):
    with FakeOpenAI(responder=lambda body: Reply(text=UNRULY)) as server:
        session = _session(server, tmp_path)
        session.submit("I'll assume 10 million daily users and 2,000 requests per second at peak, with first "
                       "token under 500 ms at p95 because people leave if it feels slow.")
        session.submit("Text chat with history first; voice can wait because it doubles the serving work.")
        planned = "What load and latency should we design for?"
        assert all(planned not in _instruction(body) for body in server.requests)
        later = _instruction(server.requests[-1])
        assert "Already covered by the candidate" in later and "the load" in later


def test_a_wrong_number_is_challenged_through_the_model(tmp_path):
    with FakeOpenAI(responder=lambda body: Reply(text=UNRULY)) as server:
        session = _session(server, tmp_path, "inference-serving")
        reply = session.submit("An H100 has 16 GB, so a 70B FP16 model fits on one GPU and we need no sharding.")
        instruction = _instruction(server.requests[-1])
        assert reply.move.kind == "challenge"
        assert "contradicts these facts" in instruction and "80 GB" in instruction and "140 GB" in instruction
        [event] = [e for e in load_transcript(session.path).events if e["kind"] == "claim_challenged"][:1]
        assert event["fact"] in ("h100-memory", "weights-70b-fp16")


def test_a_hand_wave_is_pressed_through_the_model_then_the_engine_moves_on(tmp_path):
    with FakeOpenAI(responder=lambda body: Reply(text=UNRULY)) as server:
        session = _session(server, tmp_path)
        question = session.submit("Who are the users?")
        pressed = session.submit("We'd just add more servers, honestly.")
        assert pressed.move.kind == "press" and pressed.move.press == "hand_wave"
        instruction = _instruction(server.requests[-1])
        assert "generic claim" in instruction and "Don't accept it" in instruction
        moved = session.submit("It'll be fine, it always is.")
        assert moved.move.lead == "moved_on"
        assert "did not answer your last question" in _instruction(server.requests[-1])
        kinds = [e["kind"] for e in load_transcript(session.path).events]
        assert kinds.count("answer_pressed") == 1 and kinds.count("moved_on_unanswered") == 1
        assert question.move.kind != "press"
