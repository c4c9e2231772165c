"""Coding rounds run the candidate's code: a session records every run, and the round
moves on only when the part's checks pass and the tradeoff has been given."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import cli_env, interviewer_cmd

from interviewer.errors import AnswerError
from interviewer.scoring import score
from interviewer.session import Session
from interviewer.transcript import load_transcript

REFERENCES = Path(__file__).resolve().parent / "references" / "coding" / "kv-store"
TRADEOFF = ("I chose to keep it a plain dict behind a small class instead of a more general structure, which costs "
            "nothing now but means adding expiry later needs a second structure.")
BROKEN = "class KVStore:\n    def __init__(self):\n        self.d = {}\n    def set(self, k, v):\n        self.d[k] = v\n"


def reference(gate: int) -> str:
    return (REFERENCES / f"gate{gate}.py").read_text(encoding="utf-8")


@pytest.fixture
def session(services, clock):
    session = Session.create(services.library, "coding", "kv-store", services.settings, services.brain, clock=clock)
    session.open()
    return session


def _events(session, kind):
    return [e for e in load_transcript(session.path).events if e.get("kind") == kind]


def test_checks_cannot_run_before_part_one_opens(session):
    with pytest.raises(AnswerError, match="part 1"):
        session.run_checks(reference(1))


def test_a_part_lists_its_checks_and_opens_the_next_only_on_a_passing_run(session, clock):
    assert session.checked
    reveal = session.command("next")  # done clarifying: part 1 opens
    assert reveal.move.kind == "gate_reveal" and reveal.move.gate == 1
    [revealed] = _events(session, "gate_revealed")
    assert revealed["checks"] == [c.description for c in session.gate_checks(1)] and revealed["checks"]

    failing = session.run_checks(BROKEN)
    assert failing.result.status == "failed" and failing.reply is None
    assert failing.summary["passed"] < failing.summary["total"]
    assert any("get" in c["message"] for c in failing.summary["checks"] if not c["passed"])

    clock.advance(120)
    passing = session.run_checks(reference(1))
    assert passing.result.status == "passed"
    assert passing.reply.move.kind == "transition_probe" and "checks pass" in passing.reply.text.lower()
    reveal = session.submit(TRADEOFF)
    assert reveal.move.kind == "gate_reveal" and reveal.move.gate == 2
    assert session.problem.gates[1].adds in reveal.text

    runs = _events(session, "checks_run")
    assert [(r["gate"], r["status"]) for r in runs] == [(1, "failed"), (1, "passed")]
    snapshots = {e["sha256"] for e in _events(session, "code_snapshot")}
    assert {r["code_sha256"] for r in runs} <= snapshots  # each run names the code it ran
    assert runs[1]["t"] >= 120
    [passed] = _events(session, "gate_passed")
    assert passed["runs"] == 2 and passed["tradeoff_explained"] is True


def test_the_previous_parts_code_fails_the_new_part(session):
    session.command("next")
    session.run_checks(reference(1))
    session.submit(TRADEOFF)
    stale = session.run_checks(reference(1))  # part 2 adds TTLs; part 1's code cannot pass
    assert stale.result.status == "failed" and stale.reply is None
    assert session.engine.state.gate == 2


def test_all_four_parts_to_the_scorecard(session):
    session.command("next")
    for gate in range(1, 5):
        run = session.run_checks(reference(gate))
        assert run.result.status == "passed", run.summary
        reply = session.submit(TRADEOFF)
    assert reply.move.phase == "wrap-up"
    session.command("done")
    card = score(load_transcript(session.path), session.rubric)
    assert [g["passed"] for g in card.gates] == [True] * 4
    assert [g["runs"] for g in card.gates] == [1, 1, 1, 1]
    assert card.gate_verdict().startswith("4 of 4 gates passed: at the senior bar")


def test_resume_keeps_the_gate_rule_and_the_run_count(services, session, clock):
    session.command("next")
    session.run_checks(BROKEN)
    path = session.path
    resumed, _ = Session.resume(path, services.library, services.settings, services.brain, clock=clock)
    assert resumed.checked and resumed.engine.state.gate_runs == 1
    run = resumed.run_checks(reference(1))
    assert run.reply.move.kind == "transition_probe"


def _plain(tmp_path, lines):
    return subprocess.run(interviewer_cmd() + ["practice", "coding", "--problem", "kv-store", "--plain"],
                          input="\n".join(lines) + "\n", capture_output=True, text=True, env=cli_env(tmp_path),
                          cwd=tmp_path, timeout=120)


def test_plain_mode_runs_files_with_slash_run(tmp_path):
    (tmp_path / "broken.py").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "fixed.py").write_text(reference(1), encoding="utf-8")
    result = _plain(tmp_path, ["Strings in and out, single-threaded for now; I'll assume that.", "/next",
                               "/run broken.py", "/run fixed.py", "/run", TRADEOFF, "/quit"])
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Checks for part 1" in out and "Checks for part 2" in out
    assert "FAIL" in out and "Part 1 checks: " in out and "all pass" in out
    assert out.index("all pass") < out.index("The checks pass.") < out.index("Checks for part 2")
    [path] = (tmp_path / "transcripts").glob("*.jsonl")
    runs = [e for e in load_transcript(path).events if e.get("kind") == "checks_run"]
    assert [r["status"] for r in runs] == ["failed", "passed", "passed"]  # the bare /run reran fixed.py


def test_plain_mode_names_an_unreadable_file_and_keeps_the_session(tmp_path):
    result = _plain(tmp_path, ["Strings, single-threaded.", "/next", "/run nowhere.py"])
    assert result.returncode == 2
    assert "interviewer: error: stdin line 3: /run nowhere.py: no such file; pass the file holding your solution" \
        in result.stderr
    assert "Traceback" not in result.stderr
    [path] = (tmp_path / "transcripts").glob("*.jsonl")
    assert len(load_transcript(path).turns) == 4  # everything said so far was kept
