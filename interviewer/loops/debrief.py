"""The loop debrief, laid out the way a hiring committee reads a packet: every round's level signal with its
strongest and weakest evidence side by side, one overall level against the target, and the two changes that
would move the outcome most.

The overall level is the weighted mean of the round signals (below L4 counts as 3), rounded to the nearest
level with a tie going down: committees level conservatively when the rounds split evenly. A round too short to
read ("insufficient") and a round not yet sat count for nothing, and the debrief says it is provisional.

Built from plain data (the loop, the stage statuses, the saved scorecards in JSON form), so every export and
the app render the same debrief.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .catalog import Loop
from .progress import LoopRun, StageStatus

SIGNAL_VALUE = {"below L4": 3, "L4": 4, "L5": 5, "L6": 6}
VALUE_SIGNAL = {value: signal for signal, value in SIGNAL_VALUE.items()}
QUOTE_CHARS = 160


@dataclass
class Evidence:
    dimension: str
    level: str
    score: float
    turn: int | None
    quote: str  # "" when the dimension was scored without a quote

    def to_json(self) -> dict[str, Any]:
        return {"dimension": self.dimension, "level": self.level, "score": self.score, "turn": self.turn,
                "quote": self.quote}


@dataclass
class RoundLine:
    stage: str
    title: str
    round: str
    real_length: str
    weight: float
    state: str
    session: str | None = None
    problem: str | None = None
    signal: str | None = None  # the scorecard's level signal; None until the round is complete
    overall_level: str | None = None
    overall_score: float | None = None
    strongest: Evidence | None = None
    weakest: Evidence | None = None
    not_assessed: list[str] = field(default_factory=list)
    note: str = ""  # why it is unavailable, or what the practice leaves out

    def to_json(self) -> dict[str, Any]:
        return {"stage": self.stage, "title": self.title, "round": self.round, "real_length": self.real_length,
                "weight": self.weight, "state": self.state, "session": self.session, "problem": self.problem,
                "level_signal": self.signal,
                "overall": None if self.overall_level is None else {"level": self.overall_level,
                                                                   "score": self.overall_score},
                "strongest": self.strongest.to_json() if self.strongest else None,
                "weakest": self.weakest.to_json() if self.weakest else None,
                "not_assessed": self.not_assessed, "note": self.note}


@dataclass
class Debrief:
    loop: str
    title: str
    run: str
    target: str
    overall: str | None  # None while no round has a readable signal
    weighted: float | None
    rounds: list[RoundLine]
    changes: list[str]  # the two things that would most change the outcome

    @property
    def read(self) -> list[RoundLine]:
        return [r for r in self.rounds if r.signal in SIGNAL_VALUE]

    @property
    def available(self) -> list[RoundLine]:
        return [r for r in self.rounds if r.state != "unavailable"]

    @property
    def provisional(self) -> bool:
        return len(self.read) < len(self.available)

    @property
    def verdict(self) -> str:
        """The overall level against the target, in one line."""
        if self.overall is None:
            return f"No round has a level signal yet; the target is {self.target}."
        gap = SIGNAL_VALUE[self.overall] - SIGNAL_VALUE[self.target]
        where = "at the target" if gap == 0 else ("above the target" if gap > 0 else "below the target")
        done = (f"provisional: {len(self.read)} of {len(self.available)} available rounds read"
                if self.provisional else f"all {len(self.available)} available rounds read")
        return (f"Overall {self.overall} against a target of {self.target}: {where} "
                f"(weighted mean {self.weighted:.2f}; {done}).")

    def to_json(self) -> dict[str, Any]:
        return {"loop": self.loop, "title": self.title, "run": self.run, "target": self.target,
                "overall": {"level": self.overall, "weighted_mean": None if self.weighted is None
                            else round(self.weighted, 2), "provisional": self.provisional},
                "verdict": self.verdict, "rounds": [r.to_json() for r in self.rounds], "changes": self.changes}


def build(run: LoopRun, statuses: list[StageStatus]) -> Debrief:
    lines = [_line(run.loop, status) for status in statuses]
    weighted = _mean([(r.weight, SIGNAL_VALUE[r.signal]) for r in lines if r.signal in SIGNAL_VALUE])
    overall = _level(weighted)
    changes = _changes(lines, run.target, weighted)
    return Debrief(run.loop.id, run.loop.title, run.name, run.target, overall, weighted, lines, changes)


def _line(loop: Loop, status: StageStatus) -> RoundLine:
    stage = loop.stage(status.stage_id)
    line = RoundLine(stage.id, stage.title, stage.round, stage.real_length, stage.weight, status.state,
                     session=status.session.name.removesuffix(".jsonl") if status.session else None,
                     note=status.why_unavailable or stage.note)
    card = status.card
    if card is None:
        return line
    line.problem = card.get("problem")
    line.signal = card.get("level_signal")
    line.overall_level, line.overall_score = card["overall"]["level"], card["overall"]["score"]
    assessed = [d for d in card["dimensions"] if d.get("score") is not None and d["level"] != "not_assessed"]
    line.not_assessed = [d.get("title") or d["id"] for d in card["dimensions"] if d not in assessed]
    if assessed:
        # The strongest is the best-scored line that has a quote to show; the weakest is the lowest-scored
        # line, quote or not (no evidence at all is the finding).
        quoted = [d for d in assessed if d.get("evidence")] or assessed
        line.strongest = _evidence(max(quoted, key=lambda d: d["score"]))
        line.weakest = _evidence(min(assessed, key=lambda d: d["score"]))
    return line


def _evidence(dimension: dict[str, Any]) -> Evidence:
    quotes = dimension.get("evidence") or []
    first = quotes[0] if quotes else {}
    text = " ".join(str(first.get("quote", "")).split())
    if len(text) > QUOTE_CHARS:
        text = text[:QUOTE_CHARS - 1].rstrip() + "…"
    return Evidence(dimension.get("title") or dimension["id"], dimension["level"], float(dimension["score"]),
                    first.get("turn"), text)


def _mean(pairs: list[tuple[float, int]]) -> float | None:
    total = sum(weight for weight, _ in pairs)
    return sum(weight * value for weight, value in pairs) / total if total else None


def _level(weighted: float | None) -> str | None:
    if weighted is None:
        return None
    nearest = int(weighted)
    nearest += weighted - nearest > 0.5  # a tie goes down
    return VALUE_SIGNAL[max(3, min(6, nearest))]


def _changes(lines: list[RoundLine], target: str, weighted: float | None) -> list[str]:
    """The two moves that shift the weighted read most towards the aim: the target, or the next level up once
    every read round is at it. A move is a read round below the aim read at it, or an unread round sat at it."""
    read = {i: (r.weight, SIGNAL_VALUE[r.signal]) for i, r in enumerate(lines) if r.signal in SIGNAL_VALUE}
    aim = SIGNAL_VALUE[target]
    if read and all(value >= aim for _, value in read.values()) and aim < 6:
        aim += 1
    moves: list[tuple[float, float, str]] = []
    for i, line in enumerate(lines):
        if line.state == "unavailable" or (i in read and read[i][1] >= aim):
            continue
        after = _mean([pair for j, pair in read.items() if j != i] + [(line.weight, aim)])
        shift = after - weighted if weighted is not None else line.weight
        if weighted is not None and i not in read and after <= weighted:
            # Already at the top: sitting it cannot lift the read, but a round below it would pull it down.
            at_target = _mean([*read.values(), (line.weight, SIGNAL_VALUE[target])])
            moves.append((0.0, line.weight, _unread_at_top(line, target, at_target)))
            continue
        moves.append((shift, line.weight, _say(line, VALUE_SIGNAL[aim], weighted, after)))
    moves.sort(key=lambda move: (-move[0], -move[1]))
    if moves:
        return [text for _, _, text in moves[:2]]
    return _hold(lines)


def _say(line: RoundLine, aim: str, weighted: float | None, after: float | None) -> str:
    moved = ""
    if after is not None:
        before = _level(weighted)
        moved = (f" That moves the overall from {before} to {_level(after)}" if before and _level(after) != before
                 else f" That lifts the weighted mean from {weighted:.2f} to {after:.2f}" if weighted is not None
                 else f" The overall would then read {_level(after)}")
        moved += f" (the round weighs {line.weight:g})."
    if line.signal in SIGNAL_VALUE and line.weakest is not None:
        w = line.weakest
        return (f"{line.title}: read {line.signal}, needs {aim}. Its weakest line is {w.dimension} "
                f"({w.level.replace('_', ' ')}, {w.score:.0f}); bring it to good with an argued, specific answer."
                + moved)
    if line.signal is not None:  # complete but too short to read
        return f"{line.title}: too little was said to read a level; sit it again through to the end." + moved
    verb = "Finish" if line.state == "in progress" else "Sit"
    return f"{verb} {line.title} ({line.real_length} in the real loop) and read {aim} there." + moved


def _unread_at_top(line: RoundLine, target: str, at_target: float | None) -> str:
    verb = "Finish" if line.state == "in progress" else "Sit"
    tail = (f"; read at the target ({target}) there, it would bring the weighted mean to {at_target:.2f} "
            f"({_level(at_target)}), since the round weighs {line.weight:g}." if at_target is not None else ".")
    return (f"{verb} {line.title} ({line.real_length} in the real loop): the overall stays provisional until it is "
            f"read" + tail)


def _hold(lines: list[RoundLine]) -> list[str]:
    """Every read round is at L6: what most threatens that, the two weakest lines in the heaviest rounds."""
    weak = sorted((r for r in lines if r.weakest is not None), key=lambda r: (r.weakest.score, -r.weight))
    return [f"{r.title}: hold {r.signal}; its weakest line is {r.weakest.dimension} ({r.weakest.score:.0f})."
            for r in weak[:2]]
