"""Coding gates reached in a session: exact from the engine's events, else read from the interviewer's
wording in a plain-text transcript ("Part 3", "gate 2")."""

from __future__ import annotations

import re

from ..transcript import Transcript
from ..understanding.signals import Analysis

_GATE_MENTION = re.compile(r"\b(?:gate|part|stage|step)\s*(?:#\s*)?([1-4]|one|two|three|four)\b", re.I)
_NEW_STAGE = re.compile(
    r"\b(?:next|final|last|new) (?:stage|part|gate|step|requirement|extension)\b|\blet's (?:add|extend)\b"
    r"|\bnow (?:the|it|let's|we|add|make|suppose)\b|\bhere's the next\b",
    re.I,
)
# The first part handed over by what it is rather than by number: "Here's the first requirement."
_FIRST_STAGE = re.compile(r"\b(?:first|opening) (?:stage|part|gate|step|requirement)\b|\bhere's what to build\b", re.I)
_CODE = re.compile(r"\bdef \w+\(|\bclass \w+|\breturn\b|\bself\.\w+|\bwith self\.")
_NUMBER = {"one": 1, "two": 2, "three": 3, "four": 4}


def gates_reached(transcript: Transcript, analyses: dict[int, Analysis]) -> tuple[list[dict], bool]:
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
            elif not reached and _FIRST_STAGE.search(turn.text):
                reached = 1
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
