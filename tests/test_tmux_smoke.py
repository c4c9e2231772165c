"""The real `interviewer` command in a real terminal (tmux): type an answer, read the screen,
quit, be killed, and draw the whole screen on every launch, even on a busy machine."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from conftest import cli_env

from interviewer.drafts import draft_path
from interviewer.transcript import load_transcript

TMUX = shutil.which("tmux")
if TMUX is None and os.environ.get("INTERVIEWER_REQUIRE_TMUX"):
    pytest.fail("tmux is required here (CI installs it): apt-get install tmux", pytrace=False)
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (apt-get install tmux)")
# Launches of the setup screen under load, each of which must end with the footer drawn.
FOOTER_LAUNCHES = 10
# A private tmux server for this module. Its config is read when the server starts, so a pane that
# dies at once still shows what it printed (remain-on-exit), and killing the last session does not
# stop the server just as the next launch connects to it (exit-empty): with the default server, a
# launch racing its predecessor's shutdown was lost and the test saw an empty screen.
SERVER = f"interviewer-tests-{uuid.uuid4().hex[:8]}"
TMUX_CONFIG = Path(__file__).with_name("tmux-test.conf")


@pytest.fixture(scope="module", autouse=True)
def private_tmux_server():
    yield
    socket = tmux("display-message", "-p", "#{socket_path}").strip()
    tmux("kill-server")
    if socket:  # tmux leaves the socket file behind
        Path(socket).unlink(missing_ok=True)


def tmux(*args: str) -> str:
    return subprocess.run([TMUX, "-L", SERVER, "-f", str(TMUX_CONFIG), *args],
                          capture_output=True, text=True, check=False).stdout


def pane_state(name: str) -> str:
    """Whether the pane still runs, and how it ended if not: said when a wait times out."""
    state = tmux("display-message", "-p", "-t", name, "dead=#{pane_dead} status=#{pane_dead_status}").strip()
    return state or f"no session {name} on server {SERVER}; sessions: {tmux('list-sessions').strip() or 'none'}"


def wait_for(name: str, predicate, what: str, timeout: float = 30.0) -> str:
    """Poll the pane: the app runs in another process, so there is nothing to await. `-J` joins
    lines the terminal wrapped, so a long path printed on one line is matched as one line; `-S`
    includes what scrolled off, such as the exit message above a dead pane's notice."""
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", name)  # with what scrolled off
        if predicate(screen):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what} ({pane_state(name)}); screen was:\n{screen}")


def send_until_answered(name: str, replied, tries: int = 4) -> str:
    """Ctrl+S, again if need be: while the opening is still being set down the screen keeps the text in the
    box and says so (on a loaded machine that can outlast the moment the question is drawn), as a
    candidate would press it again."""
    for attempt in range(tries):
        tmux("send-keys", "-t", name, "C-s")
        try:
            return wait_for(name, replied, "the answer on screen and the interviewer's reply", timeout=10)
        except AssertionError:
            if attempt == tries - 1:
                raise
    return ""


def flat(screen: str) -> str:
    """The screen's words on one line: text the app wrapped itself is matched across its breaks."""
    return " ".join(screen.split())


def launch(tmp_path: Path, args: str, size=(120, 40)) -> tuple[str, Path]:
    """Start `interviewer ARGS` in a new tmux session; return its name and where its pid is written."""
    name = f"interviewer-{uuid.uuid4().hex[:8]}"
    pidfile = tmp_path / f"{name}.pid"
    env = cli_env(tmp_path)
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()
                       if k.startswith(("INTERVIEWER_", "PYTHON", "XDG_")))
    command = (f"cd {shlex.quote(str(tmp_path))} && echo $$ > {shlex.quote(str(pidfile))} && "
               f"exec env {exports} TERM=xterm-256color {shlex.quote(sys.executable)} -m interviewer.cli {args}")
    tmux("new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]), command)
    return name, pidfile


def test_practice_quit_and_resume_in_a_real_terminal(tmp_path):
    name, _ = launch(tmp_path, "practice system-design --problem streaming-chat")
    try:
        wait_for(name, lambda s: "Today's problem" in s, "the opening question")
        tmux("send-keys", "-t", name, "-l", "I would assume 20k concurrent streams at peak.")
        send_until_answered(name, lambda s: "20k concurrent streams at peak" in s and "first version" in flat(s))
        tmux("send-keys", "-t", name, "-l", "a draft I have not")
        tmux("send-keys", "-t", name, "C-c")  # copies (nothing selected): it must not quit...
        tmux("send-keys", "-t", name, "-l", " sent")
        wait_for(name, lambda s: "a draft I have not sent" in s, "typing after Ctrl+C")  # ...so this lands
        tmux("send-keys", "-t", name, "C-q")
        screen = wait_for(name, lambda s: "Saved" in s and "interviewer resume" in s, "the exit message")
        assert "Traceback" not in screen
    finally:
        tmux("kill-session", "-t", name)
    [path] = list((tmp_path / "transcripts").glob("*.jsonl"))
    transcript = load_transcript(path)
    assert [t.text for t in transcript.candidate_turns()] == ["I would assume 20k concurrent streams at peak."]
    assert transcript.ended["reason"] == "quit"
    assert "a draft I have not sent" in draft_path(path).read_text()


def test_sigterm_saves_the_session_and_the_draft(tmp_path):
    name, pidfile = launch(tmp_path, "practice behavioral --problem ownership-and-pushback")
    try:
        # The opening on screen means the session file exists; a signal before that has nothing to save.
        wait_for(name, lambda s: "Today's problem" in s and "^q Quit" in s, "the opening")
        tmux("send-keys", "-t", name, "-l", "halfway through my story")
        wait_for(name, lambda s: "halfway through my story" in s, "the draft on screen")
        os.kill(int(pidfile.read_text()), signal.SIGTERM)
        screen = wait_for(name, lambda s: "stopped by SIGTERM" in flat(s), "the exit message")
        assert "Traceback" not in screen and "interviewer resume" in screen
    finally:
        tmux("kill-session", "-t", name)
    [path] = list((tmp_path / "transcripts").glob("*.jsonl"))
    assert load_transcript(path).ended["reason"] == "terminated"
    assert "halfway through my story" in draft_path(path).read_text()


def test_the_footer_is_drawn_on_every_launch_under_load(tmp_path):
    """The setup screen's voice check imports sounddevice, which points descriptor 2 at /dev/null
    while PortAudio starts; frames drawn then were lost. Busy CPUs make that window wide."""
    load = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2 * (os.cpu_count() or 2))]
    drawn = 0
    try:
        for _ in range(FOOTER_LAUNCHES):
            name, _ = launch(tmp_path, "", size=(100, 30))
            try:
                # The voice check has finished once its note no longer says it is checking.
                wait_for(name, lambda s: "Voice:" in s and "checking" not in s, "the voice check", timeout=60)
                wait_for(name, lambda s: "^q Quit" in s.rstrip().splitlines()[-1], "the footer", timeout=5)
                drawn += 1
            finally:
                tmux("kill-session", "-t", name)
    finally:
        for process in load:
            process.kill()
            process.wait()
    assert drawn == FOOTER_LAUNCHES
