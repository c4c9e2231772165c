"""The offline heuristic scorer.

It reads the structure of the candidate's reasoning, not its length or its keywords:
numbers attached to claims, tradeoffs that name what they give up, failures paired with
what the design does about them, growth reasoned about at each order of magnitude, and
whether each came unprompted. Credit per signal decays (the fifth tradeoff adds far less
than the first), repeats earn nothing, technical terms without a reason cost points, and
sentences that address the scorer are set aside.
"""

from __future__ import annotations

import math
from collections import Counter

from ..understanding.signals import Context
from ..engine import context_for
from ..rubric.schema import Dimension, Rubric
from ..transcript import Transcript
from .delivery import delivery_section
from .evidence import Evidence, Unit, collect
from .scorecard import GOOD_AT, GREAT_AT, DimensionScore, Quote, Scorecard, level_for

SCORER = "offline-heuristic"
PROACTIVE_WEIGHT = 1.0
PROMPTED_WEIGHT = 0.5
DECAY = 0.7  # each further unit of the same signal counts this much of the one before
SATURATION = 1.3  # points at which a signal reaches ~54% of its ceiling
MAX_QUOTE = 280
_REASONING_SIGNALS = {"reasoning", "tradeoffs", "breadth", "specificity", "scale", "rigor"}

NOTE = ("Offline heuristic scorer: it weighs the structure of your reasoning (numbers tied to claims, "
        "tradeoffs that name their cost, failures paired with mitigations, what you raised unprompted). "
        "It does not check that your design is technically correct.")


def score(transcript: Transcript, rubric: Rubric) -> Scorecard:
    context = context_for(rubric)
    evidence = collect(transcript, context)
    dimensions = [_score_dimension(d, evidence, rubric, context) for d in rubric.dimensions]
    total_weight = sum(d.weight for d in dimensions)
    overall = sum(d.score * d.weight for d in dimensions) / total_weight
    card = Scorecard(
        round=rubric.id,
        problem=transcript.problem,
        scorer=SCORER,
        overall_level=level_for(overall),
        overall_score=overall,
        dimensions=dimensions,
        gates=evidence.gates,
        coverage=_coverage(evidence),
        ignored_instructions=len(evidence.injections),
    )
    card.level_signal, card.level_reason = _level_signal(card, evidence, rubric)
    card.notes = _notes(transcript, evidence, rubric)
    card.delivery = delivery_section(transcript)
    return card


def _signal_points(units: list[Unit]) -> float:
    weights = sorted((PROACTIVE_WEIGHT if u.proactive else PROMPTED_WEIGHT for u in units), reverse=True)
    return sum(w * DECAY**i for i, w in enumerate(weights))


def _saturate(points: float) -> float:
    return 100.0 * (1.0 - math.exp(-points / SATURATION))


def _score_dimension(dimension: Dimension, evidence: Evidence, rubric: Rubric, context: Context) -> DimensionScore:
    parts: list[float] = []
    used: list[Unit] = []
    notes: list[str] = []
    for signal in dimension.signals:
        if signal == "breadth":
            parts.append(_breadth(evidence, rubric))
            used += list(evidence.areas.values())
            notes.append(f"areas covered with reasoning: {len(evidence.areas)}/{len(rubric.areas)}")
        elif signal == "progress":
            parts.append(_progress(evidence))
            passed = sum(1 for g in evidence.gates if g["passed"])
            notes.append(f"gates passed: {passed}/4")
        else:
            units = evidence.of(signal)
            parts.append(_saturate(_signal_points(units)))
            used += units
            proactive = sum(1 for u in units if u.proactive)
            notes.append(f"{signal.replace('_', ' ')}: {len(units)} ({proactive} unprompted)")
    value = sum(parts) / len(parts)
    value -= _penalties(dimension, evidence, notes)
    value = max(0.0, min(100.0, value))
    primary = dimension.signals[0]
    if value >= GREAT_AT and primary != "progress" and not _unprompted(primary, evidence):
        # Great means raising the dimension's main evidence before being asked; answering
        # well when asked is good.
        value = GREAT_AT - 1
        notes.append(f"capped at good: no {primary.replace('_', ' ')} was raised before the interviewer asked")
    level = level_for(value)
    return DimensionScore(
        id=dimension.id,
        title=dimension.title,
        level=level,
        score=value,
        evidence=_quotes(used),
        rationale="; ".join(notes),
        descriptor=getattr(dimension, level),
        great_example=dimension.great_example,
        weight=dimension.weight,
    )


def _unprompted(signal: str, evidence: Evidence) -> bool:
    units = list(evidence.areas.values()) if signal == "breadth" else evidence.of(signal)
    return any(u.proactive for u in units)


def _breadth(evidence: Evidence, rubric: Rubric) -> float:
    if not rubric.areas:
        return 0.0
    points = sum(PROACTIVE_WEIGHT if u.proactive else PROMPTED_WEIGHT for u in evidence.areas.values())
    # Covering about two thirds of the areas with reasoning is already a full-stack answer.
    return min(100.0, 100.0 * points / max(1.0, 0.66 * len(rubric.areas)))


def _progress(evidence: Evidence) -> float:
    if not evidence.gates:
        return 0.0
    passed = sum(1 for g in evidence.gates if g["passed"])
    explained = sum(1 for g in evidence.gates if g["passed"] and g["tradeoff_explained"])
    base = {0: 0.0, 1: 30.0, 2: 55.0, 3: 72.0, 4: 85.0}[min(passed, 4)]
    if evidence.gates_inferred:
        explained_share = 1.0 if evidence.of("tradeoffs") else 0.0
    else:
        explained_share = explained / passed if passed else 0.0
    hints = sum(g.get("hints") or 0 for g in evidence.gates[-1:])
    return max(0.0, base + 15.0 * explained_share - 3.0 * hints)


def _penalties(dimension: Dimension, evidence: Evidence, notes: list[str]) -> float:
    penalty = 0.0
    signals = set(dimension.signals)
    if signals & _REASONING_SIGNALS:
        excess = len(evidence.name_drops) - evidence.substantive
        if excess > 0:
            penalty += min(25.0, 4.0 * excess)
            notes.append(f"{len(evidence.name_drops)} technical terms dropped without a reason")
    if "ownership" in signals and evidence.blame:
        penalty += min(30.0, 10.0 * len(evidence.blame))
        notes.append(f"{len(evidence.blame)} sentences put the outcome on someone else")
    if "specificity" in signals and evidence.fluff and not evidence.of("specificity"):
        penalty += min(20.0, 5.0 * len(evidence.fluff))
        notes.append("enthusiasm without a position")
    return penalty


def _quotes(units: list[Unit]) -> list[Quote]:
    chosen: list[Unit] = []
    turns: Counter[int] = Counter()
    for unit in sorted(units, key=lambda u: (not u.proactive, turns[u.turn], u.turn)):
        if any(unit.turn == c.turn and unit.span == c.span for c in chosen):
            continue
        if turns[unit.turn] >= 1 and len(chosen) < 2 and any(u.turn != unit.turn for u in units if u not in chosen):
            continue
        chosen.append(unit)
        turns[unit.turn] += 1
        if len(chosen) == 3:
            break
    return [Quote(turn=u.turn, quote=_clip(u.span.text), proactive=u.proactive) for u in sorted(chosen, key=lambda u: u.turn)]


def _clip(text: str) -> str:
    """Shorten to a prefix ending on a word, so the quote stays a verbatim substring."""
    if len(text) <= MAX_QUOTE:
        return text
    cut = text.rfind(" ", 0, MAX_QUOTE)
    return text[: cut if cut > 0 else MAX_QUOTE]


def _coverage(evidence: Evidence) -> dict:
    summary = {}
    for signal in ("numbers", "scale", "failure_modes", "tradeoffs"):
        units = evidence.of(signal)
        first_proactive = next((u.turn for u in units if u.proactive), None)
        summary[signal] = {"units": len(units), "unprompted": sum(1 for u in units if u.proactive),
                           "first_unprompted_turn": first_proactive}
    return summary


def _level_signal(card: Scorecard, evidence: Evidence, rubric: Rubric) -> tuple[str, str]:
    great = [d for d in card.dimensions if d.level == "great"]
    below = [d for d in card.dimensions if d.level == "below_bar"]
    all_units = [u for units in evidence.units.values() for u in units]
    share = sum(1 for u in all_units if u.proactive) / len(all_units) if all_units else 0.0
    if card.overall_score >= 80 and len(great) >= max(2, len(card.dimensions) // 2) and share >= 0.6:
        signal = "L6"
    elif card.overall_score >= 60 and len(below) <= 1:
        signal = "L5"
    elif card.overall_score >= GOOD_AT:
        signal = "L4"
    else:
        signal = "below L4"
    reason = (f"{len(great)} of {len(card.dimensions)} dimensions great, {len(below)} below bar; "
              f"{share:.0%} of the evidence was raised unprompted. {getattr(rubric.levels, signal, '')}").strip()
    return signal, reason


def _notes(transcript: Transcript, evidence: Evidence, rubric: Rubric) -> list[str]:
    notes = [NOTE]
    if evidence.injections:
        notes.append(f"{len(evidence.injections)} sentence(s) addressed the scorer instead of the interviewer; "
                     "they were treated as data and earned nothing.")
    if not transcript.candidate_turns():
        notes.append("The transcript has no candidate answers, so every dimension is below bar.")
    if transcript.warnings:
        notes.extend(transcript.warnings)
    return notes
