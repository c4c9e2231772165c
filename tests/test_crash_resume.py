"""Killing the process mid-session loses no committed turn, and `resume` continues it."""

from __future__ import annotations

import json
import signal
import subprocess

from conftest import cli_env, interviewer_cmd

from interviewer.session import Session
from interviewer.transcript import load_transcript

ANSWERS = [
    "Who uses it and how many at peak? I'll assume 5M daily users and 20k concurrent streams.",
    "First version: streaming text replies, history and a stop button; voice can wait.",
    "About 1,400 requests per second at peak, and first token under 500 ms at p95.",
]
MORE = [
    "The client reads tokens over SSE; the gateway checks keys and per-user limits; a router picks a GPU pool.",
    "I'd pick SSE over WebSockets because traffic is one way, at the cost of binary framing we don't need.",
]


def _read_reply(proc) -> str:
    """Read stdout until the interviewer's next turn starts; it is printed only after the
    candidate's answer and the interviewer's reply are both saved."""
    while True:
        line = proc.stdout.readline()
        assert line, "interviewer exited early: " + proc.stderr.read()
        if line.startswith("Interviewer:"):
            return line


def test_sigkill_mid_session_loses_nothing_and_resume_continues(tmp_path):
    env = cli_env(tmp_path)
    proc = subprocess.Popen(
        interviewer_cmd() + ["practice", "system-design", "--problem", "streaming-chat", "--plain"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    _read_reply(proc)  # the opening
    for answer in ANSWERS:
        proc.stdin.write(answer + "\n")
        proc.stdin.flush()
        _read_reply(proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    [path] = list((tmp_path / "transcripts").glob("*.jsonl"))
    transcript = load_transcript(path)
    assert [t.text for t in transcript.candidate_turns()] == ANSWERS
    assert len(transcript.turns) == 2 * len(ANSWERS) + 1
    assert transcript.ended is None and transcript.warnings == []

    resumed = subprocess.run(
        interviewer_cmd() + ["resume", str(path), "--plain"],
        input="\n".join(MORE + ["/done"]) + "\n", capture_output=True, text=True, env=env, timeout=60,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "where we left off" in resumed.stdout
    assert "# Scorecard" in resumed.stdout

    final = load_transcript(path)
    assert [t.text for t in final.candidate_turns()] == ANSWERS + MORE
    assert [t.n for t in final.turns] == list(range(1, len(final.turns) + 1))
    assert final.completed
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert sum(1 for r in records if r["type"] == "resumed") == 1
    # The clock carries on from the last saved turn instead of restarting at zero.
    times = [t.t for t in final.turns]
    assert times == sorted(times)


def _cut_before_reply(services, clock, keep_events: bool):
    session = Session.create(services.library, "system-design", "streaming-chat", services.settings,
                             services.brain, clock=clock)
    session.open()
    for answer in ANSWERS:
        session.submit(answer)
    session.submit("/next is not a command here, just text about SSE over WebSockets, at the cost of framing.")
    session.writer.close()
    original = load_transcript(session.path)
    lines = session.path.read_text().splitlines(keepends=True)
    last_candidate = max(i for i, line in enumerate(lines) if '"role":"candidate"' in line)
    reply_at = next(i for i in range(last_candidate + 1, len(lines)) if '"role":"interviewer"' in lines[i])
    lost_reply = json.loads(lines[reply_at])
    # The process died after saving the answer (and maybe the engine's events), before the reply.
    cut = reply_at if keep_events else last_candidate + 1
    if keep_events:
        assert any('"type":"event"' in line for line in lines[last_candidate + 1:reply_at])
    session.path.write_text("".join(lines[:cut]))
    return session.path, original, lost_reply


def _resume_and_reply(path, services, clock):
    resumed, transcript = Session.resume(path, services.library, services.settings, services.brain, clock=clock)
    reply = resumed.pending_answer(transcript)
    resumed.close("quit")
    return reply, load_transcript(path)


def test_crash_between_saving_an_answer_and_replying_is_recovered(services, clock):
    path, original, lost_reply = _cut_before_reply(services, clock, keep_events=False)
    reply, final = _resume_and_reply(path, services, clock)
    assert reply is not None
    assert reply.text == lost_reply["text"]  # the engine is deterministic: same answer, same move
    assert [t.text for t in final.turns] == [t.text for t in original.turns]


def test_events_saved_before_a_crash_are_not_written_twice(services, clock):
    path, original, lost_reply = _cut_before_reply(services, clock, keep_events=True)
    reply, final = _resume_and_reply(path, services, clock)
    assert reply.text == lost_reply["text"]
    engine_events = [e for e in final.events if e["kind"] != "resumed"]
    assert engine_events == original.events
