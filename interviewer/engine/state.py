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
    "press",  # the answer did not answer the question: ask for specifics, once
    "challenge",  # the answer contradicted a reference fact: say so, with the fact
    "answer_only",  # the candidate only asked something: answer it and hand back the floor
    "more_questions",  # in a phase of the candidate's own questions: answer, then ask what else
    "checks_passed",  # a passing run while a question of the interviewer's is still open
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
    # "moved_on" (after a pressed non-answer).
    lead: str | None = None
    # Answers to what the candidate asked, in order: (kind, text). Kinds: "fact" (the problem's answer),
    # "again" (a fact already given once), "open" (the problem leaves it to the candidate; text names the
    # topic, may be empty), "permission", "time" (minutes left), "repeat" (the last question).
    answers: tuple[tuple[str, str], ...] = ()
    challenge: tuple[str, ...] = ()  # reference facts the answer contradicted, as the interviewer states them
    press: str | None = None  # why the answer is pressed: decline, hand_wave, deflect, stock, off_question, to_grader, thin
    quote: str | None = None  # the candidate's own words being pressed, when short enough to quote
    noted: str | None = None  # a phrase of the candidate's the interviewer can echo back
    covered: tuple[str, ...] = ()  # planned questions skipped because the candidate already covered them
    failing: str | None = None  # hints and holds: the first check that failed on the last run
    final: bool = False

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {"kind": self.kind, "phase": self.phase}
        for name in ("gate", "signal", "multiplier", "lead", "press"):
            value = getattr(self, name)
            if value is not None:
                record[name] = value
        if self.answers:
            record["answers"] = [kind for kind, _ in self.answers]
        if self.challenge:
            record["challenge"] = len(self.challenge)
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
    gate_prompted: list[str] = field(default_factory=list)  # signals follow-ups asked for in this part
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
    # Memory: topics the candidate covered with substance (first turn, unprompted or not, signals
    # shown, the sentence), facts already given, reference facts already challenged.
    topics: dict[str, dict[str, Any]] = field(default_factory=dict)
    told: dict[str, str] = field(default_factory=dict)  # topic -> the answer given
    last_told: list[str] = field(default_factory=list)  # the topics the last reply answered
    areas: list[str] = field(default_factory=list)  # parts of the system the candidate has argued about or explained
    challenged: list[str] = field(default_factory=list)
    challenged_last: bool = False  # the last reply corrected a fact: the next answer speaks to that first
    # The interviewer's last question still waits for an answer (a run can land before it).
    awaiting: bool = False
    failing_checks: list[str] = field(default_factory=list)
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
