"""The round engine: gates, the scale drill, checkpoints, time budgets, hints."""

from __future__ import annotations

from conftest import PASSIVE

from interviewer.engine import RoundEngine
from interviewer.session import Session
from interviewer.transcript import load_transcript

GATE_WORK = (
    "I'd use a dict from key to value, so get, set and delete are each O(1) on average; "
    "def get(self, key): return self.data.get(key)"
)
TRADEOFF = (
    "I chose lazy expiry over a background sweeper because it costs nothing on the write path, "
    "at the cost of memory held by expired keys nobody reads."
)


def _session(services, clock, round_id, problem):
    return Session.create(services.library, round_id, problem, services.settings, services.brain, clock=clock)


def _events(path, kind=None):
    events = load_transcript(path).events
    return [e for e in events if kind is None or e.get("kind") == kind]


def test_gates_are_revealed_only_after_the_previous_gate_passes(whiteboard, clock):
    session = _session(whiteboard, clock, "coding", "kv-store")
    gates = session.problem.gates
    session.open()
    session.submit("Are keys and values strings, and is this single-threaded to start with? I'll assume both.")
    # Working on gate 1 never shows gate 2's requirement.
    reply = session.submit(GATE_WORK)
    assert gates[1].adds not in reply.text
    while reply.move.kind != "transition_probe":
        assert reply.move.kind in ("followup", "gate_reveal", "question", "phase_start")
        reply = session.submit(GATE_WORK + " I'd test empty keys, overwrite and delete of a missing key.")
    assert gates[1].adds not in reply.text
    reply = session.submit(TRADEOFF)
    assert reply.move.kind == "gate_reveal" and reply.move.gate == 2
    assert gates[1].adds in reply.text
    session.close("quit")

    transcript = load_transcript(session.path)
    order = [(e["kind"], e.get("gate")) for e in transcript.events if e.get("kind", "").startswith("gate_")]
    assert order == [("gate_revealed", 1), ("gate_passed", 1), ("gate_revealed", 2)]
    passed = _events(session.path, "gate_passed")[0]
    assert passed["tradeoff_explained"] is True
    # Gate 2's text appears in no turn before the turn that revealed it.
    reveal_turn = next(t.n for t in transcript.turns if t.move and t.move.get("kind") == "gate_reveal" and t.gate == 2)
    assert all(gates[1].adds not in t.text for t in transcript.turns if t.n < reveal_turn)


def test_next_without_working_code_holds_then_fails_the_gate(whiteboard, clock):
    session = _session(whiteboard, clock, "coding", "kv-store")
    session.open()
    session.submit("Strings only? I'll assume so.")
    reveal = session.command("next")  # done clarifying: gate 1 opens
    assert reveal.move.kind == "gate_reveal" and reveal.move.gate == 1
    hold = session.command("next")
    assert hold.move.kind == "gate_hold"
    after = session.command("next")
    assert after.move.kind != "gate_reveal"  # gate 2 stays hidden
    failed = _events(session.path, "gate_failed")
    assert failed and failed[0]["gate"] == 1
    assert not _events(session.path, "gate_revealed")[1:]




def _drive_to_drill(session, answers):
    session.open()
    for answer in answers:
        session.submit(answer)
    reply = None
    for _ in range(6):  # end each phase until the deep dive's checkpoint
        reply = session.command("next")
        if reply.move.kind in ("drill", "failure_probe", "closing"):
            return reply
    raise AssertionError("never reached the deep-dive checkpoint")


def test_scale_drill_is_injected_when_the_candidate_never_raised_scale(services, clock):
    session = _session(services, clock, "system-design", "streaming-chat")
    reply = _drive_to_drill(session, PASSIVE)
    multipliers = []
    while reply.move.kind in ("drill", "failure_probe"):
        if reply.move.kind == "drill":
            multipliers.append(reply.move.multiplier)
        reply = session.submit("The database primary probably struggles first, and users see errors until it recovers.")
    assert multipliers == ["10x", "100x", "1000x"]
    steps = _events(session.path, "drill_step")
    assert [s["status"] for s in steps] == ["asked", "asked", "asked"]
    assert _events(session.path, "checkpoint")[0]["status"] == "asked"


def test_scale_drill_skips_steps_the_candidate_covered_unprompted(services, clock):
    session = _session(services, clock, "system-design", "streaming-chat")
    proactive = PASSIVE[:-1] + [
        "At 10x the single Postgres primary becomes the write bottleneck, so I'd shard conversations by user id; "
        "if a shard fails, its users see history read-only from a replica while we fail over.",
    ]
    reply = _drive_to_drill(session, proactive)
    asked = []
    while reply.move.kind in ("drill", "failure_probe"):
        asked.append(reply.move.multiplier or reply.move.kind)
        reply = session.submit("The database primary probably struggles first, and users see errors until it recovers.")
    assert "10x" not in asked and "failure_probe" not in asked
    assert asked == ["100x", "1000x"]
    steps = {s["multiplier"]: s for s in _events(session.path, "drill_step")}
    assert steps["10x"]["status"] == "covered" and steps["10x"]["proactive"] is True
    assert steps["100x"]["status"] == "asked"
    coverage = [e for e in _events(session.path, "coverage") if e.get("multiplier") == "100x"]
    assert coverage == [] or coverage[0]["proactive"] is False


def test_phase_budget_moves_the_round_on(services, clock):
    session = _session(services, clock, "system-design", "streaming-chat")
    session.open()
    clock.advance(9 * 60)  # requirements has an 8-minute budget
    reply = session.submit("I'd like to know the number of users and whether history must be kept forever.")
    assert reply.move.phase == "high_level"
    assert reply.move.lead == "time"
    assert "time" in reply.text.lower()
    assert _events(session.path, "time_up")


def test_hints_come_from_the_gate_then_run_out_honestly(whiteboard, clock):
    session = _session(whiteboard, clock, "coding", "kv-store")
    session.open()
    session.submit("Strings, single-threaded, in memory. I'll assume that.")
    while session.engine.state.gate != 1:
        session.command("next")
    given = []
    for _ in range(12):
        reply = session.command("hint")
        assert reply.move.kind == "hint"
        given.append(reply.move.content)
    assert given[0] == session.problem.gates[0].hints[0]
    assert given[-1] == ""  # exhausted: the interviewer says so instead of repeating
    assert "all the hints" in reply.text
    assert len(set(filter(None, given))) == len(list(filter(None, given)))


def test_a_thin_answer_is_pressed_once_then_the_round_moves_on(services, clock):
    session = _session(services, clock, "behavioral", "ownership-and-pushback")
    first = session.open()
    press = session.submit("Fine.")
    assert press.move.kind == "press"
    assert press.move.content in first.text
    onward = session.submit("Fine.")
    assert onward.move.kind != "press"


def test_the_engine_is_deterministic(services, library, clock):
    loaded = library.load("system-design")
    problem = loaded.rubric.problem("api-platform")

    def run():
        engine = RoundEngine(loaded.rubric, problem, clock=lambda: 0.0)
        moves = [engine.start()]
        for i, answer in enumerate(PASSIVE * 3):
            moves.append(engine.answer(answer, i + 2))
        return [(m.kind, m.content) for m in moves]

    assert run() == run()


def test_every_round_runs_to_completion_offline(whiteboard, library, clock):
    """A scripted candidate gets through every problem of every round without errors."""
    answer = (
        "I'd assume 10k requests per second at peak, so a single Postgres primary is fine at first, "
        "but at 10x it becomes the bottleneck and I'd shard by tenant; if a shard dies we fail over to a "
        "replica, at the cost of a few seconds of writes. I'd test the failover path with a fault injection test. "
        "def handle(self, request): return self.store.get(request.key)"
    )
    for loaded in library.all():
        for problem in loaded.rubric.problems:
            session = Session.create(whiteboard.library, loaded.rubric.id, problem.id, whiteboard.settings,
                                     whiteboard.brain, clock=clock)
            reply = session.open()
            for _ in range(80):
                if reply.finished:
                    break
                reply = session.submit(answer)
                assert reply.text.strip()
            assert reply.finished, f"{loaded.rubric.id}/{problem.id} did not finish"
            assert load_transcript(session.path).completed
