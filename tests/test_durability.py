"""Every session stays loadable and resumable: what one turn may add is bounded, a stop signal
writes the end record, a crash before the opening resumes at the opening, and a model call
never outlasts llm.timeout_s."""

from __future__ import annotations

import json
import signal
import subprocess
import time

import pytest
from conftest import cli_env, interviewer_cmd
from llm_server import FakeOpenAI, Reply
from test_crash_resume import _read_reply

from interviewer.errors import TranscriptError
from interviewer.llm.config import LLMConfig
from interviewer.llm.model import ModelUnavailable, OpenAIChatModel
from interviewer.services import build_services
from interviewer.session import Session
from interviewer.transcript import TranscriptWriter, load_transcript
from interviewer.transcript import store


def saved(tmp_path):
    return sorted((tmp_path / "transcripts").glob("*.jsonl"))


def test_run_on_a_huge_file_is_refused_and_the_session_stays_small_and_resumable(tmp_path):
    huge = tmp_path / "solution.py"
    with open(huge, "wb") as out:
        out.truncate(70 << 20)
    stdin = "Keys are strings, single-threaded. I'll assume that.\n/next\n/run solution.py\n"
    result = subprocess.run(interviewer_cmd() + ["practice", "coding", "--problem", "kv-store", "--plain"],
                            input=stdin, capture_output=True, text=True, env=cli_env(tmp_path), timeout=60,
                            cwd=tmp_path)
    assert result.returncode == 2
    assert "stdin line 3: /run solution.py: 70 MB, over the 256 KB limit" in result.stderr
    [path] = saved(tmp_path)
    assert path.stat().st_size < 64 * 1024
    assert load_transcript(path).ended["reason"] == "quit"


def test_the_editor_code_is_bounded_like_a_run(services):
    session = Session.create(services.library, "coding", "kv-store", services.settings, services.brain)
    with pytest.raises(Exception, match="over the 256 KB limit for one solution"):
        session.snapshot_code("x = 1\n" * 100_000)
    session.snapshot_code("x = 1\n")
    session.close("quit")


def test_no_record_is_bigger_than_a_turn_may_add_and_a_full_file_still_takes_its_end(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "MAX_BYTES", 64 * 1024)
    monkeypatch.setattr(store, "_RESERVE_FOR_INPUT", 16 * 1024)
    monkeypatch.setattr(store, "_RESERVE_FOR_REPLIES", 4 * 1024)
    path = tmp_path / "s.jsonl"
    writer = TranscriptWriter(path)
    writer.append({"type": "session", "round": "system-design"})
    with pytest.raises(TranscriptError, match="more than a turn may add"):
        writer.append({"type": "turn", "role": "candidate", "text": "x" * (3 << 20)})
    answers = 0
    with pytest.raises(TranscriptError, match="the session file is full"):
        while True:
            writer.append({"type": "turn", "n": answers + 1, "role": "candidate", "text": "y" * 1000})
            answers += 1
    writer.append({"type": "turn", "n": answers + 1, "role": "interviewer", "text": "Let's stop there."})
    writer.append({"type": "end", "reason": "quit"})
    writer.close()
    assert path.stat().st_size <= 64 * 1024
    transcript = load_transcript(path)
    assert len(transcript.candidate_turns()) == answers and transcript.ended["reason"] == "quit"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_writes_the_end_record_and_the_session_resumes(tmp_path, signum):
    env = cli_env(tmp_path)
    proc = subprocess.Popen(interviewer_cmd() + ["practice", "system-design", "--problem", "streaming-chat",
                                                 "--plain"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    _read_reply(proc)
    proc.stdin.write("I'd assume 5M daily users and 20k concurrent streams at peak.\n")
    proc.stdin.flush()
    _read_reply(proc)
    proc.send_signal(signum)
    assert proc.wait(timeout=30) == 128 + signum
    assert f"stopped by {signal.Signals(signum).name}" in proc.stderr.read()
    [path] = saved(tmp_path)
    transcript = load_transcript(path)
    assert transcript.ended["reason"] == "terminated" and len(transcript.candidate_turns()) == 1
    listing = subprocess.run(interviewer_cmd() + ["sessions", "--json"], capture_output=True, text=True, env=env)
    assert json.loads(listing.stdout)["resumable"] is True
    resumed = subprocess.run(interviewer_cmd() + ["resume", str(path), "--plain"], input="Text first.\n/quit\n",
                             capture_output=True, text=True, env=env, timeout=60)
    assert resumed.returncode == 0, resumed.stderr
    assert len(load_transcript(path).candidate_turns()) == 2


def test_a_crash_during_the_opening_resumes_at_the_opening(tmp_path):
    env = cli_env(tmp_path)
    with FakeOpenAI([Reply(fault="hang")], hang_seconds=30) as server:
        env.update(OPENAI_BASE_URL=server.base_url, INTERVIEWER_MODEL="test-model")
        proc = subprocess.Popen(interviewer_cmd() + ["practice", "system-design", "--problem", "streaming-chat",
                                                     "--plain"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env)
        deadline = time.monotonic() + 30
        while not server.requests and time.monotonic() < deadline:  # the opening is being phrased
            time.sleep(0.05)
        proc.kill()
        proc.wait()
    [path] = saved(tmp_path)
    before = load_transcript(path)
    assert before.turns == [] and [e["kind"] for e in before.events] == ["phase_started"]

    env["INTERVIEWER_BRAIN"] = "offline"
    resumed = subprocess.run(interviewer_cmd() + ["resume", str(path), "--plain"], input="/quit\n",
                             capture_output=True, text=True, env=env, timeout=60)
    assert resumed.returncode == 0, resumed.stderr
    assert "stopped before the interview began; starting it now" in resumed.stderr
    assert "Today's problem" in resumed.stdout
    after = load_transcript(path)
    assert after.turns[0].move["kind"] == "opening"
    assert [e["kind"] for e in after.events if e["kind"] != "resumed"] == ["phase_started"]  # not saved twice


FAST = {"read_timeout_s": 30.0, "timeout_s": 2.0, "max_attempts": 3, "backoff_base_s": 0.01, "backoff_max_s": 0.02}


def _open_with(server, tmp_path, timeout_s):
    services = build_services(base_url=server.base_url, model="test-model", transcripts_dir=tmp_path / "t",
                              llm={**FAST, "timeout_s": timeout_s})
    session = Session.create(services.library, "system-design", "streaming-chat", services.settings, services.brain)
    waits = []
    session.brain.model.on_wait = waits.append
    started = time.monotonic()
    reply = session.open()
    took = time.monotonic() - started
    session.close("quit")
    return reply, took, waits, load_transcript(session.path)


@pytest.mark.parametrize("reply", [Reply(text="x" * 400, chunk_chars=1, chunk_delay=0.05), Reply(fault="hang")],
                         ids=["trickling", "hanging"])
def test_a_slow_server_never_holds_a_call_past_its_budget(tmp_path, reply):
    timeout_s = 3.5
    with FakeOpenAI([reply], hang_seconds=20) as server:
        opening, took, waits, transcript = _open_with(server, tmp_path, timeout_s)
    assert took < timeout_s + 1.0
    assert "Today's problem" in opening.text  # the offline interviewer carried on
    reason = next(e for e in transcript.events if e["kind"] == "brain_degraded")["reason"]
    assert "did not finish within llm.timeout_s = 3.5 s" in reason
    if reply.fault == "hang":  # nothing ever arrived: the wait is reported while it lasts
        assert [w.text() for w in waits] == ["waiting for test-model: 2 s (gives up after 3.5 s)",
                                             "waiting for test-model: 3 s (gives up after 3.5 s)"]
    else:
        assert waits == []  # the first token came at once


def _model(server, sleeps, **config):
    values = {"model": "test-model", "base_url": server.base_url, "backoff_base_s": 0.01, "backoff_max_s": 0.02,
              **config}
    return OpenAIChatModel(LLMConfig(**values), sleep=sleeps.append)


def test_retry_after_is_honoured_in_full_when_it_fits_the_budget():
    sleeps: list[float] = []
    with FakeOpenAI([Reply(fault="429", retry_after=3), Reply(text="Hello there.")]) as server:
        model = _model(server, sleeps, timeout_s=10)
        text = "".join(model.stream([{"role": "user", "content": "hi"}]))
    assert text == "Hello there." and sleeps == [3.0]  # not capped at backoff_max_s


def test_retry_after_past_the_budget_ends_the_call_at_once_saying_so():
    sleeps: list[float] = []
    with FakeOpenAI([Reply(fault="429", retry_after=30)]) as server:
        model = _model(server, sleeps, timeout_s=5)
        with pytest.raises(ModelUnavailable, match=r"rate limited: it asked to wait 30 s, more than the \d s left "
                                                   r"of llm.timeout_s = 5 s"):
            list(model.stream([{"role": "user", "content": "hi"}]))
    assert sleeps == []


@pytest.mark.parametrize("first", [Reply(fault="hang"), Reply(fault="429", retry_after=30)],
                         ids=["waiting-on-the-server", "sleeping-out-retry-after"])
def test_a_closing_session_stops_waiting_on_the_model_at_once(first):
    """Quitting (or a stop signal) while a reply is awaited must not wait out llm.timeout_s."""
    import threading

    with FakeOpenAI([first] + [Reply(fault="hang")] * 3, hang_seconds=20) as server:
        model = OpenAIChatModel(LLMConfig(model="test-model", base_url=server.base_url, timeout_s=60,
                                          read_timeout_s=30))
        outcome: list[BaseException] = []

        def call() -> None:
            try:
                list(model.stream([{"role": "user", "content": "hi"}]))
            except ModelUnavailable as error:
                outcome.append(error)

        caller = threading.Thread(target=call)
        caller.start()
        deadline = time.monotonic() + 10
        while not server.requests and time.monotonic() < deadline:  # the call is under way
            time.sleep(0.01)
        started = time.monotonic()
        model.cancel()
        caller.join(5)
        assert not caller.is_alive() and time.monotonic() - started < 2
    assert "stopped, the session is closing" in str(outcome[0])
