"""The real `interviewer` command in a real terminal (tmux): type an answer, read the screen."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid

import pytest
from conftest import cli_env

from interviewer.transcript import load_transcript

TMUX = shutil.which("tmux")
if TMUX is None and os.environ.get("INTERVIEWER_REQUIRE_TMUX"):
    pytest.fail("tmux is required here (CI installs it): apt-get install tmux", pytrace=False)
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (apt-get install tmux)")


def tmux(*args: str) -> str:
    return subprocess.run([TMUX, *args], capture_output=True, text=True, check=False).stdout


def wait_for(name: str, predicate, what: str, timeout: float = 30.0) -> str:
    """Poll the pane: the app runs in another process, so there is nothing to await. `-J` joins
    lines the terminal wrapped, so a long path printed on one line is matched as one line."""
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-J", "-t", name)
        if predicate(screen):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}; screen was:\n{screen}")


def test_practice_in_a_real_terminal(tmp_path):
    name = f"interviewer-{uuid.uuid4().hex[:8]}"
    env = cli_env(tmp_path)
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items() if k.startswith(("INTERVIEWER_", "PYTHON")))
    command = (f"cd {shlex.quote(str(tmp_path))} && env {exports} TERM=xterm-256color "
               f"{shlex.quote(sys.executable)} -m interviewer.cli practice system-design --problem streaming-chat; "
               "sleep 30")
    tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "40", command)
    try:
        wait_for(name, lambda s: "Today's problem" in s, "the opening question")
        tmux("send-keys", "-t", name, "-l", "I would assume 20k concurrent streams at peak.")
        tmux("send-keys", "-t", name, "C-s")
        wait_for(name, lambda s: "20k concurrent streams at peak" in s and "numbers help" in s,
                 "the answer on screen and the interviewer's reply")
        tmux("send-keys", "-t", name, "C-c")
        screen = wait_for(name, lambda s: "Saved" in s and "interviewer resume" in s, "the exit message")
        assert "Traceback" not in screen
    finally:
        tmux("kill-session", "-t", name)
    [path] = list((tmp_path / "transcripts").glob("*.jsonl"))
    transcript = load_transcript(path)
    assert [t.text for t in transcript.candidate_turns()] == ["I would assume 20k concurrent streams at peak."]
    assert transcript.ended["reason"] == "quit"
