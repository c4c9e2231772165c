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
