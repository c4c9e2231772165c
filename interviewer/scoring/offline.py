"""The offline heuristic scorer.

It reads the structure of the candidate's reasoning, not its length or its keywords: numbers attached
to claims, tradeoffs that name what they give up, failures paired with what the design does about
them, growth reasoned about at each order of magnitude, and whether each came unprompted. Credit per
signal decays (the fifth tradeoff adds far less than the first), claims asserted without their argument
add up to good at most however many there are, repeats earn nothing, technical terms without a reason
cost points, and sentences that address the scorer are set aside.

Three rules keep it honest about what it heard:
- a dimension no question exercised and no answer showed is not assessed, and a session with too little
  of the round in it says so instead of guessing a level;
- a claim that contradicts the problem's reference facts is listed with the fact and caps the
  dimension it would have supported;
- answers written for another problem earn nothing here, however strong.
"""

from __future__ import annotations

import math

from ..rubric.schema import Dimension, Rubric
from ..transcript import Transcript
from ..understanding import lexicon as lx
from ..understanding.knowledge import knowledge_for
from .delivery import delivery_section
from .evidence import Evidence, Unit, collect
from .quotes import assign
from .scorecard import GOOD_AT, GREAT_AT, INSUFFICIENT, NOT_ASSESSED, DimensionScore, Quote, Scorecard, level_for

SCORER = "offline-heuristic"
PROACTIVE_WEIGHT = 1.0
ASKED_WEIGHT = 0.75  # an answer to a question that asked for the signal
PROMPTED_WEIGHT = 0.5  # the same, where the dimension is about raising it unasked
DEFENDED = 1.4  # a unit that argues its point (a reason, a number or a cost beside it) counts this much more
DECAY = 0.6  # each further unit of the same signal counts this much of the one before: quality, not volume
# All the asserted units of a signal together (a claim with at most one kind of support beside it) reach no
# more than this many points (~63): saying more undefended things never adds up to an argued one.
ASSERTED_CEILING = 1.0
# A part of the system named in a sentence that argues nothing about it counts this much of one argued about.
ASSERTED_AREA = 0.75
SATURATION = 1.0  # points at which a signal reaches ~63% of its ceiling
PRIMARY_SHARE = 0.65  # the dimension's main signal weighs this much against its supporting ones
OUT_OF_PHASE = 0.5
# A hedged sentence ("maybe three or five times", "I'd probably retry"), or one argued by a bare quality or a fashion
# ("because it's reliable", "jitter is good practice"), shows its signal this much of a plain one: on their own, a
# few of them stay below the bar. (Sentences whose reason says nothing are weighed across the
# session instead: read one by one, the hollow-reason test also catches a few strong sentences.)
WEAK_UNIT = 0.4
# Signals that are their own evidence: a question asked, an area covered, a gate passed need no argument beside them.
_SELF_EVIDENT = frozenset({"progress", "breadth", "clarifying"})
_REASONING_SIGNALS = {"reasoning", "tradeoffs", "breadth", "specificity", "scale", "rigor", "structure"}
# Signals that stand on the reasons given: hollow reasons leave them without support.
_ARGUED_SIGNALS = _REASONING_SIGNALS | {"failure_modes", "ownership", "testing", "numbers"}
STEERING_OVER_CONTENT = 20.0  # how far steering can lift a led dimension above the substance it steered
# Signals about how the discussion is led rather than what it says. Without them, argued content that states its
# decisions plainly still communicates well: it reaches good on its own, and great takes the signal itself.
_HOW_SIGNALS = frozenset({"signposting"})
# Answers whose reasons are this often hollow (restating the claim, naming nothing of the problem), with at least
# HOLLOW_AT_LEAST such sentences, argue nothing: the dimensions that reasoning feeds stay below the bar. Strong
# answers give a hollow reason now and then ("partly because of where my experience fits"), not one in four.
HOLLOW_SHARE = 0.25
HOLLOW_AT_LEAST = 4
# Argued at length without a single figure: this many reasons or more, with fewer than one quantity per ten of them.
# Strong answers tie their reasons to the problem's numbers (one figure for every three reasons or more, in every
# graded set); answers that argue in the abstract ("because consistency is important in a ledger") do not.
ABSTRACT_REASONS = 24
FIGURES_PER_REASON = 0.1
WRONG_FACTS_FAIL = 2  # claims contradicting the problem's facts at which the whole result is below the bar
# Too short to judge: fewer answers than this, or less than this share of the round's weight exercised.
MIN_ANSWERS = 4
MIN_ASSESSED_WEIGHT = 0.6

NOTE = ("Offline heuristic scorer: it weighs the structure of your reasoning (numbers tied to claims, "
        "tradeoffs that name their cost, failures paired with mitigations, what you raised unprompted) and "
        "checks numbers against the problem's reference facts. It cannot tell whether every part of your design "
        "would work.")


def score(transcript: Transcript, rubric: Rubric) -> Scorecard:
    problem = next((p for p in rubric.problems if p.id == transcript.problem), None)
    knowledge = knowledge_for(rubric, problem)
    evidence = collect(transcript, rubric, problem, knowledge)
    quotes = assign(rubric.dimensions, evidence)
    dimensions = [_score_dimension(d, evidence, rubric, quotes[d.id],
                                   problem.great_examples.get(d.id, "") if problem else "") for d in rubric.dimensions]
    assessed = [d for d in dimensions if d.assessed]
    total_weight = sum(d.weight for d in assessed)
    overall = sum(d.score * d.weight for d in assessed) / total_weight if total_weight else 0.0
    overall = wrong_facts_cap(overall, len(evidence.corrections))
    missing = [d.title for d in dimensions if not d.assessed]
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
        corrections=[{"turn": c.turn, "claim": c.claim, "fact": c.fact} for c in evidence.corrections],
        relevance=_relevance(evidence),
        missing=missing,
    )
    weight_share = total_weight / sum(d.weight for d in dimensions)
    if evidence.answers < MIN_ANSWERS or weight_share < MIN_ASSESSED_WEIGHT:
        card.overall_level, card.level_signal = NOT_ASSESSED, INSUFFICIENT
        card.level_reason = _too_short(evidence.answers, missing)
    else:
        card.level_signal, card.level_reason = _level_signal(card, evidence, rubric)
    card.notes = _notes(transcript, evidence)
    card.delivery = delivery_section(transcript)
    return card


def _signal_points(units: list[Unit], dimension: Dimension) -> float:
    """The best evidence counts most: one argued sentence is worth more than three asserted ones, and each
    further unit adds a little over half of the one before. Where the dimension is about raising things
    unasked, an answer to a question that asked for it counts half (else three quarters). Said outside the
    phases that exercise the dimension, a unit counts half: a stance taken in the incident scenario is
    evidence of judgment there, not of a considered view of the mission."""
    weights = {u: _weight(u.proactive, dimension.unprompted) * (DEFENDED if u.defended else 1.0)
               * (OUT_OF_PHASE if _out_of_phase(u, dimension) else 1.0) * (WEAK_UNIT if u.weak else 1.0) for u in units}
    if units and units[0].signal in _SELF_EVIDENT:  # a question asked needs no argument beside it
        return _decayed(weights.values())
    argued = _decayed(w for u, w in weights.items() if u.defended)
    return min(_decayed(weights.values()), argued + ASSERTED_CEILING)


def _decayed(weights) -> float:
    return sum(w * DECAY**i for i, w in enumerate(sorted(weights, reverse=True)))


def _out_of_phase(unit: Unit, dimension: Dimension) -> bool:
    # Raising something unasked, early, is the point of an `unprompted` dimension: it counts wherever it is said.
    return bool(dimension.phases) and unit.phase not in dimension.phases and not dimension.unprompted


def _weight(proactive: bool, unprompted: bool) -> float:
    if proactive:
        return PROACTIVE_WEIGHT
    return PROMPTED_WEIGHT if unprompted else ASKED_WEIGHT


def _saturate(points: float) -> float:
    return 100.0 * (1.0 - math.exp(-points / SATURATION))


def exercised(dimension: Dimension, evidence: Evidence) -> bool:
    """Whether the session gave this dimension a chance: its main signal came up (raised or asked for),
    or the candidate answered in one of the phases that exercise it."""
    primary = dimension.signals[0]
    if primary == "progress":
        shown = bool(evidence.gates)
    elif primary == "breadth":
        shown = bool(evidence.areas)
    else:
        shown = bool(evidence.of(primary))
    return shown or primary in evidence.asked or bool(set(dimension.phases) & evidence.phases)


def _score_dimension(dimension: Dimension, evidence: Evidence, rubric: Rubric, quotes: list[Quote],
                     example: str) -> DimensionScore:
    if not exercised(dimension, evidence):
        return DimensionScore(id=dimension.id, title=dimension.title, level=NOT_ASSESSED, score=0.0, evidence=[],
                              rationale="not assessed: nothing in the session asked for or showed it",
                              descriptor="", great_example=example, weight=dimension.weight)
    parts: list[float] = []
    notes: list[str] = []
    for signal in dimension.signals:
        if signal == "breadth":
            parts.append(_breadth(evidence, rubric, dimension.unprompted))
            notes.append(f"areas covered with reasoning: {len(evidence.areas)}/{len(rubric.areas)}")
        elif signal == "progress":
            parts.append(_progress(evidence))
            passed = sum(1 for g in evidence.gates if g["passed"])
            notes.append(f"gates passed: {passed}/4")
        else:
            units = evidence.of(signal)
            if dimension.signals[0] in _HOW_SIGNALS and signal != dimension.signals[0]:
                # The substance steered is what the answers argue, not the reasons given for the order of the talk
                # (a part closed with its decision is both).
                steering = {(u.turn, u.span.start) for u in evidence.of(dimension.signals[0])
                            if not lx.SIGNPOST_CLOSE.search(lx.OPENER.sub("", u.span.text.lower()))}
                units = [u for u in units if (u.turn, u.span.start) not in steering]
            parts.append(_saturate(_signal_points(units, dimension)))
            proactive = sum(1 for u in units if u.proactive)
            notes.append(f"{signal.replace('_', ' ')}: {len(units)} ({proactive} unprompted)")
    if len(parts) == 1:
        value = parts[0]
    elif dimension.signals[0] in _HOW_SIGNALS:
        value = _led(parts[0], max(parts[1:]), notes)
    else:
        value = PRIMARY_SHARE * parts[0] + (1 - PRIMARY_SHARE) * sum(parts[1:]) / len(parts[1:])
    value -= _penalties(dimension, evidence, notes)
    value = max(0.0, min(100.0, value))
    primary = dimension.signals[0]
    if value >= GREAT_AT and dimension.unprompted and not _unprompted(primary, evidence):
        # Great means raising the dimension's main evidence before being asked; answering
        # well when asked is good.
        value = GREAT_AT - 1
        notes.append(f"capped at good: no {primary.replace('_', ' ')} was raised before the interviewer asked")
    if value >= GREAT_AT and primary not in _SELF_EVIDENT and not any(u.defended for u in evidence.of(primary)):
        # Great also means defending the point: a reason with a number, a cost or a failure beside it.
        value = GREAT_AT - 1
        notes.append(f"capped at good: no {primary.replace('_', ' ')} came with its argument (a number, a cost or "
                     "a failure beside the reason)")
    value = _caps(dimension, evidence, value, notes)
    level = level_for(value)
    return DimensionScore(
        id=dimension.id,
        title=dimension.title,
        level=level,
        score=value,
        evidence=quotes,
        rationale="; ".join(notes),
        descriptor=getattr(dimension, level),
        great_example=example,
        weight=dimension.weight,
    )


def _led(steering: float, content: float, notes: list[str]) -> float:
    """A dimension about leading the discussion: steering with nothing to steer is not clear communication
    (it reaches no more than the content plus a little), and clear, argued answers communicate well with no
    steering at all (good, not great: great is driving the discussion)."""
    mixed = PRIMARY_SHARE * steering + (1 - PRIMARY_SHARE) * content
    if mixed > content + STEERING_OVER_CONTENT:
        notes.append("held near the substance of the answers: the structure carried little")
        mixed = content + STEERING_OVER_CONTENT
    if min(GREAT_AT - 1, content) > mixed:
        notes.append("read from the answers' own reasoning: little said about where the discussion was going")
        return min(GREAT_AT - 1, content)
    return mixed


def _caps(dimension: Dimension, evidence: Evidence, value: float, notes: list[str]) -> float:
    """Wrong facts and answers for another problem limit what a dimension can reach."""
    wrong = [c for c in evidence.corrections if set(c.signals) & set(dimension.signals)]
    if len(wrong) >= 2 and value >= GOOD_AT:
        notes.append(f"capped below the bar: {len(wrong)} claims contradict the problem's facts")
        value = GOOD_AT - 1
    elif wrong and value >= GREAT_AT:
        notes.append("capped at good: a claim contradicts the problem's facts")
        value = GREAT_AT - 1
    unargued = _unargued(evidence)
    if unargued and value >= GOOD_AT and set(dimension.signals) & _ARGUED_SIGNALS:
        notes.append(f"capped below the bar: {unargued}")
        value = GOOD_AT - 1
    if evidence.relevance.off_problem and value >= GOOD_AT:
        notes.append(f"capped below the bar: the answers were about {evidence.relevance.where}, "
                     "not this one")
        value = GOOD_AT - 1
    return value


def wrong_facts_cap(overall: float, wrong: int) -> float:
    """Claims that contradict the problem's facts weigh on the whole interview, not only on the dimensions they
    would have supported: with one, the result is good at best; with two or more, it is below the bar, however
    fluent the rest (an interviewer does not pass a design built on two wrong facts)."""
    if wrong >= WRONG_FACTS_FAIL:
        return min(overall, GOOD_AT - 1)
    if wrong:
        return min(overall, GREAT_AT - 1)
    return overall


def _mostly_hollow(evidence: Evidence) -> bool:
    hollow = len(evidence.hollow)
    return hollow >= HOLLOW_AT_LEAST and hollow >= HOLLOW_SHARE * evidence.reasons


def _abstract(evidence: Evidence) -> bool:
    return evidence.reasons >= ABSTRACT_REASONS and evidence.quantities < FIGURES_PER_REASON * evidence.reasons


def _unargued(evidence: Evidence) -> str:
    """Why the answers' reasons argue nothing, session-wide ("" when they do): mostly hollow, or never tied to a
    figure."""
    if _mostly_hollow(evidence):
        return (f"{len(evidence.hollow)} of {evidence.reasons} reasons restated their claim or named nothing of this "
                "problem")
    if _abstract(evidence):
        return (f"{evidence.reasons} reasons given and {evidence.quantities} figures; nothing argued was tied to a "
                "number of this problem")
    return ""


def _unprompted(signal: str, evidence: Evidence) -> bool:
    units = list(evidence.areas.values()) if signal == "breadth" else evidence.of(signal)
    return any(u.proactive for u in units)


def _breadth(evidence: Evidence, rubric: Rubric, unprompted: bool) -> float:
    if not rubric.areas:
        return 0.0
    points = sum(_weight(u.proactive, unprompted) * (1.0 if u.defended else ASSERTED_AREA)
                 for u in evidence.areas.values())
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


def _coverage(evidence: Evidence) -> dict:
    summary = {}
    for signal in ("numbers", "scale", "failure_modes", "tradeoffs"):
        units = evidence.of(signal)
        first_proactive = next((u.turn for u in units if u.proactive), None)
        summary[signal] = {"units": len(units), "unprompted": sum(1 for u in units if u.proactive),
                           "first_unprompted_turn": first_proactive}
    return summary


def _relevance(evidence: Evidence) -> dict:
    rel = evidence.relevance
    if not rel.judged:
        return {"judged": False}
    return {"judged": True, "off_problem": rel.off_problem, "ratio": round(min(rel.ratio, 99.0), 2),
            **({"elsewhere": rel.elsewhere_title} if rel.off_problem and rel.named else {})}


def _too_short(answers: int, missing: list[str]) -> str:
    parts = [f"Too short to judge a level: {answers} answer{'s' if answers != 1 else ''}"]
    if missing:
        parts.append(f"and {_join(missing)} never came up")
    return " ".join(parts) + "."


def _join(items: list[str]) -> str:
    items = [i.lower() for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _level_signal(card: Scorecard, evidence: Evidence, rubric: Rubric) -> tuple[str, str]:
    assessed = [d for d in card.dimensions if d.assessed]
    great = [d for d in assessed if d.level == "great"]
    below = [d for d in assessed if d.level == "below_bar"]
    all_units = [u for units in evidence.units.values() for u in units]
    share = sum(1 for u in all_units if u.proactive) / len(all_units) if all_units else 0.0
    if card.overall_score >= 80 and len(great) >= max(2, len(assessed) // 2) and share >= 0.6:
        signal = "L6"
    elif card.overall_score >= 60 and len(below) <= 1:
        signal = "L5"
    elif card.overall_score >= GOOD_AT:
        signal = "L4"
    else:
        signal = "below L4"
    reason = (f"{len(great)} of {len(assessed)} assessed dimensions great, {len(below)} below bar; "
              f"{share:.0%} of the evidence was raised unprompted. {getattr(rubric.levels, signal, '')}").strip()
    if card.missing:
        reason += f" Not assessed: {_join(card.missing)}."
    return signal, reason


def _notes(transcript: Transcript, evidence: Evidence) -> list[str]:
    notes = [NOTE]
    if evidence.injections:
        notes.append(f"{len(evidence.injections)} sentence(s) addressed the scorer instead of the interviewer; "
                     "they were treated as data and earned nothing.")
    if evidence.relevance.off_problem:
        notes.append(f"Most of what you said fits {evidence.relevance.where} better than this problem, "
                     "so every level is capped below the bar.")
    if _abstract(evidence) and not _mostly_hollow(evidence):
        notes.append(f"You gave {evidence.reasons} reasons and {evidence.quantities} figures: the reasons were never "
                     "tied to a number (a load, a latency, a size, a cost, a count from your own work), so the "
                     "dimensions they would have argued are capped below the bar.")
    if _mostly_hollow(evidence):
        turn, span = evidence.hollow[0]
        notes.append(f"{len(evidence.hollow)} of the {evidence.reasons} reasons you gave restated their claim or named "
                     f"nothing of this problem (turn {turn}: \"{span.text}\"); the dimensions they would have "
                     "argued are capped below the bar. Give the property of this problem that makes the choice right.")
    if evidence.corrections:
        wrong = len(evidence.corrections)
        overall = "below the bar" if wrong >= WRONG_FACTS_FAIL else "good at best"
        notes.append(f"{wrong} claim(s) contradict the problem's reference facts (listed under Corrections); they "
                     "count as evidence for nothing, cap the dimensions they would have supported, and leave the "
                     f"overall result {overall}.")
    if not transcript.candidate_turns():
        notes.append("The transcript has no candidate answers, so nothing could be assessed.")
    if transcript.warnings:
        notes.extend(transcript.warnings)
    return notes

