"""Collect evidence units from a transcript: each a sentence of a candidate turn that
shows a signal, marked proactive (raised unasked) or prompted (answering a question that
asked for it). Repeats are counted once, so saying the same thing twice earns nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..understanding import lexicon as lx
from ..understanding.signals import Analysis, Context, Span, analyze, fingerprint, overlap
from ..engine.state import TARGETS
from ..transcript import Transcript, Turn

_GATE_MENTION = re.compile(r"\b(?:gate|part|stage|step)\s*(?:#\s*)?([1-4]|one|two|three|four)\b", re.I)
_NEW_STAGE = re.compile(
    r"\b(?:next|final|last|new) (?:stage|part|gate|step|requirement|extension)\b|\blet's (?:add|extend)\b"
    r"|\bnow (?:the|it|let's|we|add|make|suppose)\b|\bhere's the next\b",
    re.I,
)
_CODE = re.compile(r"\bdef \w+\(|\bclass \w+|\breturn\b|\bself\.\w+|\bwith self\.")
_NUMBER = {"one": 1, "two": 2, "three": 3, "four": 4}


@dataclass(frozen=True)
class Unit:
    signal: str
    turn: int
    span: Span
    proactive: bool


@dataclass
class Evidence:
    units: dict[str, list[Unit]] = field(default_factory=dict)
    analyses: dict[int, Analysis] = field(default_factory=dict)
    name_drops: list[tuple[int, Span]] = field(default_factory=list)
    injections: list[tuple[int, Span]] = field(default_factory=list)
    fluff: list[tuple[int, Span]] = field(default_factory=list)
    blame: list[tuple[int, Span]] = field(default_factory=list)
    substantive: int = 0
    areas: dict[str, Unit] = field(default_factory=dict)
    gates: list[dict] = field(default_factory=list)
    gates_inferred: bool = False

    def of(self, signal: str) -> list[Unit]:
        return self.units.get(signal, [])


def prompted_signals(turn: Turn | None) -> set[str]:
    """What the interviewer's question asked for: from the engine's record when there is
    one, and from the wording in any case (plain-text transcripts have only wording)."""
    if turn is None or turn.role != "interviewer":
        return set()
    asked: set[str] = set()
    if turn.move:
        target = turn.move.get("signal") or TARGETS.get(turn.move.get("kind", ""))
        if target:
            asked.add(target)
    low = turn.text.lower()
    asked |= {signal for signal, cue in lx.PROMPT_CUES.items() if cue.search(low)}
    return asked


def collect(transcript: Transcript, context: Context) -> Evidence:
    evidence = Evidence()
    seen: dict[str, list[frozenset[str]]] = {}
    previous: Turn | None = None
    for turn in transcript.turns:
        if turn.role == "interviewer":
            previous = turn
            continue
        asked = prompted_signals(previous)
        analysis = analyze(turn.text, context)
        evidence.analyses[turn.n] = analysis
        evidence.substantive += analysis.substantive
        evidence.name_drops += [(turn.n, s) for s in analysis.name_drops]
        evidence.injections += [(turn.n, s) for s in analysis.injections]
        evidence.fluff += [(turn.n, s) for s in analysis.fluff]
        evidence.blame += [(turn.n, s) for s in analysis.blame]
        for signal, spans in analysis.hits.items():
            for span in spans:
                key = fingerprint(span.text)
                if _repeat(key, seen.setdefault(signal, [])):
                    continue
                seen[signal].append(key)
                evidence.units.setdefault(signal, []).append(Unit(signal, turn.n, span, signal not in asked))
        for area_id in sorted(analysis.areas):
            if area_id not in evidence.areas:
                span = next(s for s in analysis.hits.get("breadth", []))
                evidence.areas[area_id] = Unit("breadth", turn.n, span, "breadth" not in asked)
    evidence.gates, evidence.gates_inferred = _gates(transcript, evidence.analyses)
    return evidence


def _repeat(key: frozenset[str], earlier: list[frozenset[str]]) -> bool:
    """Saying the same thing again earns nothing."""
    return not key or any(overlap(key, other) >= 0.7 for other in earlier)


def _gates(transcript: Transcript, analyses: dict[int, Analysis]) -> tuple[list[dict], bool]:
    """Coding gates reached: exact from engine events, else read from the interviewer's
    wording in a plain-text transcript ("Part 3", "gate 2")."""
    recorded = [e for e in transcript.events if e.get("kind") in ("gate_passed", "gate_failed")]
    if recorded or any(e.get("kind") == "gate_revealed" for e in transcript.events):
        return [
            {"gate": e["gate"], "title": e.get("title"), "passed": e["kind"] == "gate_passed",
             "tradeoff_explained": bool(e.get("tradeoff_explained")), "elapsed_s": e.get("elapsed_s"),
             "hints": e.get("hints", 0),
             **({"runs": e["runs"], "checks_passed": bool(e.get("checks_passed"))} if "runs" in e else {})}
            for e in recorded
        ], False
    reached = 0
    answered_after: dict[int, int] = {}
    for turn in transcript.turns:
        if turn.role == "interviewer":
            numbers = [_NUMBER.get(m.lower()) or int(m) for m in _GATE_MENTION.findall(turn.text)]
            if numbers:
                reached = max(reached, min(4, max(numbers)))
            elif reached and _NEW_STAGE.search(turn.text):
                reached = min(4, reached + 1)
            elif not reached and turn.n == 1:
                reached = 1 if _NEW_STAGE.search(turn.text) or "stage" in turn.text.lower() else 0
        elif reached:
            work = analyses[turn.n].substantive + (2 if _CODE.search(turn.text) else 0)
            answered_after[reached] = answered_after.get(reached, 0) + work
    gates = []
    for number in range(1, reached + 1):
        # The interviewer moving on is not proof of a pass: a gate counts when the
        # candidate's turns in it carry working code or reasoned substance.
        passed = answered_after.get(number, 0) >= 3
        gates.append({"gate": number, "title": None, "passed": passed, "tradeoff_explained": None,
                      "elapsed_s": None, "hints": 0})
    return gates, True
