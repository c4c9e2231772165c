"""Gates verified by checks: the engine moves on when the checks pass and the tradeoff
has been given, records every run, and never opens a gate on talk alone."""

from __future__ import annotations

import pytest

from interviewer.engine import RoundEngine

CODE = "class KVStore:\n    def __init__(self):\n        self.data = {}\n    def get(self, key):\n        return self.data.get(key)"
TRADEOFF = ("I chose lazy expiry over a background sweeper because it costs nothing on the write path, "
            "at the cost of memory held by expired keys nobody reads.")
NO_TRADEOFF = "It works now and the tests I ran are green, so I think we're fine to continue with the next part."


@pytest.fixture
def engine(library, clock):
    rubric = library.load("coding").rubric
    engine = RoundEngine(rubric, rubric.problem("kv-store"), clock=clock, checked=True)
    engine.start()
    engine.command("next")  # done clarifying: part 1 opens
    assert engine.state.gate == 1
    engine.drain_events()
    return engine


def _kinds(events, prefix="gate_"):
    return [(e["kind"], e.get("gate")) for e in events if e["kind"].startswith(prefix)]


def test_talk_alone_never_opens_the_next_gate(engine):
    for turn in range(2, 8):
        move = engine.answer(CODE + "\nget, set and delete are O(1) on average.", turn)
        assert move.kind in ("followup", "gate_hold")
    assert move.kind == "gate_hold" and move.lead == "run_checks"
    assert engine.state.gate == 1 and engine.state.gate_stage == "working"


def test_a_failing_run_is_recorded_and_the_candidate_keeps_working(engine):
    assert engine.checks_ran(1, passed=False) is None
    assert engine.checks_ran(1, passed=False) is None
    assert engine.state.gate_runs == 2 and not engine.state.gate_checks_passed


def test_a_passing_run_asks_for_the_tradeoff_then_opens_the_next_gate(engine):
    engine.checks_ran(1, passed=False)
    probe = engine.checks_ran(1, passed=True)
    assert probe.kind == "transition_probe" and probe.lead == "checks_passed"
    reveal = engine.answer(TRADEOFF, 5)
    assert reveal.kind == "gate_reveal" and reveal.gate == 2
    [passed] = [e for e in engine.drain_events() if e["kind"] == "gate_passed"]
    assert passed["runs"] == 2 and passed["checks_passed"] is True and passed["tradeoff_explained"] is True


def test_a_tradeoff_given_before_the_run_opens_the_next_gate_at_once(engine):
    engine.answer(CODE + "\n" + TRADEOFF + " Each operation is O(1); I'd test a missing key and an overwrite.", 2)
    reveal = engine.checks_ran(1, passed=True)
    assert reveal.kind == "gate_reveal" and reveal.gate == 2 and reveal.lead == "checks_passed"
    [passed] = [e for e in engine.drain_events() if e["kind"] == "gate_passed"]
    assert passed["tradeoff_explained"] is True


def test_a_question_still_open_survives_a_passing_run(engine):
    followup = engine.answer(CODE + "\n" + TRADEOFF, 2)
    assert followup.kind == "followup"  # e.g. what each operation costs
    again = engine.checks_ran(1, passed=True)
    assert again.kind == "checks_passed" and again.content == followup.content
    reveal = engine.answer("get, set and delete are each O(1) on average, since it's one dict lookup; I tested a "
                           "missing key, an overwrite and deleting a missing key.", 4)
    assert reveal.kind == "gate_reveal" and reveal.gate == 2


def test_a_transition_answer_without_a_tradeoff_is_asked_once_more(engine):
    engine.checks_ran(1, passed=True)
    again = engine.answer(NO_TRADEOFF, 3)
    assert again.kind == "press" and again.signal == "tradeoffs"  # pressed once for what it gives up
    reveal = engine.answer(NO_TRADEOFF, 5)
    assert reveal.kind == "gate_reveal" and reveal.gate == 2
    [passed] = [e for e in engine.drain_events() if e["kind"] == "gate_passed"]
    assert passed["tradeoff_explained"] is False


def test_runs_after_the_gate_is_through_or_outside_it_change_nothing(engine):
    engine.checks_ran(1, passed=True)
    assert engine.checks_ran(1, passed=False) is None  # in the transition: only counted
    assert engine.state.gate_stage == "transition"
    assert engine.checks_ran(3, passed=True) is None  # not the gate in play
    assert engine.state.gate == 1


def test_running_out_of_time_without_a_passing_run_fails_the_gate(engine, clock):
    engine.answer(CODE, 2)
    engine.checks_ran(1, passed=False)
    clock.advance(46 * 60)  # past the gates phase budget
    move = engine.answer(CODE + "\nstill debugging the delete path", 3)
    assert move.phase == "wrap-up" and move.lead == "time"
    events = engine.drain_events()
    assert ("gate_failed", 1) in _kinds(events) and ("gate_revealed", 2) not in _kinds(events)


def test_done_with_this_part_without_passing_checks_holds_then_fails(engine):
    hold = engine.command("next")
    assert hold.kind == "gate_hold" and hold.lead == "run_checks"
    after = engine.command("next")
    assert after.kind != "gate_reveal"
    assert ("gate_failed", 1) in _kinds(engine.drain_events())


def test_without_checks_the_gate_moves_on_described_work(library, clock):
    rubric = library.load("coding").rubric
    engine = RoundEngine(rubric, rubric.problem("kv-store"), clock=clock, checked=False)
    engine.start()
    engine.command("next")
    assert engine.checks_ran(1, passed=True) is None  # nothing to act on
    move = engine.command("next")
    assert move.kind == "gate_hold" and move.lead is None
