from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path

import pytest

from interviewer.rubric import RubricLibrary
from interviewer.services import Services, build_services

REPO = Path(__file__).resolve().parent.parent
# Never let a developer's own key or endpoint reach a test: no test touches the internet.
LLM_AND_SETTINGS_ENV = ("INTERVIEWER_LEVEL", "INTERVIEWER_MAX_ANSWER_CHARS", "INTERVIEWER_BRAIN", "INTERVIEWER_MODEL",
                        "INTERVIEWER_GATE_CHECKS", "INTERVIEWER_LLM_REPLY_MAX_TOKENS", "INTERVIEWER_LLM_JUDGE_MAX_TOKENS",
                        "INTERVIEWER_LLM_JUDGE_TIMEOUT_S", "INTERVIEWER_LLM_CONTEXT_WINDOW", "INTERVIEWER_LLM_CONTEXT_BUDGET",
                        "INTERVIEWER_LLM_FOLD_SYSTEM",
                        "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID")
FIXTURES = Path(__file__).resolve().parent / "fixtures"


# A system-design candidate who never raises scale or failure modes on their own.
PASSIVE = [
    "Users chat on web and mobile. How many daily users should I plan for?",
    "Text chat with history first; voice later.",
    "Whatever the product team says; a few thousand requests per second maybe.",
    "Client, gateway, chat service, model servers and a database for history.",
    "The client posts a message and reads tokens back as a stream over SSE.",
    "I chose SSE over WebSockets because traffic is one way, at the cost of no binary framing.",
]


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def user_folders(tmp_path: Path) -> dict[str, str]:
    """Per-user folders (platformdirs follows XDG on Linux) inside the test's own folder."""
    return {"XDG_CONFIG_HOME": str(tmp_path / "xdg-config"), "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
            "XDG_STATE_HOME": str(tmp_path / "xdg-state")}


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path, monkeypatch):
    """No test reads the developer's settings, keys or state, or writes into the repository."""
    from interviewer import redaction

    monkeypatch.setenv("INTERVIEWER_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("INTERVIEWER_TRANSCRIPTS_DIR", str(tmp_path / "transcripts"))
    for name, value in user_folders(tmp_path).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("INTERVIEWER_CACHE_DIR", str(tmp_path / "cache"))
    for name in LLM_AND_SETTINGS_ENV:
        monkeypatch.delenv(name, raising=False)
    redaction.forget_all()


@pytest.fixture(scope="session")
def library() -> RubricLibrary:
    return RubricLibrary()


@pytest.fixture
def services(tmp_path) -> Services:
    return build_services(transcripts_dir=tmp_path / "transcripts")


@pytest.fixture
def whiteboard(tmp_path) -> Services:
    """Coding gates that move on described work, as in a whiteboard round (no checks run)."""
    return build_services(transcripts_dir=tmp_path / "transcripts", gate_checks=False)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in LLM_AND_SETTINGS_ENV}
    env["INTERVIEWER_TRANSCRIPTS_DIR"] = str(tmp_path / "transcripts")
    env["INTERVIEWER_CONFIG"] = str(tmp_path / "no-config.toml")
    env.update(user_folders(tmp_path))
    env["INTERVIEWER_CACHE_DIR"] = str(tmp_path / "cache")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def interviewer_cmd() -> list[str]:
    return [sys.executable, "-m", "interviewer.cli"]


# --- real voice models (loaded once per run: each takes seconds) ----------------------------------
@pytest.fixture(scope="session")
def whisper_model():
    """The bundled tiny.en, on this machine's CPU."""
    from interviewer.voice import stt

    return stt.load()


@pytest.fixture(scope="session")
def piper_voice():
    """The bundled Piper en_US voice."""
    from interviewer.voice import tts

    return tts.load()


# --- real audio devices -------------------------------------------------------------------------
@pytest.fixture
def sounddevice():
    from interviewer.voice.capture import import_sounddevice
    from interviewer.voice.errors import PortAudioMissingError

    try:
        return import_sounddevice()
    except PortAudioMissingError as missing:
        pytest.skip(f"needs PortAudio: {missing.message}")


@pytest.fixture
def null_sink(sounddevice, monkeypatch):
    """A private PulseAudio server with a null sink whose monitor is the default source, so audio
    played into the sink comes back through PortAudio's `pulse` input, as from a microphone (and
    the interviewer's voice, played to the default `pulse` output, lands in the same sink)."""
    import shutil
    import subprocess
    import tempfile
    import threading

    if not all(shutil.which(tool) for tool in ("pulseaudio", "pactl", "paplay")):
        pytest.skip("PulseAudio is not installed (Debian: apt-get install pulseaudio libasound2-plugins)")
    # A short path: the server's socket lives under it, and socket paths cannot pass 107 bytes.
    runtime = Path(tempfile.mkdtemp(prefix="pa-"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.delenv("PULSE_SERVER", raising=False)  # with one set, the daemon refuses to start
    server = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--log-target=stderr", "--log-level=info",
         "-L", "module-native-protocol-unix", "-L", "module-null-sink sink_name=interview rate=16000 channels=1"],
        stderr=subprocess.PIPE, text=True)
    log = []
    for line in server.stderr:  # ends when the server exits; it says when it is ready
        log.append(line.strip())
        if "startup complete" in line:
            break
    try:
        if server.poll() is not None:
            pytest.skip(f"PulseAudio would not start here: {log[-1:] }")
        threading.Thread(target=server.stderr.read, daemon=True).start()  # keep its log pipe drained
        subprocess.run(["pactl", "set-default-source", "interview.monitor"], check=True, timeout=10)
        # PortAudio lists devices once, when it starts; start it again to see the new server.
        sounddevice._terminate()
        sounddevice._initialize()
        if "pulse" not in [d["name"] for d in sounddevice.query_devices()]:
            pytest.skip("PortAudio has no `pulse` device (the ALSA PulseAudio plugin, libasound2-plugins, is missing)")
        yield "interview"
    finally:
        server.terminate()
        server.wait(10)
        sounddevice._terminate()
        sounddevice._initialize()  # its probe of `pulse` may leave files in the runtime folder
        shutil.rmtree(runtime, ignore_errors=True)




@pytest.fixture
def headphones(null_sink):
    """`null_sink`, with the interviewer's voice going to a second null sink (`speakers`), as into
    headphones: the microphone (the `interview` sink's monitor) hears only what is played into it."""
    import subprocess

    subprocess.run(["pactl", "load-module", "module-null-sink", "sink_name=speakers", "rate=22050", "channels=1"],
                   check=True, timeout=10, capture_output=True)
    subprocess.run(["pactl", "set-default-sink", "speakers"], check=True, timeout=10)
    return null_sink
