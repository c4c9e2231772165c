"""The engine's decisions (moves) and its complete, JSON-serializable state.

The state is saved with every interviewer turn, so a session can be resumed from the
last committed turn without replaying anything.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

MoveKind = Literal[
    "opening",  # greeting, problem statement, first question
    "question",  # the next planned question of a phase
    "phase_start",  # first question of a new phase
    "followup",  # asks for what the last answer lacked
    "gate_reveal",  # shows the next coding gate
    "transition_probe",  # asks for the tradeoff before the next gate opens
    "gate_hold",  # "we don't have a working version of this part yet"
    "drill",  # a scale-drill step the candidate did not cover on their own
    "failure_probe",  # failure modes the candidate did not raise on their own
    "press",  # the answer said almost nothing: ask the same thing again, once
    "hint",
    "closing",
]


@dataclass(frozen=True)
class Move:
    """What the interviewer does next. `content` is rubric text; a brain phrases it."""

    kind: MoveKind
    content: str
    phase: str
    phase_title: str
    gate: int | None = None  # 1-based gate number in gated phases
    gate_title: str | None = None
    signal: str | None = None  # the signal this move asks for, if any
    multiplier: str | None = None  # scale-drill step
    # Why the engine moved on, when not because of the answer: "time" (the clock),
    # "checks_passed" (a passing run), "run_checks" (a checked gate waits for a passing run).
    lead: str | None = None
    acknowledge: tuple[str, ...] = ()  # signals the last answer showed, for the brain to acknowledge
    final: bool = False

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {"kind": self.kind, "phase": self.phase}
        for name in ("gate", "signal", "multiplier", "lead"):
            value = getattr(self, name)
            if value is not None:
                record[name] = value
        return record


# Which signal a move kind asks for when the move does not name one itself.
TARGETS: dict[str, str] = {"drill": "scale", "failure_probe": "failure_modes", "transition_probe": "tradeoffs"}


@dataclass
class EngineState:
    phase_index: int = 0
    question_index: int = 0
    followups_used: int = 0
    phase_started_at: float = 0.0
    phase_signals: list[str] = field(default_factory=list)
    probes_used: dict[str, int] = field(default_factory=dict)
    # Coding gates (1-based number of the gate in play; 0 before the gated phase).
    gate: int = 0
    gate_stage: Literal["working", "transition"] = "working"
    gate_started_at: float = 0.0
    gate_substantive: bool = False
    gate_holds: int = 0
    # Gates verified by checks: runs on the gate in play, and whether the latest one passed.
    gate_runs: int = 0
    gate_checks_passed: bool = False
    gate_tradeoff_asked_again: bool = False
    gates: list[dict[str, Any]] = field(default_factory=list)
    # Work queued at a checkpoint: drill steps, failure probe, then the next phase.
    pending: list[dict[str, Any]] = field(default_factory=list)
    # First time each signal / drill multiplier was shown, and whether it was unprompted.
    coverage: dict[str, dict[str, Any]] = field(default_factory=dict)
    multipliers: dict[str, dict[str, Any]] = field(default_factory=dict)
    prompted: list[str] = field(default_factory=list)
    last_move: dict[str, Any] = field(default_factory=dict)
    last_content: str = ""
    asked: list[str] = field(default_factory=list)
    pressed: bool = False
    hints_used: int = 0
    hints_given: list[str] = field(default_factory=list)
    time_nudged: bool = False
    finished: bool = False

    def to_record(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> "EngineState":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in record.items() if k in known})
