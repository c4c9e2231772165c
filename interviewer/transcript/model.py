"""Plain data for a transcript: its header, turns and engine events."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Role = Literal["interviewer", "candidate"]
FORMAT_VERSION = 1


def mmss(seconds: float) -> str:
    """A session-clock reading as mm:ss."""
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


@dataclass(frozen=True)
class Turn:
    n: int  # 1-based, counting every turn of the session in order
    role: Role
    text: str
    t: float = 0.0  # session clock, seconds
    phase: str | None = None
    gate: int | None = None
    move: dict[str, Any] | None = None  # interviewer turns: what the engine decided
    engine: dict[str, Any] | None = None  # interviewer turns: engine state after this move
    llm: dict[str, Any] | None = None  # interviewer turns from an LLM: timing, tokens, private notes


@dataclass
class Transcript:
    path: Path | None
    format: Literal["jsonl", "text"]
    round: str
    problem: str | None = None
    level: str | None = None
    session_id: str | None = None
    created: str | None = None
    rubric_sha256: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    turns: list[Turn] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    ended: dict[str, Any] | None = None  # the last `end` record, if any
    warnings: list[str] = field(default_factory=list)

    def candidate_turns(self) -> list[Turn]:
        return [t for t in self.turns if t.role == "candidate"]

    def turn(self, n: int) -> Turn:
        return self.turns[n - 1]

    @property
    def completed(self) -> bool:
        return bool(self.ended and self.ended.get("reason") == "completed")

    @property
    def elapsed(self) -> float:
        return self.turns[-1].t if self.turns else 0.0
